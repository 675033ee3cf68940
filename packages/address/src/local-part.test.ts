import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { formatLocalPart, isDotString, scanLocalPart } from './local-part.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AddressError) return e.code;
    throw e;
  }
  return undefined;
}

describe('Dot-string', () => {
  it('stops at the first character that is neither atext nor "."', () => {
    expect(scanLocalPart('a.b+c@x')).toEqual({ value: 'a.b+c', end: 5, form: 'dot-string' });
    expect(scanLocalPart('x y', 2)).toEqual({ value: 'y', end: 3, form: 'dot-string' });
  });

  it('refuses empty atoms: leading, trailing and double dots', () => {
    expect(code(() => scanLocalPart('.a@x'))).toBe('ERR_ADDRESS_SYNTAX');
    expect(code(() => scanLocalPart('a.@x'))).toBe('ERR_ADDRESS_SYNTAX');
    expect(code(() => scanLocalPart('a..b@x'))).toBe('ERR_ADDRESS_SYNTAX');
    expect(code(() => scanLocalPart('@x'))).toBe('ERR_ADDRESS_SYNTAX');
  });

  it('takes UTF-8 atext only with SMTPUTF8 (RFC 6531 §3.3)', () => {
    expect(code(() => scanLocalPart('pelé@x'))).toBe('ERR_ADDRESS_UTF8_NOT_PERMITTED');
    expect(scanLocalPart('pelé@x', 0, { smtputf8: true }).value).toBe('pelé');
    expect(scanLocalPart('😀.x@y', 0, { smtputf8: true }).end).toBe(4);
  });

  it('refuses a lone surrogate even with SMTPUTF8: it has no UTF-8 form', () => {
    expect(code(() => scanLocalPart('a\ud800@x', 0, { smtputf8: true }))).toBe(
      'ERR_ADDRESS_SYNTAX',
    );
    expect(code(() => scanLocalPart('a\udc00@x', 0, { smtputf8: true }))).toBe(
      'ERR_ADDRESS_SYNTAX',
    );
  });
});

describe('Quoted-string', () => {
  it('decodes quoted-pairs and reports the index past the closing quote', () => {
    expect(scanLocalPart('"a\\"b\\\\c"@x')).toEqual({
      value: 'a"b\\c',
      end: 9,
      form: 'quoted-string',
    });
    expect(scanLocalPart('""@x')).toEqual({ value: '', end: 2, form: 'quoted-string' });
    expect(scanLocalPart('"<a@b>"@x').value).toBe('<a@b>');
  });

  it('refuses controls in qtext and in quoted-pairs (qtextSMTP = %d32-33 / %d35-91 / %d93-126)', () => {
    for (const c of ['\0', '\t', '\r', '\n', '\x7f']) {
      expect(
        code(() => scanLocalPart(`"a${c}"@x`)),
        JSON.stringify(c),
      ).toBe('ERR_ADDRESS_SYNTAX');
      expect(
        code(() => scanLocalPart(`"a\\${c}"@x`)),
        JSON.stringify(c),
      ).toBe('ERR_ADDRESS_SYNTAX');
    }
  });

  it('refuses an unterminated string and a trailing backslash', () => {
    expect(code(() => scanLocalPart('"abc'))).toBe('ERR_ADDRESS_SYNTAX');
    expect(code(() => scanLocalPart('"abc\\'))).toBe('ERR_ADDRESS_SYNTAX');
    expect(code(() => scanLocalPart('"abc\\"'))).toBe('ERR_ADDRESS_SYNTAX');
  });

  it('takes UTF-8 qtext only with SMTPUTF8, and never a UTF-8 quoted-pair', () => {
    expect(code(() => scanLocalPart('"é"@x'))).toBe('ERR_ADDRESS_UTF8_NOT_PERMITTED');
    expect(scanLocalPart('"é ü"@x', 0, { smtputf8: true }).value).toBe('é ü');
    expect(code(() => scanLocalPart('"\\é"@x', 0, { smtputf8: true }))).toBe('ERR_ADDRESS_SYNTAX');
  });

  it('counts the local-part limit in octets as written, quotes included (RFC 5321 §4.5.3.1.1)', () => {
    const sixtyTwo = 'a'.repeat(62);
    expect(scanLocalPart(`"${sixtyTwo}"@x`).value).toBe(sixtyTwo);
    expect(code(() => scanLocalPart(`"${sixtyTwo}a"@x`))).toBe('ERR_ADDRESS_LOCAL_PART_TOO_LONG');
    // 32 two-octet characters are 64 octets; one more is too many.
    const e32 = 'é'.repeat(32);
    expect(scanLocalPart(`${e32}@x`, 0, { smtputf8: true }).value).toBe(e32);
    expect(code(() => scanLocalPart(`${e32}e@x`, 0, { smtputf8: true }))).toBe(
      'ERR_ADDRESS_LOCAL_PART_TOO_LONG',
    );
    expect(scanLocalPart(`${sixtyTwo}ab@x`, 0, { limits: { localPart: 64 } }).end).toBe(64);
    expect(code(() => scanLocalPart('abc@x', 0, { limits: { localPart: 2 } }))).toBe(
      'ERR_ADDRESS_LOCAL_PART_TOO_LONG',
    );
  });
});

describe('formatLocalPart (RFC 5321 §4.1.2: Dot-string when possible)', () => {
  it('keeps Dot-strings as they are', () => {
    expect(formatLocalPart('john.doe')).toBe('john.doe');
    expect(formatLocalPart('pelé')).toBe('pelé');
  });

  it('quotes everything else, escaping only DQUOTE and backslash', () => {
    expect(formatLocalPart('')).toBe('""');
    expect(formatLocalPart('a..b')).toBe('"a..b"');
    expect(formatLocalPart('a b')).toBe('"a b"');
    expect(formatLocalPart('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(formatLocalPart('<a@b>')).toBe('"<a@b>"');
  });

  it('refuses values no Quoted-string can carry, as misuse with no reply', () => {
    const misuse = (code: string) =>
      expect.objectContaining({ code, misuse: true, reply: undefined });
    expect(() => formatLocalPart('a\r\nRCPT TO:<x@y>')).toThrow(
      misuse('ERR_ADDRESS_MISUSE_INJECTION'),
    );
    expect(() => formatLocalPart('a\0')).toThrow(misuse('ERR_ADDRESS_MISUSE_INJECTION'));
    expect(() => formatLocalPart('a\u0001')).toThrow(misuse('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT'));
    expect(() => formatLocalPart('\ud800')).toThrow(misuse('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT'));
  });

  it('isDotString agrees with the grammar', () => {
    expect(isDotString('a')).toBe(true);
    expect(isDotString('a.b.c')).toBe(true);
    expect(isDotString('')).toBe(false);
    expect(isDotString('.a')).toBe(false);
    expect(isDotString('a.')).toBe(false);
    expect(isDotString('a b')).toBe(false);
    expect(isDotString('我買')).toBe(true);
  });
});
