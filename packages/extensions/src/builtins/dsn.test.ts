import { describe, expect, it } from 'vitest';
import { extensionReplies } from '../extension-replies.js';
import { createRegistry } from '../registry.js';
import { sessionContext } from '../test-context.js';
import { dsn, formatOrcpt, parseNotify, parseOrcpt } from './dsn.js';

const registry = createRegistry([dsn()]);
const bad = { ok: false, reply: extensionReplies.R501_5_5_4_InvalidParameterValue };
const mail = (keyword: string, value: string) =>
  registry.parseMailParams([{ keyword, value }], sessionContext());
const rcpt = (keyword: string, value: string, smtputf8 = false) =>
  registry.parseRcptParams(
    [{ keyword, value }],
    sessionContext({ phase: 'mail', mailParams: smtputf8 ? { SMTPUTF8: true } : {} }),
  );

describe('DSN (RFC 3461)', () => {
  it('RET=FULL|HDRS, case-insensitive (§4.3)', () => {
    expect(mail('RET', 'hdrs')).toEqual({ ok: true, value: { RET: 'HDRS' } });
    expect(mail('RET', 'FULL')).toEqual({ ok: true, value: { RET: 'FULL' } });
    expect(mail('RET', 'ENCHILADA')).toEqual(bad);
  });

  it('ENVID is xtext of at most 100 characters, decoded (§4.4)', () => {
    expect(mail('ENVID', 'QQ314159')).toEqual({ ok: true, value: { ENVID: 'QQ314159' } });
    expect(mail('ENVID', 'hi+20there')).toEqual({ ok: true, value: { ENVID: 'hi there' } });
    expect(mail('ENVID', 'x'.repeat(100))).toMatchObject({ ok: true });
    expect(mail('ENVID', 'x'.repeat(101))).toEqual(bad);
    expect(mail('ENVID', 'a+3d')).toEqual(bad);
    expect(mail('ENVID', 'a+0A')).toEqual(bad);
  });

  it('NOTIFY=NEVER alone, or any combination of SUCCESS, FAILURE, DELAY (§4.1)', () => {
    expect(parseNotify('NEVER')).toEqual(['NEVER']);
    expect(parseNotify('success,failure,delay')).toEqual(['SUCCESS', 'FAILURE', 'DELAY']);
    expect(parseNotify('DELAY,DELAY')).toEqual(['DELAY']);
    for (const v of ['NEVER,FAILURE', 'FAILURE,NEVER', '', 'CHIMICHANGA', 'SUCCESS,', ',SUCCESS']) {
      expect(parseNotify(v), v).toBeUndefined();
    }
    expect(rcpt('NOTIFY', 'FAILURE,NEVER')).toEqual(bad);
  });

  it('ORCPT = addr-type ";" xtext (§4.2)', () => {
    expect(parseOrcpt('rfc822;George+20@Tax-+20ME+20.GOV', false)).toEqual({
      addrType: 'rfc822',
      address: 'George @Tax- ME .GOV',
    });
    for (const v of [
      '',
      ';hello@domain.org',
      'rfc822;',
      ';',
      'rfc822',
      'rfc 822;a@b',
      'rfc822;a+zz',
    ]) {
      expect(parseOrcpt(v, false), v).toBeUndefined();
    }
    expect(parseOrcpt(`rfc822;${'a'.repeat(493)}`, false)).toBeDefined();
    expect(parseOrcpt(`rfc822;${'a'.repeat(493)}b`, false)).toBeUndefined();
  });

  it('ORCPT utf-8 forms (RFC 6533): unitext only when SMTPUTF8 is in effect', () => {
    const unitext = 'utf-8;e\\x{3D}mc2@ドメイン.jp';
    expect(rcpt('ORCPT', unitext)).toEqual(bad);
    expect(rcpt('ORCPT', unitext, true)).toEqual({
      ok: true,
      value: { ORCPT: { addrType: 'utf-8', address: 'e=mc2@ドメイン.jp' } },
    });
    expect(parseOrcpt('utf-8;a\\x{D800}b', true)).toBeUndefined();
    expect(parseOrcpt('utf-8;a\\x{110000}b', true)).toBeUndefined();
    expect(parseOrcpt('utf-8;a\\xb', true)).toBeUndefined();
    expect(parseOrcpt('utf-8;a=b', true)).toBeUndefined();
  });

  it('formats ORCPT for the client', () => {
    expect(formatOrcpt({ addrType: 'rfc822', address: 'a b@c' })).toBe('rfc822;a+20b@c');
    expect(formatOrcpt({ addrType: 'utf-8', address: 'é@x' })).toBe('utf-8;\\x{E9}@x');
    expect(formatOrcpt({ addrType: 'utf-8', address: 'é@x' }, true)).toBe('utf-8;é@x');
  });
});
