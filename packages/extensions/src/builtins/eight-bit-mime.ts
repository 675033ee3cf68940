import type { BodyType } from '../define-extension.js';
import { defineExtension, param } from '../define-extension.js';
import { ClientRefusal } from '../extension-error.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';

/**
 * 8BITMIME, RFC 6152, with the BODY parameter it defines:
 *   body-value ::= "7BIT" / "8BITMIME"            (RFC 6152 §2)
 * and the value RFC 3030 §3 adds, accepted only while BINARYMIME is in effect:
 *   body-value =/ "BINARYMIME"
 * Values are case-insensitive (RFC 5321 §2.4) and come back upper-cased. Client side: sends
 * BODY=8BITMIME / BINARYMIME for such content and refuses when the server does not offer it
 * (RFC 6152 §3 leaves downgrading to the client).
 *
 * @example
 * ```ts
 * import { createRegistry, eightBitMime } from '@smtpkit/extensions';
 * createRegistry([eightBitMime()]).advertise({ phase: 'greeted', greeting: 'ehlo', lmtp: false,
 *   tls: false, authenticated: false, limits: { commandLine: 512 }, mailParams: undefined, recipients: 0 });
 * // ['8BITMIME']
 * ```
 */
export function eightBitMime() {
  return defineExtension({
    name: '8BITMIME',
    keyword: '8BITMIME',
    mailParams: {
      BODY: param({
        value: 'required',
        // " BODY=BINARYMIME"
        lineExtra: 16,
        parse(value, ctx) {
          const upper = (value ?? '').toUpperCase();
          if (upper === '7BIT' || upper === '8BITMIME') return accept(upper as BodyType);
          if (upper === 'BINARYMIME' && ctx.keywords.has('BINARYMIME')) {
            return accept(upper as BodyType);
          }
          return reject(extensionReplies.R501_5_5_4_InvalidBodyType);
        },
        format: (body: BodyType) => body,
      }),
    },
    effects: (p) => {
      const body = p['BODY'];
      return typeof body === 'string' ? { body: body as BodyType } : {};
    },
    client: {
      mailParams(envelope, caps) {
        if (envelope.body === '8BITMIME') return { BODY: '8BITMIME' };
        if (envelope.body === 'BINARYMIME' && caps.has('BINARYMIME')) return { BODY: 'BINARYMIME' };
        return undefined;
      },
      check(envelope, caps) {
        if (envelope.body === '8BITMIME' && !caps.has('8BITMIME')) {
          return new ClientRefusal(
            'ERR_EXTENSION_8BITMIME_NOT_OFFERED',
            '8BITMIME',
            'the message has 8-bit content and the server does not offer 8BITMIME',
            true,
          );
        }
        return undefined;
      },
    },
  });
}
