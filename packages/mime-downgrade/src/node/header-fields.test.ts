import { describe, expect, it } from 'vitest';
import { isDowngradeError } from '../downgrade-error.js';
import { foldField, rewriteHeaderField } from './header-fields.js';

const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const codeOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return isDowngradeError(e) ? e.code : e;
  }
  return undefined;
};

describe('rewriteHeaderField', () => {
  it('leaves a 7-bit field with short lines alone', () => {
    expect(rewriteHeaderField('Subject: hello')).toBeUndefined();
  });

  it('encodes only the 8-bit words of an unstructured field', () => {
    expect(rewriteHeaderField(utf8('Subject: déjà vu'))).toBe(
      'Subject: =?UTF-8?Q?d=C3=A9j=C3=A0?= vu',
    );
    expect(rewriteHeaderField(utf8('X-Custom:  über'))).toBe('X-Custom:  =?UTF-8?Q?=C3=BCber?=');
  });

  it('reads octets that are not UTF-8 as Latin-1', () => {
    expect(rewriteHeaderField('Subject: caf\xe9')).toBe('Subject: =?UTF-8?Q?caf=C3=A9?=');
  });

  it('moves 8-bit parameters to RFC 2231 form', () => {
    expect(rewriteHeaderField(utf8('Content-Type: text/plain; name="ü.txt"; charset=utf-8'))).toBe(
      "Content-Type: text/plain; name*0*=utf-8''%C3%BC.txt; charset=utf-8",
    );
  });

  it('refuses 8-bit in a field with no place for an encoded-word, and in Return-Path', () => {
    expect(codeOf(() => rewriteHeaderField(utf8('Received: from hôte.example')))).toBe(
      'ERR_MIME_DOWNGRADE_UTF8_HEADER',
    );
    expect(codeOf(() => rewriteHeaderField(utf8('Return-Path: <jörg@example.com>')))).toBe(
      'ERR_MIME_DOWNGRADE_UTF8_ADDRESS',
    );
    expect(codeOf(() => rewriteHeaderField(utf8('Sübject: x')))).toBe(
      'ERR_MIME_DOWNGRADE_UTF8_HEADER',
    );
  });

  it('folds a 7-bit line over 998 octets at white space, and refuses one it cannot fold', () => {
    const long = `X-Long: ${'word '.repeat(300)}end`;
    const folded = rewriteHeaderField(long);
    expect(folded?.replace(/\r\n(?=[ \t])/g, '')).toBe(long);
    for (const line of folded?.split('\r\n') ?? []) expect(line.length).toBeLessThanOrEqual(76);
    expect(codeOf(() => rewriteHeaderField(`X-Long: ${'a'.repeat(1000)}`))).toBe(
      'ERR_MIME_DOWNGRADE_UNCONVERTIBLE',
    );
  });
});

describe('foldField', () => {
  it('never leaves a line of white space only', () => {
    expect(foldField(`X: ${' '.repeat(100)}a`, 20).split('\r\n')[0]).toMatch(/\S/);
  });
});
