import { splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SevenBitDetector } from './seven-bit.js';

/** The rules written plainly: lines split at LF, a CR before the LF not counted. */
function reference(bytes: Uint8Array): { eightBit: boolean; nul: boolean; longLine: boolean } {
  const text = Buffer.from(bytes).toString('latin1');
  return {
    eightBit: bytes.some((o) => o >= 0x80),
    nul: bytes.includes(0),
    longLine: text.split('\n').some((line) => line.replace(/\r$/, '').length > 998),
  };
}

const alphabet = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r', '\n', '\r\n', '\x00', '\xe9', 'a'),
      fc.integer({ min: 990, max: 1002 }).map((n) => 'x'.repeat(n)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'latin1')));

describe('SevenBitDetector properties', () => {
  it('agrees with the plain rules, however the input is split', () => {
    fc.assert(
      fc.property(
        fc.oneof(alphabet, fc.uint8Array({ maxLength: 3000 })),
        fc.uniqueArray(fc.nat(3000), { maxLength: 8 }),
        (bytes, cuts) => {
          const scan = new SevenBitDetector();
          for (const chunk of splitAt(
            bytes,
            cuts.filter((c) => c > 0 && c < bytes.length).sort((x, y) => x - y),
          ))
            scan.push(chunk);
          const want = reference(bytes);
          expect({ eightBit: scan.eightBit, nul: scan.nul, longLine: scan.longLine }).toEqual(want);
          expect(scan.sevenBit).toBe(!want.eightBit && !want.nul && !want.longLine);
        },
      ),
      { numRuns: 500 },
    );
  });
});
