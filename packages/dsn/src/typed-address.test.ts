import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDiagnostic,
  formatMtaName,
  formatTypedAddress,
  parseDiagnostic,
  parseMtaName,
  parseTypedAddress,
} from './typed-address.js';

describe('formatTypedAddress (RFC 3464 §2.3.1, RFC 6533 §3)', () => {
  it('an ASCII address keeps its type and stands as written', () => {
    expect(formatTypedAddress({ addrType: 'rfc822', address: 'a+b=c@x.org' }, false)).toBe(
      'rfc822; a+b=c@x.org',
    );
    expect(formatTypedAddress({ addrType: 'X400', address: '/C=us/' }, false)).toBe('x400; /C=us/');
  });

  it('a non-ASCII address takes the utf-8 type: xtext in an ASCII report, as is in a global one', () => {
    const a = { addrType: 'rfc822', address: 'ü+1@例え.jp' };
    expect(formatTypedAddress(a, false)).toBe('utf-8; \\x{FC}\\x{2B}1@\\x{4F8B}\\x{3048}.jp');
    expect(formatTypedAddress(a, true)).toBe('utf-8; ü+1@例え.jp');
  });

  it('a global address with a backslash is escaped (utf-8-addr-unitext) so it reads back', () => {
    const a = { addrType: 'utf-8', address: 'ü\\x{41}@x.jp' };
    const written = formatTypedAddress(a, true);
    expect(written).toBe('utf-8; ü\\x{5C}x{41}@x.jp');
    expect(parseTypedAddress(written)).toEqual(a);
  });

  it('refuses an empty address, a type that is not an atom, an unspellable character', () => {
    expect(() => formatTypedAddress({ addrType: 'rfc822', address: '' }, false)).toThrow(/empty/);
    expect(() => formatTypedAddress({ addrType: 'rfc 822', address: 'a@b' }, false)).toThrow(
      /atom/,
    );
    expect(() => formatTypedAddress({ addrType: 'utf-8', address: 'a\u000b@b' }, false)).toThrow(
      /cannot be written/,
    );
  });
});

describe('parseTypedAddress', () => {
  it('reads types in any case, brackets, no space after ";", and no type at all', () => {
    expect(parseTypedAddress('RFC822;<a@b.org>')).toEqual({
      addrType: 'rfc822',
      address: 'a@b.org',
    });
    expect(parseTypedAddress('a@b.org')).toEqual({ addrType: 'rfc822', address: 'a@b.org' });
    expect(parseTypedAddress('rfc822; ')).toBeUndefined();
  });

  it('keeps a utf-8 value that does not decode as written', () => {
    expect(parseTypedAddress('utf-8; a\\x{ZZ}@b')).toEqual({
      addrType: 'utf-8',
      address: 'a\\x{ZZ}@b',
    });
  });

  it('round trip for any address, in both report flavours', () => {
    const chars = fc.constantFrom(...'ab.+=\\_-{}x'.split(''), 'é', '鈴', '😀');
    const address = fc
      .array(chars, { minLength: 1, maxLength: 30 })
      .map((c) => `${c.join('')}@x.org`);
    fc.assert(
      fc.property(address, fc.constantFrom('rfc822', 'utf-8'), fc.boolean(), (a, type, global) => {
        const parsed = parseTypedAddress(
          formatTypedAddress({ addrType: type, address: a }, global),
        );
        expect(parsed?.address).toBe(a);
        expect(parsed?.addrType).toBe(/[^\u0020-\u007e]/.test(a) ? 'utf-8' : type);
      }),
    );
  });
});

describe('MTA names and diagnostics (RFC 3464 §2.2.2, §2.3.6)', () => {
  it('write and read back', () => {
    expect(parseMtaName(formatMtaName({ type: 'DNS', name: 'mx.example.org' }))).toEqual({
      type: 'dns',
      name: 'mx.example.org',
    });
    expect(
      parseDiagnostic(formatDiagnostic({ type: 'smtp', text: '550 5.1.1 no; really' })),
    ).toEqual({
      type: 'smtp',
      text: '550 5.1.1 no; really',
    });
    expect(parseDiagnostic('550 no type')).toEqual({ type: 'smtp', text: '550 no type' });
    expect(parseMtaName('mx.example.org')).toEqual({ type: 'dns', name: 'mx.example.org' });
    expect(parseMtaName('dns;')).toBeUndefined();
  });
});
