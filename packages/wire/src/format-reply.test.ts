import { createReply, replies } from '@smtpkit/reply';
import { latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { formatReply, formatReplyText } from './format-reply.js';
import { WireError } from './wire-error.js';

describe('formatReply', () => {
  // RFC 5321 §4.2.1
  it('writes hyphens on every line but the last', () => {
    const reply = createReply(250, undefined, 'First line', 'Second line', 'The last line');
    expect(formatReplyText(reply)).toBe(
      '250-First line\r\n250-Second line\r\n250 The last line\r\n',
    );
  });

  // RFC 2034 §4: the enhanced code on every line.
  it('writes the enhanced code on each line, unless told not to', () => {
    const reply = createReply(551, '5.7.1', 'Forwarding disabled', 'Use another host');
    expect(formatReplyText(reply)).toBe(
      '551-5.7.1 Forwarding disabled\r\n551 5.7.1 Use another host\r\n',
    );
    expect(formatReplyText(reply, { enhanced: false })).toBe(
      '551-Forwarding disabled\r\n551 Use another host\r\n',
    );
  });

  it('writes catalogue replies as bytes', () => {
    expect(latin1(formatReply(replies.R250_2_0_0_Ok))).toMatch(/^250 2\.0\.0 .+\r\n$/);
  });

  it('writes a reply with no text as the bare code', () => {
    expect(formatReplyText({ code: 250, lines: [] })).toBe('250\r\n');
    expect(formatReplyText({ code: 250, lines: [''] })).toBe('250\r\n');
    expect(
      formatReplyText({ code: 250, enhanced: { class: 2, subject: 0, detail: 0 }, lines: [''] }),
    ).toBe('250 2.0.0\r\n');
  });

  // RFC 4954 §8: continue-req = "334" SP [base64] CRLF — the SP stays when the challenge is
  // empty (an empty server challenge, SCRAM's last step), unlike other replies (RFC 5321 §4.2).
  it('keeps the SP of an empty 334 challenge', () => {
    expect(formatReplyText({ code: 334, lines: [''] })).toBe('334 \r\n');
    expect(formatReplyText({ code: 334, lines: [] })).toBe('334 \r\n');
    expect(formatReplyText({ code: 334, lines: ['VXNlcm5hbWU6'] })).toBe('334 VXNlcm5hbWU6\r\n');
  });

  it('refuses reply-line injection in a hand-made reply', () => {
    for (const text of ['ok\r\n250 forged', 'a\nb', 'a\0b']) {
      try {
        formatReply({ code: 250, lines: [text] });
        throw new Error('formatted');
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
        expect((e as WireError).code).toBe('ERR_WIRE_MISUSE_INJECTION');
      }
    }
  });

  it('refuses a code outside 200..599', () => {
    expect(() => formatReply({ code: 199, lines: ['x'] })).toThrow(WireError);
    expect(() => formatReply({ code: 600, lines: ['x'] })).toThrow(WireError);
  });
});
