import { byteByByte } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { isSevenBit, SevenBitDetector } from './seven-bit.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('isSevenBit / SevenBitDetector', () => {
  it('accepts ASCII with lines of 998 octets, CRLF or LF', () => {
    expect(isSevenBit([b(`Subject: x\r\n\r\n${'a'.repeat(998)}\r\n${'b'.repeat(998)}\n`)])).toBe(
      true,
    );
    expect(isSevenBit([])).toBe(true);
  });

  it('refuses an octet above 127, a NUL, a line of 999 octets', () => {
    expect(isSevenBit([b('caf\xe9\r\n')])).toBe(false);
    expect(isSevenBit([b('a\x00b\r\n')])).toBe(false);
    expect(isSevenBit([b(`${'a'.repeat(999)}\r\n`)])).toBe(false);
    expect(isSevenBit([b('a'.repeat(999))])).toBe(false);
  });

  it('says which rule failed', () => {
    const scan = new SevenBitDetector();
    scan.push(b('\xff\r\n'));
    expect([scan.eightBit, scan.nul, scan.longLine, scan.sevenBit]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('gives the same answer byte by byte, with the CR of a 998-octet line in its own chunk', () => {
    for (const text of [
      `${'a'.repeat(998)}\r\n`,
      `${'a'.repeat(999)}\r\n`,
      `x\r${'a'.repeat(997)}\r\n`,
    ]) {
      expect(isSevenBit(byteByByte(b(text)))).toBe(isSevenBit([b(text)]));
    }
    expect(isSevenBit([b('a'.repeat(998)), b('\r'), b('\n')])).toBe(true);
  });
});
