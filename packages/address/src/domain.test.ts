import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { domainsEqual, parseDomain } from './domain.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AddressError) return e.code;
    throw e;
  }
  return undefined;
}

const utf8 = { smtputf8: true } as const;

describe('Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]', () => {
  it('lower-cases the ASCII form and keeps unicode equal to it for LDH names', () => {
    expect(parseDomain('Mail.Example.COM')).toEqual({
      kind: 'domain',
      ascii: 'mail.example.com',
      unicode: 'mail.example.com',
    });
  });

  it('accepts digits anywhere, single labels and "--" inside a plain LDH label', () => {
    expect(parseDomain('3com.com').ascii).toBe('3com.com');
    expect(parseDomain('10.42.0.1').ascii).toBe('10.42.0.1');
    expect(parseDomain('localhost').ascii).toBe('localhost');
    expect(parseDomain('c--n.com').ascii).toBe('c--n.com');
  });

  it('refuses hyphens at label ends, empty labels, a trailing dot and other characters', () => {
    for (const d of [
      '-a.com',
      'a-.com',
      'a..com',
      '.a.com',
      'a.com.',
      '',
      'a_b.com',
      'a b',
      'a.com#',
      '#123',
    ]) {
      expect(
        code(() => parseDomain(d)),
        d,
      ).toBe('ERR_ADDRESS_SYNTAX');
    }
  });

  it('applies the label limit (63) and the domain limit (255), both configurable', () => {
    const l63 = 'a'.repeat(63);
    expect(parseDomain(`${l63}.com`).ascii).toBe(`${l63}.com`);
    expect(code(() => parseDomain(`${l63}a.com`))).toBe('ERR_ADDRESS_LABEL_TOO_LONG');
    const d255 = [l63, l63, l63, 'a'.repeat(63)].join('.');
    expect(d255.length).toBe(255);
    expect(parseDomain(d255).ascii).toBe(d255);
    expect(code(() => parseDomain(`${d255}a`))).toBe('ERR_ADDRESS_LABEL_TOO_LONG');
    expect(code(() => parseDomain(`a.${d255}`))).toBe('ERR_ADDRESS_DOMAIN_TOO_LONG');
    expect(code(() => parseDomain('abc.def', { limits: { domain: 6 } }))).toBe(
      'ERR_ADDRESS_DOMAIN_TOO_LONG',
    );
    expect(parseDomain(`${l63}a.com`, { limits: { label: 64 } }).ascii).toBe(`${l63}a.com`);
  });
});

describe('internationalised domains (RFC 6531 §3.3 U-labels, RFC 5890 A-labels)', () => {
  it('keeps both forms from a U-label name, only with SMTPUTF8', () => {
    expect(parseDomain('bücher.example', utf8)).toEqual({
      kind: 'domain',
      ascii: 'xn--bcher-kva.example',
      unicode: 'bücher.example',
    });
    expect(code(() => parseDomain('bücher.example'))).toBe('ERR_ADDRESS_UTF8_NOT_PERMITTED');
  });

  it('decodes valid A-labels without SMTPUTF8 (they are ASCII)', () => {
    expect(parseDomain('XN--BCHER-KVA.example')).toEqual({
      kind: 'domain',
      ascii: 'xn--bcher-kva.example',
      unicode: 'bücher.example',
    });
  });

  it('maps per UTS #46 Nontransitional: ß stays ß, capitals fold', () => {
    expect(parseDomain('Faß.de', utf8)).toEqual({
      kind: 'domain',
      ascii: 'xn--fa-hia.de',
      unicode: 'faß.de',
    });
  });

  it('keeps a label that only looks like an A-label as it is, in both forms', () => {
    expect(parseDomain('xn--example.com')).toEqual({
      kind: 'domain',
      ascii: 'xn--example.com',
      unicode: 'xn--example.com',
    });
  });

  it('refuses U-labels IDNA2008 refuses', () => {
    // CONTEXTJ: ZWJ not after a virama (RFC 5892 Appendix A.2)
    expect(code(() => parseDomain('a\u200db.example', utf8))).toBe('ERR_ADDRESS_IDNA');
    // a leading combining mark (RFC 5891 §4.2.3.2)
    expect(code(() => parseDomain('\u0301a.example', utf8))).toBe('ERR_ADDRESS_IDNA');
    // "--" in positions 3 and 4 of a U-label (RFC 5891 §4.2.3.1)
    expect(code(() => parseDomain('ab--ü.example', utf8))).toBe('ERR_ADDRESS_IDNA');
    // Bidi rule (RFC 5893): an RTL label next to a label starting with a digit
    expect(code(() => parseDomain('السعودية.1a', utf8))).toBe('ERR_ADDRESS_IDNA');
    // a disallowed code point
    expect(code(() => parseDomain('a\u2028b.example', utf8))).toBe('ERR_ADDRESS_IDNA');
  });

  it('refuses separators other than "." (U+3002, U+FF0E, U+FF61) inside a wire domain', () => {
    for (const sep of ['\u3002', '\uff0e', '\uff61']) {
      expect(code(() => parseDomain(`a${sep}example`, utf8))).toBe('ERR_ADDRESS_IDNA');
    }
  });

  it('applies the label limit to the A-label form', () => {
    // 20 CJK characters make an A-label longer than 63 octets.
    const long = '測'.repeat(60);
    expect(code(() => parseDomain(`${long}.example`, utf8))).toBe('ERR_ADDRESS_LABEL_TOO_LONG');
  });
});

describe('domainsEqual', () => {
  it('compares the ASCII form case-insensitively', () => {
    expect(
      domainsEqual(parseDomain('bücher.example', utf8), parseDomain('XN--BCHER-KVA.EXAMPLE')),
    ).toBe(true);
    expect(
      domainsEqual(
        { kind: 'domain', ascii: 'EXAMPLE.com', unicode: 'EXAMPLE.com' },
        parseDomain('example.COM'),
      ),
    ).toBe(true);
    expect(domainsEqual(parseDomain('a.example'), parseDomain('b.example'))).toBe(false);
  });
});
