import { defineExtension, param } from '../define-extension.js';
import { ClientRefusal } from '../extension-error.js';
import { accept } from '../outcome.js';

/**
 * SMTPUTF8, RFC 6531: the keyword (only with 8BITMIME, §3.1: "Servers offering this extension
 * MUST provide support for, and announce, the 8BITMIME extension") and the value-less MAIL
 * parameter (§3.4) that puts UTF-8 addresses and headers in effect for the transaction. Client
 * side: sends SMTPUTF8 when the envelope needs it and refuses when the server does not offer it
 * (§3.2: the client must not send UTF-8 to such a server).
 *
 * @example
 * ```ts
 * import { createRegistry, eightBitMime, smtpUtf8 } from '@smtpkit/extensions';
 * createRegistry([eightBitMime(), smtpUtf8()]);
 * ```
 */
export function smtpUtf8() {
  return defineExtension({
    name: 'SMTPUTF8',
    keyword: 'SMTPUTF8',
    requires: ['8BITMIME'],
    mailParams: {
      SMTPUTF8: param({ value: 'none', lineExtra: 9, parse: () => accept(true as const) }),
    },
    effects: (p) => (p['SMTPUTF8'] === true ? { smtputf8: true } : {}),
    client: {
      mailParams: (envelope) => (envelope.smtputf8 === true ? { SMTPUTF8: true } : undefined),
      check(envelope, caps) {
        if (envelope.smtputf8 !== true || caps.has('SMTPUTF8')) return undefined;
        return new ClientRefusal(
          'ERR_EXTENSION_SMTPUTF8_NOT_OFFERED',
          'SMTPUTF8',
          'the message needs SMTPUTF8 and the server does not offer it',
          true,
        );
      },
    },
  });
}
