import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldLine, octets, parseFields, unfold } from './header-field.js';

const char = fc.constantFrom(...'abcXYZ019<>:@.,;="()\\'.split(''), 'é', '鈴', '😀');
const word = (max: number) =>
  fc.array(char, { minLength: 1, maxLength: max }).map((c) => c.join(''));
const gap = fc.constantFrom(' ', '  ', '\t', ' \t');
const value = (max: number) =>
  fc
    .tuple(word(max), fc.array(fc.tuple(gap, word(max)), { maxLength: 40 }))
    .map(([w, rest]) => w + rest.map(([g, x]) => g + x).join(''));

describe('fold ∘ unfold', () => {
  it('unfolding a folded field gives it back; lines ≤ 78 octets when the words allow', () => {
    fc.assert(
      fc.property(value(20), (v) => {
        const line = `Diagnostic-Code: ${v}`;
        const folded = foldLine(line);
        expect(unfold(folded)).toBe(line);
        expect(parseFields(`${folded}\r\n`)).toEqual([{ name: 'Diagnostic-Code', value: v }]);
        for (const l of folded.split('\r\n')) {
          // A line is longer only when it is one word (a fold needs white space before it).
          if (octets(l) > 78) expect(l.trim()).not.toMatch(/[ \t]/);
          expect(l.trim()).not.toBe('');
        }
      }),
    );
  });

  it('no line over 998 octets, whatever the words', () => {
    fc.assert(
      fc.property(value(700), (v) => {
        for (const l of foldLine(`X: ${v}`).split('\r\n')) {
          expect(octets(l)).toBeLessThanOrEqual(998);
        }
      }),
      { numRuns: 50 },
    );
  });
});
