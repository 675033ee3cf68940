import { type Reply, replies, withText } from '@smtpkit/reply';
import { defineExtension, hook, verb } from '../define-extension.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';

/**
 * An ETRN request (RFC 1985 §5: `"ETRN" SP [ option-character ] node-name`): `@` asks for the
 * domain and its subdomains, `#` names a queue, no option character names one domain.
 */
export interface EtrnRequest {
  readonly kind: 'domain' | 'subdomains' | 'queue';
  /** The node or queue name, without the option character. */
  readonly node: string;
}

// RFC 5321 §4.1.2: Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
function isDomain(text: string): boolean {
  if (text.length === 0 || text.length > 255) return false;
  for (const label of text.split('.')) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) return false;
  }
  return true;
}

// A queue name has no grammar in RFC 1985; printable ASCII without space keeps it on one line.
function isQueueName(text: string): boolean {
  if (text.length === 0 || text.length > 255) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Reads an ETRN argument: `example.com`, `@example.com`, `#queue`.
 *
 * @example
 * ```ts
 * import { parseEtrnArgument } from '@smtpkit/extensions';
 * parseEtrnArgument('@example.com'); // { kind: 'subdomains', node: 'example.com' }
 * parseEtrnArgument(''); // undefined
 * ```
 */
export function parseEtrnArgument(argument: string | undefined): EtrnRequest | undefined {
  if (argument === undefined) return undefined;
  if (argument.startsWith('#')) {
    const node = argument.slice(1);
    return isQueueName(node) ? { kind: 'queue', node } : undefined;
  }
  if (argument.startsWith('@')) {
    const node = argument.slice(1);
    return isDomain(node) ? { kind: 'subdomains', node } : undefined;
  }
  return isDomain(argument) ? { kind: 'domain', node: argument } : undefined;
}

/**
 * The RFC 1985 §5 replies with the node named in the text, built on the `@smtpkit/reply`
 * catalogue entries of the same names (2.0.0 for the successes, 4.5.0 for 458 and 459).
 *
 * @example
 * ```ts
 * import { etrnReplies } from '@smtpkit/extensions';
 * etrnReplies.R253_2_0_0_PendingMessagesCount('example.com', 14).lines;
 * // ['OK, 14 pending messages for node example.com started']
 * ```
 */
export const etrnReplies = Object.freeze({
  R250_2_0_0_QueuingStarted: (node: string): Reply =>
    withText(replies.R250_2_0_0_QueuingStarted, `Queuing for node ${node} started`),
  R251_2_0_0_NoMessagesWaiting: (node: string): Reply =>
    withText(replies.R251_2_0_0_NoMessagesWaiting, `OK, no messages waiting for node ${node}`),
  R252_2_0_0_PendingMessagesStarted: (node: string): Reply =>
    withText(
      replies.R252_2_0_0_PendingMessagesStarted,
      `OK, pending messages for node ${node} started`,
    ),
  R253_2_0_0_PendingMessagesCount: (node: string, count: number): Reply =>
    withText(
      replies.R253_2_0_0_PendingMessagesCount,
      `OK, ${count} pending messages for node ${node} started`,
    ),
  R458_4_5_0_UnableToQueue: (node: string): Reply =>
    withText(replies.R458_4_5_0_UnableToQueue, `Unable to queue messages for node ${node}`),
  R459_4_5_0_NodeNotAllowed: (node: string, reason: string): Reply =>
    withText(replies.R459_4_5_0_NodeNotAllowed, `Node ${node} not allowed: ${reason}`),
});

/**
 * ETRN, RFC 1985: the verb, allowed outside a mail transaction after EHLO, with its argument
 * validated (501 5.5.4 otherwise); a valid request becomes an `ask` for the application's `etrn`
 * hook, which answers with one of {@link etrnReplies}.
 *
 * @example
 * ```ts
 * import { createRegistry, etrn, etrnReplies, type HooksOf } from '@smtpkit/extensions';
 * const registry = createRegistry([etrn()]);
 * const hooks: HooksOf<typeof registry.extensions> = {
 *   etrn: async (_ctx, request) => etrnReplies.R250_2_0_0_QueuingStarted(request.node),
 * };
 * ```
 */
export function etrn() {
  return defineExtension({
    name: 'ETRN',
    keyword: 'ETRN',
    hooks: { etrn: hook<EtrnRequest, Reply>() },
    verbs: {
      ETRN: verb({
        states: ['greeted'],
        pipelining: 'last',
        parse(argument) {
          const request = parseEtrnArgument(argument);
          return request === undefined
            ? reject(extensionReplies.R501_5_5_4_SyntaxErrorInParameters)
            : accept(request);
        },
        handle: (_ctx, request: EtrnRequest) => ({ kind: 'ask', hook: 'etrn', payload: request }),
      }),
    },
  });
}
