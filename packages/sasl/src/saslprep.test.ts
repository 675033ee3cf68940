import { describe, expect, it } from 'vitest';
import { saslPrep } from './saslprep.js';

describe('saslPrep (RFC 4013 §3 examples)', () => {
  it.each([
    ['I\u00ADX', 'IX'], // SOFT HYPHEN mapped to nothing
    ['user', 'user'], // no transformation
    ['USER', 'USER'], // case preserved
    ['\u00AA', 'a'], // output is NFKC, input in ISO 8859-1
    ['\u2168', 'IX'], // output is NFKC, will match 1st example
    ['a\u00A0b', 'a b'], // non-ASCII space mapped to SPACE
  ])('%j → %j', (input, output) => {
    expect(saslPrep(input)).toBe(output);
  });
  it.each([
    ['\u0007', 'prohibited character (C.2.1)'],
    ['a\uE000', 'private use (C.3)'],
    ['\uD800', 'lone surrogate (C.5)'],
    ['x\u{E0041}', 'tag (C.9)'],
  ])('%j is refused: %s', (input) => {
    expect(saslPrep(input)).toBeUndefined();
  });
});
