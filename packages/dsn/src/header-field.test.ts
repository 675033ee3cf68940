import { describe, expect, it } from 'vitest';
import { foldLine, formatField, octets, parseFields, unfold } from './header-field.js';

describe('foldLine (RFC 5322 §2.1.1, §2.2.3)', () => {
  it('leaves a line of 78 octets or fewer alone', () => {
    const line = `Subject: ${'a'.repeat(69)}`;
    expect(foldLine(line)).toBe(line);
  });

  it('folds before the last white space of a run, so no line is white space only', () => {
    const folded = foldLine(`X: ${'a'.repeat(70)}   ${'b'.repeat(10)}`);
    expect(folded).toBe(`X: ${'a'.repeat(70)}  \r\n ${'b'.repeat(10)}`);
    expect(unfold(folded)).toBe(`X: ${'a'.repeat(70)}   ${'b'.repeat(10)}`);
  });

  it('keeps a word longer than 78 octets whole when it fits in 998', () => {
    const folded = foldLine(`X: short ${'w'.repeat(200)} end`);
    expect(folded.split('\r\n')).toEqual(['X: short', ` ${'w'.repeat(200)}`, ' end']);
  });

  it('splits a run longer than 998 octets at character boundaries', () => {
    const folded = foldLine(`X: ${'é'.repeat(600)}`);
    const lines = folded.split('\r\n');
    expect(lines.length).toBe(3); // "X:", then the run in two
    for (const l of lines) expect(octets(l)).toBeLessThanOrEqual(998);
    expect(unfold(folded).replace(/ /g, '')).toBe(`X:${'é'.repeat(600)}`);
  });

  it('counts octets, not UTF-16 units', () => {
    expect(octets('aé€😀')).toBe(1 + 2 + 3 + 4);
  });
});

describe('formatField', () => {
  it('refuses CR, LF and NUL in a value, and a field name with a colon or space', () => {
    expect(() => formatField('X', 'a\r\nBcc: b')).toThrow(/CR, LF or NUL/);
    expect(() => formatField('X', 'a\0')).toThrow(/CR, LF or NUL/);
    expect(() => formatField('X:Y', 'a')).toThrow(/field name/);
    expect(() => formatField('X Y', 'a')).toThrow(/field name/);
  });
});

describe('unfold and parseFields', () => {
  it('removes a break before one white space; an indent of several becomes one space', () => {
    expect(unfold('A: b\r\n c')).toBe('A: b c');
    expect(unfold('A: b\r\n\tc')).toBe('A: b\tc');
    expect(unfold('A: b\n    c')).toBe('A: b c');
  });

  it('reads fields, names kept as written, values trimmed; lines without a colon skipped', () => {
    expect(parseFields('Action: failed\r\nnot a field\r\nStatus :  5.0.0 \r\n')).toEqual([
      { name: 'Action', value: 'failed' },
      { name: 'Status', value: '5.0.0' },
    ]);
  });
});
