// Conformance: ../shared/vectors/wire/replies.jsonl. RFC-derived cases carry code / lines /
// enhanced_status; implementation cases (stalwart, Go textproto) carry impl_result, and
// rfc5321_valid where RFC 5321 disagrees with the implementation. We follow RFC 5321.
import { parseEnhancedStatus } from '@smtpkit/reply';
import { bytes, readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { parseEhloReply } from './ehlo-reply.js';
import { type ReplyEvent, ReplyReader, type ReplyReaderOptions } from './reply-reader.js';
import { WireError } from './wire-error.js';

interface ImplResult {
  code?: number;
  enhanced_status?: string | null;
  message?: string;
  hostname?: string;
  capabilities?: string[];
  auth_mechanisms?: string[];
  size?: number;
  error?: string;
}

interface Vector {
  id: string;
  input: string;
  valid?: boolean;
  code?: number;
  lines?: string[];
  enhanced_status?: string;
  text_lines?: string[];
  kind?: string;
  impl_result?: ImplResult;
  rfc5321_valid?: boolean;
}

const vectors = readJsonl<Vector>('wire', 'replies.jsonl');

function read(input: string, options?: ReplyReaderOptions): ReplyEvent[] {
  const reader = new ReplyReader(options);
  reader.push(bytes(input));
  const out: ReplyEvent[] = [];
  for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) out.push(e);
  return out;
}

const bareLf = /(^|[^\r])\n/;

/**
 * The implementation cases end their lines with LF alone, as those test suites wrote them. They
 * are read the way a client reads such a server, with `bareLf: 'accept'`; by default (RFC 5321
 * §2.3.8, §4.2: CRLF ends a reply line) a bare LF refuses the reply, which is checked too.
 */
function readAsSent(input: string): ReplyEvent[] {
  if (!bareLf.test(input)) return read(input);
  const refused = read(input);
  expect(refused[0]).toMatchObject({ type: 'error', code: 'ERR_WIRE_REPLY_SYNTAX' });
  expect(refused.some((e) => e.type === 'reply')).toBe(false);
  return read(input, { bareLf: 'accept' });
}

describe('replies.jsonl', () => {
  it('has the expected corpus', () => {
    expect(vectors.length).toBe(43);
  });

  for (const v of vectors.filter((x) => x.valid === true)) {
    it(`${v.id} (RFC)`, () => {
      const events = read(v.input);
      expect(events).toHaveLength(1);
      const [e] = events;
      if (e?.type !== 'reply') throw new Error('no reply');
      expect(e.reply.code).toBe(v.code);
      if (v.enhanced_status !== undefined) {
        expect(e.reply.enhanced).toEqual(parseEnhancedStatus(v.enhanced_status));
        expect(e.reply.lines).toEqual(v.text_lines);
      } else {
        expect(e.reply.enhanced).toBeUndefined();
        expect(e.reply.lines).toEqual(v.lines);
      }
    });
  }

  for (const v of vectors.filter((x) => x.id.startsWith('stalwart-parse_response'))) {
    it(`${v.id} (implementation case)`, () => {
      const impl = v.impl_result as ImplResult;
      const [e] = readAsSent(v.input);
      if (e?.type !== 'reply') throw new Error('no reply');
      expect(e.reply.code).toBe(impl.code);
      if (v.id === 'stalwart-parse_response-5') {
        // RFC 3463 §3.1: class is "2", "4" or "5"; "6.8.9" is no enhanced status code, so the
        // lines stay as sent (the implementation extracts it anyway).
        expect(e.reply.enhanced).toBeUndefined();
        expect(e.reply.lines.join('\n')).toBe(
          v.input
            .trimEnd()
            .split('\n')
            .map((l) => l.slice(4))
            .join('\n'),
        );
        return;
      }
      const enhanced = impl.enhanced_status ?? undefined;
      expect(e.reply.enhanced).toEqual(
        enhanced === undefined ? undefined : parseEnhancedStatus(enhanced),
      );
      expect(e.reply.lines.join('\n')).toBe(impl.message);
    });
  }

  for (const v of vectors.filter((x) => x.id.startsWith('go-textproto'))) {
    it(`${v.id} (RFC 5321 ${v.rfc5321_valid ? 'valid' : 'invalid'})`, () => {
      // Go reads these from a closed stream; SMTP lines end with a line break, so one is added
      // where the vector stops without it.
      const input = v.input.endsWith('\n') ? v.input : `${v.input}\n`;
      const events = readAsSent(input);
      if (v.rfc5321_valid) {
        expect(events).toEqual([
          { type: 'reply', reply: expect.objectContaining({ code: v.impl_result?.code }) },
        ]);
        const e = events[0];
        if (e?.type === 'reply') expect(e.reply.lines.join('\n')).toBe(v.impl_result?.message);
      } else {
        // RFC 5321 §4.2.1: every line but the last begins with the code and a hyphen.
        expect(events[0]).toMatchObject({ type: 'error', code: 'ERR_WIRE_REPLY_SYNTAX' });
        expect(events.some((e) => e.type === 'reply')).toBe(false);
      }
    });
  }

  for (const v of vectors.filter((x) => x.kind === 'ehlo-response')) {
    it(`${v.id} (EHLO reply)`, () => {
      const impl = v.impl_result as ImplResult;
      for (const end of ['\n', '\r\n', ' \n', ' \r\n']) {
        const [e] = readAsSent(v.input.replaceAll('\n', end));
        if (e?.type !== 'reply') throw new Error('no reply');
        if (impl.error !== undefined) {
          expect(() => parseEhloReply(e.reply)).toThrow(WireError);
          continue;
        }
        const ehlo = parseEhloReply(e.reply);
        expect(ehlo.domain).toBe(impl.hostname);
        expect(ehlo.capabilities.size).toBe(impl.capabilities?.length);
        if (impl.size) expect(ehlo.capabilities.get('SIZE')).toEqual([String(impl.size)]);
        if (impl.auth_mechanisms && impl.auth_mechanisms[0] !== '0') {
          expect([...(ehlo.capabilities.get('AUTH') ?? [])].sort()).toEqual(impl.auth_mechanisms);
        }
      }
    });
  }
});
