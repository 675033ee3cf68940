import { readJsonl, readVectorJson } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { formatReplyLines } from './format-reply-lines.js';
import { createReply } from './reply.js';

interface ReplyVector {
  id: string;
  input: string;
  valid?: boolean;
  code?: number;
  lines?: string[];
  enhanced_status?: string;
  text_lines?: string[];
}

describe('formatReplyLines (RFC 5321 §4.2 Reply-line)', () => {
  it('writes the RFC 5321 §4.2.1 multi-line example exactly', () => {
    const { multiline_example_4_2_1: expected } = readVectorJson<{
      multiline_example_4_2_1: string[];
    }>('status', 'rfc5321-reply-codes.json');
    const r = createReply(
      250,
      undefined,
      'First line',
      'Second line',
      '234 Text beginning with numbers',
      'The last line',
    );
    expect(formatReplyLines(r, { enhanced: false })).toEqual(expected);
  });

  // Every RFC-derived reply of the wire corpus: building it and writing it gives the same bytes.
  const vectors = readJsonl<ReplyVector>('wire', 'replies.jsonl').filter((v) => v.valid === true);
  it('covers the RFC-derived replies of wire/replies.jsonl', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(20);
  });
  it.each(vectors.map((v) => [v.id, v] as const))('reproduces %s', (_id, v) => {
    const enhanced = v.enhanced_status;
    const text = enhanced === undefined ? v.lines : v.text_lines;
    const r = createReply(v.code as number, enhanced, ...(text ?? []));
    const wire = `${formatReplyLines(r, { enhanced: enhanced !== undefined }).join('\r\n')}\r\n`;
    expect(wire).toBe(v.input);
  });

  it('puts the enhanced status in front of the text of every line (RFC 2034 §4)', () => {
    const r = createReply(
      551,
      '5.7.1',
      'Forwarding to remote hosts disabled',
      'Select another host to act as your forwarder',
    );
    expect(formatReplyLines(r, { enhanced: true })).toEqual([
      '551-5.7.1 Forwarding to remote hosts disabled',
      '551 5.7.1 Select another host to act as your forwarder',
    ]);
  });

  it('leaves the enhanced status out when not negotiated', () => {
    expect(
      formatReplyLines(createReply(550, '5.1.1', 'No such user'), { enhanced: false }),
    ).toEqual(['550 No such user']);
  });

  it('writes a reply without text as the bare code, or code and status', () => {
    expect(formatReplyLines(createReply(334, undefined), { enhanced: true })).toEqual(['334']);
    expect(formatReplyLines(createReply(250, '2.0.0'), { enhanced: true })).toEqual(['250 2.0.0']);
    expect(formatReplyLines(createReply(250, '2.0.0'), { enhanced: false })).toEqual(['250']);
  });

  it('writes empty lines inside a multi-line reply without a trailing space', () => {
    expect(formatReplyLines(createReply(250, undefined, '', 'x', ''), { enhanced: false })).toEqual(
      ['250-', '250-x', '250'],
    );
    expect(formatReplyLines(createReply(250, '2.0.0', '', 'x'), { enhanced: true })).toEqual([
      '250-2.0.0',
      '250 2.0.0 x',
    ]);
  });

  it('keeps a 334 challenge line as given (base64 text, RFC 4954 §4)', () => {
    expect(
      formatReplyLines(
        createReply(334, undefined, 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+'),
        { enhanced: true },
      ),
    ).toEqual(['334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+']);
  });
});
