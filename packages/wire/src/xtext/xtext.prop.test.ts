import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireError } from '../wire-error.js';
import { formatOrcpt, parseOrcpt } from './orcpt.js';
import {
  decodeUtf8AddrUnitext,
  decodeUtf8AddrXtext,
  encodeUtf8AddrUnitext,
  encodeUtf8AddrXtext,
} from './utf8-addr.js';
import { decodeXtext, decodeXtextBytes, encodeXtext, isXtext } from './xtext.js';

/** Protocol alphabet plus the characters xtext and RFC 6533 give a meaning to. */
const protocolText = fc.string({
  unit: fc.constantFrom(
    ...'<>:@.,;="\\\r\n +xX{}0123456789ABCDEFabcdefZé\u30C9\u{1F600}'.split(/(?:)/u),
  ),
  maxLength: 40,
});
const anyText = fc.oneof(protocolText, fc.string({ unit: 'binary', maxLength: 40 }));
const UNSPELLABLE = new Set([
  0, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
]);
/** Code points HEXPOINT can spell (RFC 6533 §3): everything but NUL, 0A-0F and 1A-1F. */
const spellable = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 30 })
  .filter((s) => ![...s].some((c) => UNSPELLABLE.has(c.codePointAt(0) as number)));

function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(WireError);
    expect((error as WireError).code).toBe('ERR_WIRE_PARAMETER_SYNTAX');
  }
}

describe('xtext properties', () => {
  it('decodeXtext ∘ encodeXtext is the identity, and the encoding is valid xtext', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const encoded = encodeXtext(s);
        expect(isXtext(encoded)).toBe(true);
        expect(decodeXtext(encoded)).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips any octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
        expect([...decodeXtextBytes(encodeXtext(b))]).toEqual([...b]);
      }),
    );
  });

  it('never throws anything but the typed error, and agrees with isXtext', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        onlyTypedErrors(() => decodeXtext(s));
        let ok = true;
        try {
          decodeXtextBytes(s);
        } catch {
          ok = false;
        }
        expect(ok).toBe(isXtext(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('RFC 6533 properties', () => {
  it('decode ∘ encode is the identity for both forms; the xtext form is ASCII', () => {
    fc.assert(
      fc.property(spellable, (s) => {
        const x = encodeUtf8AddrXtext(s);
        expect(/^[\x21-\x7e]+$/.test(x)).toBe(true);
        expect(decodeUtf8AddrXtext(x)).toBe(s);
        expect(decodeUtf8AddrUnitext(encodeUtf8AddrUnitext(s))).toBe(s);
        expect(decodeUtf8AddrUnitext(x)).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('parseOrcpt ∘ formatOrcpt is the identity', () => {
    fc.assert(
      fc.property(spellable, fc.boolean(), (address, smtputf8) => {
        const value = formatOrcpt({ address }, { smtputf8 });
        const parsed = parseOrcpt(value, { smtputf8 });
        expect(parsed.address).toBe(address);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but the typed error on arbitrary text', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (s, smtputf8) => {
        onlyTypedErrors(() => decodeUtf8AddrXtext(s));
        onlyTypedErrors(() => decodeUtf8AddrUnitext(s));
        onlyTypedErrors(() => parseOrcpt(s, { smtputf8 }));
        onlyTypedErrors(() => parseOrcpt(`utf-8;${s}`, { smtputf8 }));
        onlyTypedErrors(() => encodeUtf8AddrXtext(s));
      }),
      { numRuns: 2000 },
    );
  });
});
