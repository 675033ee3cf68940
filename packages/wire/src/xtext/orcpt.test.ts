import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { formatOrcpt, parseOrcpt } from './orcpt.js';
import { decodeXtext } from './xtext.js';

const bad = expect.objectContaining({ code: 'ERR_WIRE_PARAMETER_SYNTAX' });

interface OrcptVector {
  orcpt: string;
  addr_type: string;
  form: 'utf-8-addr-xtext' | 'utf-8-addr-unitext';
  decoded: string;
  valid: boolean;
  direction?: 'encode';
}

describe('ORCPT against orcpt-utf8-addr.jsonl', () => {
  for (const v of readJsonl<OrcptVector>('xtext', 'orcpt-utf8-addr.jsonl')) {
    const smtputf8 = v.form === 'utf-8-addr-unitext';
    if (v.direction === 'encode') {
      it(`formats ${v.decoded} as ${v.orcpt}`, () => {
        const addrType = v.orcpt.slice(0, v.orcpt.indexOf(';'));
        expect(formatOrcpt({ addrType, address: v.decoded }, { smtputf8 })).toBe(v.orcpt);
      });
    } else {
      it(`parses ${v.orcpt}`, () => {
        expect(parseOrcpt(v.orcpt, { smtputf8 })).toEqual({
          addrType: v.addr_type,
          address: v.decoded,
        });
      });
    }
    if (smtputf8) {
      it(`refuses the unitext form ${v.orcpt} without SMTPUTF8`, () => {
        expect(() => parseOrcpt(v.orcpt)).toThrowError(bad);
      });
    }
  }
});

interface ParamsVector {
  input: string;
  decoded?: { ORCPT?: { addr_type: string; addr: string }; ENVID?: string };
  valid: boolean;
  requires?: string;
  direction?: string;
  impl_result?: { orcpt?: string; env_id?: string; auth?: string };
}

describe('ORCPT, ENVID and AUTH values of esmtp-params.jsonl', () => {
  const records = readJsonl<ParamsVector>('xtext', 'esmtp-params.jsonl');
  const paramValue = (input: string, keyword: string) =>
    new RegExp(` ${keyword}=(\\S*)`, 'i').exec(input)?.[1];

  for (const v of records) {
    const orcpt = paramValue(v.input, 'ORCPT');
    const envid = paramValue(v.input, 'ENVID');
    const auth = paramValue(v.input, 'AUTH');
    if (orcpt === undefined && envid === undefined && auth === undefined) continue;
    const smtputf8 = v.requires === 'SMTPUTF8';

    if (!v.valid) {
      if (orcpt !== undefined) {
        it(`refuses ORCPT=${orcpt}`, () =>
          expect(() => parseOrcpt(orcpt, { smtputf8 })).toThrowError(bad));
      }
      continue;
    }
    it(`decodes the parameters of ${v.input}`, () => {
      if (orcpt !== undefined) {
        const parsed = parseOrcpt(orcpt, { smtputf8 });
        const expected = v.decoded?.ORCPT;
        if (expected)
          expect(parsed).toEqual({ addrType: expected.addr_type, address: expected.addr });
        if (v.impl_result?.orcpt) expect(parsed.address).toBe(v.impl_result.orcpt);
        expect(parsed.addrType).toBe(orcpt.slice(0, orcpt.indexOf(';')).toLowerCase());
      }
      if (envid !== undefined) {
        const expected = v.decoded?.ENVID ?? v.impl_result?.env_id;
        const decoded = decodeXtext(envid);
        if (expected !== undefined) expect(decoded).toBe(expected);
      }
      if (auth !== undefined) {
        const decoded = decodeXtext(auth);
        if (v.impl_result?.auth !== undefined) expect(decoded).toBe(v.impl_result.auth);
      }
    });
  }
});

describe('parseOrcpt / formatOrcpt', () => {
  it('lower-cases the addr-type and decodes rfc822 xtext', () => {
    expect(parseOrcpt('Rfc822;e+3Dmc2@example.com')).toEqual({
      addrType: 'rfc822',
      address: 'e=mc2@example.com',
    });
  });

  it('refuses a missing ";", an empty or non-atom addr-type, an empty address, bad xtext', () => {
    for (const value of ['rfc822', ';a@b', 'rfc 822;a@b', 'rfc822;', 'rfc822;a+zz', 'rf.c;a@b']) {
      expect(() => parseOrcpt(value), value).toThrowError(bad);
    }
  });

  it('takes a utf-8 address written as a plain mailbox with "+" under SMTPUTF8 (RFC 6533 utf-8-address)', () => {
    expect(parseOrcpt('utf-8;a+tag@example.com', { smtputf8: true })).toEqual({
      addrType: 'utf-8',
      address: 'a+tag@example.com',
    });
    expect(parseOrcpt('utf-8;δ+tag@example.com', { smtputf8: true })).toEqual({
      addrType: 'utf-8',
      address: 'δ+tag@example.com',
    });
  });

  // RFC 3461 §4.2: the value is `addr-type ";" xtext`; RFC 6533 §3 marks utf-8-addr-xtext as the
  // form "safe for use in the ORCPT parameter even when SMTPUTF8 SMTP extension is not
  // advertised". The raw utf-8-address (a Mailbox as RFC 6531 writes it) needs SMTPUTF8.
  it('refuses a raw utf-8 address without SMTPUTF8, ASCII or not', () => {
    for (const value of [
      'utf-8;a+tag@example.com',
      'utf-8;δ+tag@example.com',
      'utf-8;δ@example.com',
    ]) {
      expect(() => parseOrcpt(value), value).toThrowError(bad);
    }
    expect(parseOrcpt('utf-8;a\\x{2B}tag@example.com')).toEqual({
      addrType: 'utf-8',
      address: 'a+tag@example.com',
    });
  });

  it('picks rfc822 for ASCII and utf-8 otherwise', () => {
    expect(formatOrcpt({ address: 'e=mc2@example.com' })).toBe('rfc822;e+3Dmc2@example.com');
    expect(formatOrcpt({ address: 'é@example.com' })).toBe('utf-8;\\x{E9}@example.com');
    expect(formatOrcpt({ address: 'é@example.com' }, { smtputf8: true })).toBe(
      'utf-8;é@example.com',
    );
  });
});

// Interop: Postfix relays a UTF-8 recipient to a DSN-capable next hop as
// `ORCPT=rfc822;<the address as is>` in an SMTPUTF8 transaction. RFC 6531 §3.3 lets an
// esmtp-value carry UTF8-non-ascii while SMTPUTF8 is in use, so the xtext of an rfc822 address
// may too; without SMTPUTF8 it stays ASCII xtext (RFC 3461 §4).
describe('parseOrcpt: an rfc822 address with UTF-8 under SMTPUTF8', () => {
  it('reads the UTF-8 characters as they stand, with xtext escapes still decoded', () => {
    expect(parseOrcpt('rfc822;测试@例子.example', { smtputf8: true })).toEqual({
      addrType: 'rfc822',
      address: '测试@例子.example',
    });
    expect(parseOrcpt('rfc822;t+2Bx测@example.com', { smtputf8: true })).toEqual({
      addrType: 'rfc822',
      address: 't+x测@example.com',
    });
  });

  it('refuses it without SMTPUTF8, and a bad escape either way', () => {
    expect(() => parseOrcpt('rfc822;测试@example.com')).toThrow();
    expect(() => parseOrcpt('rfc822;测试+zz@example.com', { smtputf8: true })).toThrow();
  });
});
