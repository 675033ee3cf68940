import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseReturned, headerSection, longestLine, withCrlf } from './returned-content.js';

const enc = (t: string) => new TextEncoder().encode(t);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('withCrlf', () => {
  it('turns bare CR and LF into CRLF, ends with CRLF, and returns the same array when it can', () => {
    expect(dec(withCrlf(enc('a\rb\nc\r\nd')))).toBe('a\r\nb\r\nc\r\nd\r\n');
    expect(dec(withCrlf(enc('a\r')))).toBe('a\r\n');
    const fine = enc('a\r\nb\r\n');
    expect(withCrlf(fine)).toBe(fine);
  });

  it('for any bytes: only CRLF pairs, idempotent, nothing else changed', () => {
    const piece = fc.oneof(
      fc.constantFrom('\r', '\n', '\r\n', '\n\r', 'x', 'é'),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const out = dec(withCrlf(enc(pieces.join(''))));
        expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        expect(dec(withCrlf(enc(out)))).toBe(out);
        expect(out.replace(/\r\n/g, '')).toBe(pieces.join('').replace(/\r\n|\r|\n/g, ''));
      }),
    );
  });
});

describe('headerSection and longestLine', () => {
  it('ends the header at the first empty line (CRLF or LF), or takes all', () => {
    expect(dec(headerSection(enc('A: 1\r\nB: 2\r\n\r\nbody')))).toBe('A: 1\r\nB: 2\r\n');
    expect(dec(headerSection(enc('A: 1\n\nbody')))).toBe('A: 1\n');
    expect(dec(headerSection(enc('A: 1\r\n')))).toBe('A: 1\r\n');
  });

  it('measures the longest line without its break', () => {
    expect(longestLine(enc('ab\r\nabcd\r\nx'))).toBe(4);
    expect(longestLine(enc(''))).toBe(0);
  });
});

describe('chooseReturned', () => {
  const message = enc('Subject: x\r\n\r\nbody\r\n');

  it('full when asked and small; headers otherwise; nothing when the header breaks the line limit', () => {
    expect(chooseReturned(message, { full: true, fullLimit: 100 })?.kind).toBe('message');
    expect(chooseReturned(message, { full: true, fullLimit: 5 })?.kind).toBe('headers');
    expect(chooseReturned(message, { full: false, fullLimit: 100 })?.kind).toBe('headers');
    const longHeader = enc(`X: ${'y'.repeat(1000)}\r\n\r\nbody\r\n`);
    expect(chooseReturned(longHeader, { full: true, fullLimit: 1e6 })).toBeUndefined();
  });
});
