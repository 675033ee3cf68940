import { describe, expect, it } from 'vitest';
import {
  decodeUtf8AddrUnitext,
  decodeUtf8AddrXtext,
  encodeUtf8AddrUnitext,
  encodeUtf8AddrXtext,
} from './utf8-addr.js';

const bad = expect.objectContaining({ code: 'ERR_WIRE_PARAMETER_SYNTAX' });

describe('RFC 6533 utf-8-addr-xtext / utf-8-addr-unitext', () => {
  it('decodes EmbeddedUnicodeChar of every length HEXPOINT allows', () => {
    expect(decodeUtf8AddrXtext('a\\x{20}b\\x{2B}c\\x{3D}d\\x{5C}e\\x{7F}')).toBe('a b+c=d\\e\x7f');
    expect(decodeUtf8AddrXtext('\\x{01}\\x{19}\\x{E9}\\x{100}\\x{30C9}\\x{1F600}\\x{10FFFF}')).toBe(
      '\x01\x19é\u0100ド😀\u{10FFFF}',
    );
  });

  it('accepts lower-case hex in HEXPOINT (RFC 5234 §2.3: ABNF strings are case-insensitive)', () => {
    expect(decodeUtf8AddrXtext('\\x{30c9}')).toBe('ド');
  });

  it('refuses HEXPOINTs the ABNF leaves out: printable ASCII, NUL, CR, LF, leading zeros, surrogates', () => {
    for (const text of [
      '\\x{41}',
      '\\x{00}',
      '\\x{0A}',
      '\\x{0D}',
      '\\x{1A}',
      '\\x{0041}',
      '\\x{00E9}',
      '\\x{D800}',
      '\\x{110000}',
      '\\x{1}',
      '\\x{}',
      '\\x{30C9',
      '\\x30C9}',
      '\\X{30C9}',
      '\\x{3G}',
      '\\x{1000000}',
    ]) {
      expect(() => decodeUtf8AddrXtext(text), text).toThrowError(bad);
    }
  });

  it('refuses "+", "=", space and controls as themselves, and empty addresses', () => {
    for (const text of ['a+b', 'a=b', 'a b', 'a\r\nb', '', '\\']) {
      expect(() => decodeUtf8AddrXtext(text), JSON.stringify(text)).toThrowError(bad);
      expect(() => decodeUtf8AddrUnitext(text), JSON.stringify(text)).toThrowError(bad);
    }
  });

  it('takes raw UTF-8 only in the unitext form', () => {
    expect(() => decodeUtf8AddrXtext('e@ドメイン名例.jp')).toThrowError(bad);
    expect(decodeUtf8AddrUnitext('e\\x{3D}mc2@ドメイン名例.jp')).toBe('e=mc2@ドメイン名例.jp');
    expect(() => decodeUtf8AddrUnitext('a\ud800b')).toThrowError(bad);
  });

  it('encodes with the shortest upper-case HEXPOINT', () => {
    expect(encodeUtf8AddrXtext('e=mc2@ドメ.jp')).toBe('e\\x{3D}mc2@\\x{30C9}\\x{30E1}.jp');
    expect(encodeUtf8AddrXtext('a+b\\c d\x01é😀')).toBe(
      'a\\x{2B}b\\x{5C}c\\x{20}d\\x{01}\\x{E9}\\x{1F600}',
    );
    expect(encodeUtf8AddrUnitext('e=mc2@ドメ.jp')).toBe('e\\x{3D}mc2@ドメ.jp');
  });

  it('refuses to encode what HEXPOINT cannot spell (NUL, CR, LF) or an empty address', () => {
    for (const text of ['a\r\nb', 'a\0', 'a\nb', '', 'a\ud800']) {
      expect(() => encodeUtf8AddrXtext(text), JSON.stringify(text)).toThrowError(bad);
      expect(() => encodeUtf8AddrUnitext(text), JSON.stringify(text)).toThrowError(bad);
    }
  });
});
