import { defineExtension, param } from '../define-extension.js';
import { ClientRefusal } from '../extension-error.js';
import { extensionReplies } from '../extension-replies.js';
import { accept } from '../outcome.js';

/**
 * REQUIRETLS, RFC 8689: advertised only under TLS (§4: the option "MUST only be specified in the
 * context of an SMTP session meeting the security requirements"), so the value-less MAIL
 * parameter gets 555 5.5.4 without TLS. Client side: sends REQUIRETLS when the envelope requires
 * it and refuses to send without TLS or when the server does not offer it (§4.1 and §5: the
 * message must not be relayed otherwise).
 *
 * @example
 * ```ts
 * import { createRegistry, requireTls } from '@smtpkit/extensions';
 * createRegistry([requireTls()]);
 * ```
 */
export function requireTls() {
  return defineExtension({
    name: 'REQUIRETLS',
    keyword: 'REQUIRETLS',
    advertise: (ctx) => (ctx.tls ? [] : false),
    mailParams: {
      REQUIRETLS: param({ value: 'none', lineExtra: 11, parse: () => accept(true as const) }),
    },
    replies: {
      R550_5_7_30_RequireTlsSupportRequired: extensionReplies.R550_5_7_30_RequireTlsSupportRequired,
    },
    effects: (p) => (p['REQUIRETLS'] === true ? { requireTls: true } : {}),
    client: {
      mailParams: (envelope) => (envelope.requireTls === true ? { REQUIRETLS: true } : undefined),
      check(envelope, caps, ctx) {
        if (envelope.requireTls !== true) return undefined;
        if (!ctx.tls) {
          return new ClientRefusal(
            'ERR_EXTENSION_REQUIRETLS_WITHOUT_TLS',
            'REQUIRETLS',
            'REQUIRETLS needs a TLS session',
            false,
          );
        }
        if (!caps.has('REQUIRETLS')) {
          return new ClientRefusal(
            'ERR_EXTENSION_REQUIRETLS_NOT_OFFERED',
            'REQUIRETLS',
            'the server does not offer REQUIRETLS',
            true,
          );
        }
        return undefined;
      },
    },
  });
}
