import { describe, expect, it } from 'vitest';
import { extensionReplies } from '../extension-replies.js';
import { createRegistry } from '../registry.js';
import { serverCapabilities } from '../server-capabilities.js';
import { sessionContext } from '../test-context.js';
import { dsn, parseNotify } from './dsn.js';

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

  it('ORCPT = addr-type ";" xtext (§4.2), decoded', () => {
    expect(rcpt('ORCPT', 'rfc822;George+20@Tax-+20ME+20.GOV')).toEqual({
      ok: true,
      value: { ORCPT: { addrType: 'rfc822', address: 'George @Tax- ME .GOV' } },
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
      expect(rcpt('ORCPT', v), v).toEqual(bad);
    }
    // "MUST consist entirely of printable ... US-ASCII": a decoded control character is refused.
    expect(rcpt('ORCPT', 'rfc822;a+0Ab@c')).toEqual(bad);
    // At most 500 characters.
    expect(rcpt('ORCPT', `rfc822;${'a'.repeat(493)}`)).toMatchObject({ ok: true });
    expect(rcpt('ORCPT', `rfc822;${'a'.repeat(494)}`)).toEqual(bad);
  });

  // Interop: Postfix relays a UTF-8 recipient to a DSN-capable next hop as `ORCPT=rfc822;` and
  // the address as is, in an SMTPUTF8 transaction (RFC 6531 §3.3: UTF8-non-ascii in an
  // esmtp-value). Without SMTPUTF8 the value must stay ASCII xtext (RFC 3461 §4).
  it('ORCPT rfc822 with a UTF-8 address: taken under SMTPUTF8 only', () => {
    expect(rcpt('ORCPT', 'rfc822;测试@例子.example', true)).toEqual({
      ok: true,
      value: { ORCPT: { addrType: 'rfc822', address: '测试@例子.example' } },
    });
    expect(rcpt('ORCPT', 'rfc822;测试@例子.example')).toEqual(bad);
    // A decoded control character is refused all the same.
    expect(rcpt('ORCPT', 'rfc822;测+0A@x', true)).toEqual(bad);
  });

  it('ORCPT utf-8 forms (RFC 6533): unitext only when SMTPUTF8 is in effect', () => {
    const unitext = 'utf-8;e\\x{3D}mc2@ドメイン.jp';
    expect(rcpt('ORCPT', unitext)).toEqual(bad);
    expect(rcpt('ORCPT', unitext, true)).toEqual({
      ok: true,
      value: { ORCPT: { addrType: 'utf-8', address: 'e=mc2@ドメイン.jp' } },
    });
    for (const v of ['utf-8;a\\x{D800}b', 'utf-8;a\\x{110000}b', 'utf-8;a\\xb', 'utf-8;a=b']) {
      expect(rcpt('ORCPT', v, true), v).toEqual(bad);
    }
  });

  it('formats DSN parameters for the client', () => {
    const caps = serverCapabilities({ DSN: [] });
    const c = { tls: false, lmtp: false };
    const params = registry.clientRcptParams(
      {
        mailParams: {},
        recipients: [
          {
            params: {
              NOTIFY: ['SUCCESS', 'DELAY'],
              ORCPT: { addrType: 'rfc822', address: 'a b@c' },
            },
          },
          { params: { ORCPT: { addrType: 'utf-8', address: 'é@x' } } },
        ],
      },
      1,
      caps,
      c,
    );
    expect(params).toEqual([{ keyword: 'ORCPT', value: 'utf-8;\\x{E9}@x' }]);
    expect(
      registry.clientRcptParams(
        { mailParams: {}, recipients: [{ params: { NOTIFY: ['SUCCESS', 'DELAY'] } }] },
        0,
        caps,
        c,
      ),
    ).toEqual([{ keyword: 'NOTIFY', value: 'SUCCESS,DELAY' }]);
  });
});
