import {
  accept,
  defineExtension,
  type ExtensionContext,
  type ForwardedClient,
  reject,
  verb,
} from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { ServerError } from '../server-error.js';
import { type AllowList, createAllowList } from './cidr.js';
import { parseXclientArguments, type XclientAttributes, xclientReplies } from './xclient.js';

/** The attributes this server accepts, as advertised after the EHLO keyword. */
const ATTRIBUTES = ['NAME', 'ADDR', 'PORT', 'PROTO', 'HELO', 'LOGIN', 'DESTADDR', 'DESTPORT'];

/** Options of {@link xclient}. */
export interface XclientOptions {
  /** CIDR blocks of the proxies trusted to send XCLIENT (Postfix `smtpd_authorized_xclient_hosts`). */
  readonly allowFrom: readonly string[] | AllowList;
}

/**
 * XCLIENT (Postfix XCLIENT_README) as an extension: a trusted proxy in front of the server names
 * the real client (address, port, HELO name, login), and the session starts over with a new 220
 * greeting. Advertised, and accepted, only to peers on `allowFrom` (the TCP peer,
 * `SessionContext.peerAddress`); any other client gets 550 5.7.0. Outside a mail transaction
 * only (503 5.5.1), after EHLO; a malformed attribute gets 501 5.5.4.
 *
 * @example
 * ```ts
 * import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
 * import { xclient } from '@smtpkit/server';
 * createRegistry([...defaultExtensions(), xclient({ allowFrom: ['127.0.0.1/32'] })]);
 * ```
 */
export function xclient(options: XclientOptions) {
  const list = Array.isArray(options.allowFrom)
    ? createAllowList(options.allowFrom as readonly string[])
    : (options.allowFrom as AllowList);
  const trusted = (ctx: { readonly peerAddress?: string | undefined }): boolean =>
    ctx.peerAddress !== undefined && list.allows(ctx.peerAddress);
  return defineExtension({
    name: 'XCLIENT',
    keyword: 'XCLIENT',
    advertise: (ctx) => (trusted(ctx) ? ATTRIBUTES : false),
    verbs: {
      XCLIENT: verb({
        states: ['greeted'],
        pipelining: 'last',
        outOfSequence: xclientReplies.R503_5_5_1_XclientInTransaction,
        // Not in effect: a peer off the list is not authorized; a trusted one has not sent EHLO.
        inactive: (ctx: ExtensionContext) =>
          trusted(ctx)
            ? replies.R503_5_5_1_BadSequence
            : xclientReplies.R550_5_7_0_XclientNotAuthorized,
        parse(argument) {
          try {
            return accept(parseXclientArguments(argument ?? ''));
          } catch (e) {
            if (e instanceof ServerError && e.reply !== undefined) return reject(e.reply);
            throw e;
          }
        },
        handle: (_ctx, attributes: XclientAttributes) => {
          const helo = attributes.helo;
          const login = attributes.login;
          return {
            kind: 'restart',
            client: {
              source: 'XCLIENT',
              heloName: helo?.kind === 'value' ? helo.value : undefined,
              user: login?.kind === 'value' ? login.value : undefined,
              attributes,
            },
          };
        },
      }),
    },
    replies: xclientReplies,
  });
}

/**
 * The XCLIENT attributes of a session's forwarded client, if XCLIENT is what forwarded it.
 *
 * @example
 * ```ts
 * xclientAttributesOf(session.forwardedClient)?.addr; // { kind: 'value', value: '192.0.2.7' }
 * ```
 */
export function xclientAttributesOf(
  client: ForwardedClient | undefined,
): XclientAttributes | undefined {
  return client?.source === 'XCLIENT' ? (client.attributes as XclientAttributes) : undefined;
}
