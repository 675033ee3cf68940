import { createReply, type Reply } from '@smtpkit/reply';
import { bytes, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReplyText } from './format-reply.js';
import { DEFAULT_REPLY_LINE_LENGTH, ReplyReader } from './reply-reader.js';

const textChar = fc.constantFrom(...'abc XYZ 019.-:<>@"=;,\\\t'.split(''), 'é', '☃');
const text = fc.array(textChar, { maxLength: 40 }).map((a) => a.join(''));
const code = fc
  .tuple(
    fc.integer({ min: 2, max: 5 }),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([a, b, c]) => a * 100 + b * 10 + c);
const reply: fc.Arbitrary<Reply> = fc
  .tuple(code, fc.boolean(), fc.nat(9), fc.nat(9), fc.array(text, { minLength: 1, maxLength: 6 }))
  .map(([c, withEnhanced, subject, detail, lines]) => {
    const cls = Math.floor(c / 100);
    const enhanced = withEnhanced && cls !== 3 ? `${cls}.${subject}.${detail}` : undefined;
    return createReply(c, enhanced, ...lines);
  })
  // A reply without an enhanced code whose every line starts like one cannot round-trip:
  // the reader takes it for an enhanced code, as RFC 2034 intends.
  .filter((r) => r.enhanced !== undefined || !r.lines.every((l) => /^[245]\.\d/.test(l)));

function readAll(chunks: readonly Uint8Array[]): unknown[] {
  const reader = new ReplyReader();
  const out: unknown[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
      out.push(e.type === 'reply' ? e.reply : e.code);
    }
  }
  return out;
}

const protocolAlphabet = [...'0123456789- \r\n.<>:@=;"\\', 'a', 'Z'];
const cuts = fc.array(fc.nat({ max: 600 }), { maxLength: 10 });

describe('ReplyReader properties', () => {
  it('read ∘ format is the identity, for pipelined replies under any chunking', () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 5 }), cuts, (rs, at) => {
        const data = bytes(rs.map((r) => formatReplyText(r)).join(''));
        expect(readAll(splitAt(data, at))).toEqual(rs);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same events whatever the chunking, for any bytes, and never throws', () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .array(fc.constantFrom(...protocolAlphabet), { maxLength: 200 })
        .map((a) => bytes(a.join(''))),
    );
    fc.assert(
      fc.property(input, cuts, (data, at) => {
        expect(readAll(splitAt(data, at))).toEqual(readAll([data]));
      }),
      { numRuns: 500 },
    );
  });

  // RFC 5321 §4.2.1: a refused line drops its own reply and nothing else; the reader skips what
  // is left of that reply (up to the line with SP after the code) and reads the next one.
  it('drops only the reply with a refused line (NUL, bare CR, bare LF, too long), under any chunking', () => {
    const fault = fc.constantFrom('nul', 'bare-cr', 'bare-lf', 'too-long');
    fc.assert(
      fc.property(
        fc.array(reply, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        fault,
        cuts,
        (rs, which, where, kind, at) => {
          const texts = rs.map((r) => formatReplyText(r));
          const i = which % rs.length;
          const lines = (texts[i] as string).split('\r\n').slice(0, -1);
          const j = where % lines.length;
          const line = lines[j] as string;
          // The code and its separator stay as sent; the fault comes after them.
          const head = line.length === 3 ? `${line} ` : line.slice(0, 4);
          const bad = {
            nul: '\0',
            'bare-cr': 'x\ry',
            'bare-lf': 'x\ny',
            'too-long': 'x'.repeat(DEFAULT_REPLY_LINE_LENGTH),
          }[kind];
          lines[j] = `${head}${bad}${line.slice(4)}`;
          texts[i] = lines.map((l) => `${l}\r\n`).join('');
          const error =
            kind === 'too-long' ? 'ERR_WIRE_REPLY_LINE_TOO_LONG' : 'ERR_WIRE_REPLY_SYNTAX';
          const want = [...rs.slice(0, i), error, ...rs.slice(i + 1)];
          expect(readAll(splitAt(bytes(texts.join('')), at))).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
