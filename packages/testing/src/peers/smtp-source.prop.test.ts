import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSmtpSourceCounter } from './smtp-source.js';

describe('parseSmtpSourceCounter properties', () => {
  it('returns the last count of any counter output, whatever the separators', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 50 }),
        fc.constantFrom('\r', '\n', '\r\n'),
        (counts, sep) => {
          expect(parseSmtpSourceCounter(`${counts.join(sep)}${sep}\n`)).toBe(counts.at(-1));
        },
      ),
    );
  });

  it('never throws on arbitrary text and returns a non-negative integer', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789\r\n :abc'.split('')) }),
        (text) => {
          const n = parseSmtpSourceCounter(text);
          expect(Number.isInteger(n) && n >= 0).toBe(true);
        },
      ),
    );
  });
});
