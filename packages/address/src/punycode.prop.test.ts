/** RFC 3492 decoding against tr46's (punycode.js) encoder, and robustness on arbitrary text. */
import fc from 'fast-check';
import { toASCII } from 'tr46';
import { describe, expect, it } from 'vitest';
import { punycodeDecode } from './punycode.js';

describe('punycodeDecode', () => {
  it('inverts the encoding tr46 produces for any label', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }), (s) => {
        const label = s.replace(/\./g, '');
        const a = toASCII(label, { transitionalProcessing: false });
        if (a === null || !a.startsWith('xn--') || a.includes('.')) return; // nothing to decode
        const decoded = punycodeDecode(a.slice(4));
        expect(decoded).not.toBeNull();
        expect(toASCII(decoded as string, { transitionalProcessing: false })).toBe(a);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (s) => {
        const out = punycodeDecode(s);
        expect(out === null || typeof out === 'string').toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
