import { concat, latin1, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataEncoder, encodeData } from './data-encoder.js';
import { runDecoder } from './run-decoder.js';

const alphabet = fc.constantFrom(
  ...'<>:@.,;="\\ aZ09'.split('').map((c) => c.charCodeAt(0)),
  13,
  10,
  46,
  46,
);
const protocolBytes = fc.array(alphabet, { maxLength: 200 }).map((a) => Uint8Array.from(a));
/** Messages made of lines: lines of only ".", leading dots, empty lines, binary bytes. */
const line = fc.oneof(
  fc.constant('.'),
  fc.constant(''),
  fc.constant('..'),
  fc.string({ unit: fc.constantFrom('.', 'a', ' ', '='), maxLength: 6 }),
  fc.uint8Array({ maxLength: 8 }).map((b) => latin1(b).replace(/[\r\n]/g, 'x')),
);
const crlfMessage = fc
  .array(line, { maxLength: 12 })
  .map((lines) => lines.map((l) => `${l}\r\n`).join(''));
const anyBody = fc.oneof(protocolBytes, fc.uint8Array({ maxLength: 200 }));
const cuts = fc.array(fc.nat({ max: 210 }), { maxLength: 12 });
const fromLatin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** What the encoder promises to deliver: bare CR/LF as CRLF, and a CRLF at the end when missing. */
function canonical(body: Uint8Array): string {
  const s = latin1(body).replace(/\r\n|\r|\n/g, '\r\n');
  return s === '' || s.endsWith('\r\n') ? s : `${s}\r\n`;
}

describe('DataEncoder properties', () => {
  it('decode ∘ encode is the identity on CRLF messages (dot lines, leading dots, empty body)', () => {
    fc.assert(
      fc.property(crlfMessage, cuts, (message, offsets) => {
        const wire = encodeData(fromLatin1(message));
        const run = runDecoder(splitAt(wire, offsets));
        expect(run.done).toBe(true);
        expect(run.rest).toEqual([]);
        expect(run.violations).toEqual([]);
        expect(latin1(Uint8Array.from(run.body))).toBe(message);
      }),
      { numRuns: 1000 },
    );
  });

  it('decode ∘ encode gives the canonical form of any bytes (no final CRLF, bare CR/LF, binary)', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const run = runDecoder([concat([encodeData(body), fromLatin1('QUIT\r\n')])], {
          longLines: 'ignore',
        });
        expect(run.done).toBe(true);
        expect(latin1(Uint8Array.from(run.rest))).toBe('QUIT\r\n');
        expect(run.violations).toEqual([]);
        expect(latin1(Uint8Array.from(run.body))).toBe(canonical(body));
      }),
      { numRuns: 1000 },
    );
  });

  it('any chunking of the message gives the same wire bytes', () => {
    fc.assert(
      fc.property(anyBody, cuts, (body, offsets) => {
        const encoder = new DataEncoder();
        const out: Uint8Array[] = [];
        for (const chunk of splitAt(body, offsets)) out.push(...encoder.push(chunk));
        out.push(...encoder.end());
        expect(latin1(concat(out))).toBe(latin1(encodeData(body)));
      }),
      { numRuns: 1000 },
    );
  });
});
