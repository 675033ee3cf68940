import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { WireError } from '../wire-error.js';
import { decodeXtext, decodeXtextBytes, encodeXtext, isXtext } from './xtext.js';

interface XtextVector {
  encoded: string;
  decoded: string | null;
  valid: boolean;
  direction: 'both' | 'decode' | 'encode';
  context: string;
  note?: string;
}

const badXtext = expect.objectContaining({
  name: 'WireError',
  code: 'ERR_WIRE_PARAMETER_SYNTAX',
  reply: expect.objectContaining({ code: 501 }),
});

describe('xtext against xtext.jsonl', () => {
  for (const v of readJsonl<XtextVector>('xtext', 'xtext.jsonl')) {
    const title = `${JSON.stringify(v.encoded)} (${v.context})`;
    if (v.valid && v.decoded !== null) {
      const decoded = v.decoded;
      it(`decodes ${title}`, () => {
        expect(decodeXtext(v.encoded)).toBe(decoded);
        expect(isXtext(v.encoded)).toBe(true);
      });
      if (v.direction === 'both' || v.direction === 'encode') {
        it(`encodes ${title}`, () => expect(encodeXtext(decoded)).toBe(v.encoded));
      }
    } else if (v.encoded === '') {
      // RFC 3461 §4: xtext = *( xchar / hexchar ) allows the empty string; the vector is invalid
      // only as an esmtp-value (RFC 5321 §4.1.2: esmtp-value = 1*(%d33-60 / %d62-126)), which the
      // command parser enforces before the value reaches xtext decoding.
      it(`decodes the empty xtext of ${title}; its emptiness is an esmtp-value matter`, () => {
        expect(decodeXtext('')).toBe('');
      });
    } else {
      it(`refuses ${title} with a typed error`, () => {
        expect(() => decodeXtext(v.encoded)).toThrowError(badXtext);
        expect(isXtext(v.encoded)).toBe(false);
      });
    }
  }
});

describe('xtext', () => {
  it('refuses lower-case hex digits (RFC 3461 §4: two upper case hexadecimal digits)', () => {
    expect(() => decodeXtext('a+3db')).toThrowError(badXtext);
    expect(decodeXtext('a+3Db')).toBe('a=b');
  });

  it('refuses characters outside xchar: "=", space, controls, non-ASCII', () => {
    for (const bad of ['a=b', 'a b', 'a\tb', 'a\r\nb', 'ä', '\x7f', '+', '+4', '+4G']) {
      expect(() => decodeXtext(bad), JSON.stringify(bad)).toThrowError(badXtext);
      expect(isXtext(bad)).toBe(false);
    }
  });

  it('encodes "+", "=", space, controls and UTF-8 octets as hexchars', () => {
    expect(encodeXtext('a+b=c d\r\n')).toBe('a+2Bb+3Dc+20d+0D+0A');
    expect(encodeXtext('é')).toBe('+C3+A9');
    expect(decodeXtext('+C3+A9')).toBe('é');
    expect(encodeXtext(Uint8Array.of(0, 0xff, 0x41))).toBe('+00+FFA');
    expect([...decodeXtextBytes('+00+FFA')]).toEqual([0, 0xff, 0x41]);
  });

  it('refuses octets that are not UTF-8 when decoding to a string', () => {
    expect(() => decodeXtext('+FF')).toThrowError(badXtext);
  });

  it('throws WireError, which tells peer errors apart from misuse', () => {
    try {
      decodeXtext('+zz');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WireError);
      expect((error as WireError).misuse).toBe(false);
    }
  });
});
