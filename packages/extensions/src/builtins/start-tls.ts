import { defineExtension, verb } from '../define-extension.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';

/**
 * STARTTLS, RFC 3207: advertised only before TLS (§4.2: "A server MUST NOT return the STARTTLS
 * extension in response to an EHLO command received after a TLS handshake has completed"). The
 * verb takes no argument (501 5.5.4), is allowed after EHLO outside a transaction, answers 220
 * 2.0.0 and asks the session to start the handshake (it must drop pipelined bytes and forget the
 * EHLO, §4.2). Under TLS it gets 503 5.5.1.
 *
 * @example
 * ```ts
 * import { createRegistry, startTls } from '@smtpkit/extensions';
 * createRegistry([startTls()]);
 * ```
 */
export function startTls() {
  return defineExtension({
    name: 'STARTTLS',
    keyword: 'STARTTLS',
    advertise: (ctx) => (ctx.tls ? false : []),
    verbs: {
      STARTTLS: verb({
        states: ['greeted'],
        pipelining: 'last',
        inactive: (ctx) =>
          ctx.tls
            ? extensionReplies.R503_5_5_1_TlsAlreadyActive
            : extensionReplies.R503_5_5_1_BadSequence,
        parse: (argument) =>
          argument === undefined
            ? accept(undefined)
            : reject(extensionReplies.R501_5_5_4_StartTlsNoParameters),
        handle: () => ({ kind: 'starttls', reply: extensionReplies.R220_2_0_0_ReadyToStartTls }),
      }),
    },
    replies: {
      R220_2_0_0_ReadyToStartTls: extensionReplies.R220_2_0_0_ReadyToStartTls,
      R454_4_7_0_TlsNotAvailable: extensionReplies.R454_4_7_0_TlsNotAvailable,
    },
  });
}
