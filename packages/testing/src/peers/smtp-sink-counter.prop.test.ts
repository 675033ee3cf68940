import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSmtpSinkCounter } from './smtp-sink-counter.js';

const record = (n: number): string => `sess=${n} quit=${n} mesg=${n}\r`;

describe('parseSmtpSinkCounter properties', () => {
  it('any cut of the output gives the last record complete before the cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        (counts, at) => {
          const text = counts.map(record).join('');
          const cut = at % (text.length + 1);
          const complete = text.slice(0, cut).split('\r').length - 1;
          expect(parseSmtpSinkCounter(text.slice(0, cut))).toBe(
            complete === 0 ? 0 : counts[complete - 1],
          );
        },
      ),
    );
  });

  it('never throws on arbitrary text and returns a non-negative integer', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789\r\n =mesgquit'.split('')) }),
        (text) => {
          const n = parseSmtpSinkCounter(text);
          expect(Number.isInteger(n) && n >= 0).toBe(true);
        },
      ),
    );
  });
});
