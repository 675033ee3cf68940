// Attack: an application passes a value from its own input (an ENVID, an ORCPT address, a custom
// parameter) holding CR LF, hoping to append a command (RCPT TO:<victim>) to the MAIL line. The
// client side encodes DSN values as xtext and refuses any value that is not an RFC 5321
// esmtp-value (1*(%d33-60 / %d62-126)) before it reaches the wire.
import { describe, expect, it } from 'vitest';
import { dsn } from '../builtins/dsn.js';
import { defineExtension, param } from '../define-extension.js';
import { accept } from '../outcome.js';
import { createRegistry } from '../registry.js';
import { serverCapabilities } from '../server-capabilities.js';

const ctx = { tls: false, lmtp: false };

describe('client parameter injection', () => {
  it('xtext-encodes CR LF in ENVID and ORCPT instead of sending them', () => {
    const registry = createRegistry([dsn()]);
    const caps = serverCapabilities({ DSN: [] });
    const env = {
      mailParams: { ENVID: 'id\r\nRCPT TO:<victim@example.com>' },
      recipients: [{ params: { ORCPT: { addrType: 'rfc822', address: 'a\r\nDATA@x' } } }],
    };
    for (const p of [
      ...registry.clientMailParams(env, caps, ctx),
      ...registry.clientRcptParams(env, 0, caps, ctx),
    ]) {
      expect(p.value).not.toMatch(/[\r\n ]/);
    }
    expect(registry.clientMailParams(env, caps, ctx)[0]?.value).toBe(
      'id+0D+0ARCPT+20TO:<victim@example.com>',
    );
  });

  it('refuses a raw value with CR, LF, NUL, space or "=" (API misuse)', () => {
    const raw = defineExtension({
      name: 'X-RAW',
      keyword: 'X-RAW',
      mailParams: { 'X-RAW': param({ value: 'required', parse: (v) => accept(v ?? '') }) },
    });
    const registry = createRegistry([raw]);
    for (const value of ['a\r\nRCPT TO:<v@x>', 'a\0b', 'a b', 'a=b', '']) {
      expect(
        () =>
          registry.clientMailParams(
            { mailParams: { 'X-RAW': value }, recipients: [] },
            serverCapabilities({ 'X-RAW': [] }),
            ctx,
          ),
        JSON.stringify(value),
      ).toThrowError(expect.objectContaining({ code: 'ERR_EXTENSION_MISUSE_UNSAFE_VALUE' }));
    }
  });
});
