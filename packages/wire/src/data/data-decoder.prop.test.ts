import { concat, latin1, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataDecoder } from './data-decoder.js';
import { referenceDecode } from './reference-decoder.js';
import { runDecoder } from './run-decoder.js';

/** Protocol alphabet, weighted towards the bytes that matter to the data framing. */
const alphabet = fc.constantFrom(
  ...'<>:@.,;="\\ aZ09'.split('').map((c) => c.charCodeAt(0)),
  13,
  10,
  46,
  46,
  13,
  10,
);
const protocolBytes = fc.array(alphabet, { maxLength: 200 }).map((a) => Uint8Array.from(a));
const anyBytes = fc.uint8Array({ maxLength: 200 });
const wireBytes = fc.oneof(
  protocolBytes,
  anyBytes,
  protocolBytes.map((b) => concat([b, Uint8Array.of(13, 10, 46, 13, 10)])),
);
const cuts = fc.array(fc.nat({ max: 210 }), { maxLength: 12 });
const options = fc.record({
  bareLineEndings: fc.constantFrom('reject' as const, 'normalize' as const),
  maxLineLength: fc.integer({ min: 3, max: 40 }),
  longLines: fc.constantFrom('reject' as const, 'ignore' as const),
});

describe('DataDecoder properties', () => {
  it('any chunking gives the same body, end, rest and violations as the RFC model', () => {
    fc.assert(
      fc.property(wireBytes, cuts, options, (wire, offsets, opts) => {
        const model = referenceDecode(
          wire,
          opts.bareLineEndings === 'normalize',
          opts.maxLineLength,
          opts.longLines === 'reject',
        );
        const run = runDecoder(splitAt(wire, offsets), opts);
        expect(run.done).toBe(model.done);
        expect(latin1(Uint8Array.from(run.body))).toBe(latin1(Uint8Array.from(model.body)));
        expect(run.rest).toEqual(model.rest);
        expect(run.violations).toEqual(model.violations);
        expect(run.bodyLength).toBe(run.body.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary bytes, and never ends before a CRLF.CRLF', () => {
    fc.assert(
      fc.property(wireBytes, cuts, (wire, offsets) => {
        const decoder = new DataDecoder();
        let consumed = 0;
        for (const chunk of splitAt(wire, offsets)) {
          if (decoder.done) break;
          const r = decoder.push(chunk);
          consumed += chunk.length - (r.rest?.length ?? 0);
        }
        if (decoder.done) {
          // The terminator is the three bytes before the rest, preceded by CRLF or the DATA line.
          const end = latin1(wire.subarray(Math.max(0, consumed - 5), consumed));
          expect(end === '.\r\n' || end.endsWith('\r\n.\r\n')).toBe(true);
          expect(decoder.wireLength).toBe(consumed);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
