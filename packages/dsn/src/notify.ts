import type {
  DsnAction,
  DsnEnvelope,
  DsnRecipientFacts,
  NotifyKeyword,
  NotifyValue,
} from './dsn-types.js';

/**
 * The NOTIFY keyword that selects notices of an action (RFC 3461 §4.1): FAILURE for `failed`,
 * DELAY for `delayed`, SUCCESS for `delivered`, `relayed` and `expanded` (RFC 3464 §2.3.3:
 * "relayed … SHOULD NOT be used unless the sender has requested notification of successful
 * delivery for this recipient").
 *
 * @example
 * ```ts
 * import { notifyKeywordFor } from '@smtpkit/dsn';
 * notifyKeywordFor('relayed'); // 'SUCCESS'
 * ```
 */
export function notifyKeywordFor(action: DsnAction): NotifyKeyword {
  if (action === 'failed') return 'FAILURE';
  if (action === 'delayed') return 'DELAY';
  return 'SUCCESS';
}

/** Options of {@link mayNotify}, {@link dsnRecipientsFor} and {@link planNotification}. */
export interface NotifyOptions {
  /**
   * The notices sent for a recipient without NOTIFY. RFC 3461 §4.1 leaves FAILURE and DELAY to
   * the MTA's discretion and excludes SUCCESS. Default `['FAILURE', 'DELAY']`.
   */
  readonly whenAbsent?: readonly ('FAILURE' | 'DELAY')[];
}

/**
 * Whether a notice of `action` may be sent for a recipient with this NOTIFY value.
 *
 * RFC 3461 §4.1: NEVER asks that no DSN be returned to the sender under any conditions;
 * SUCCESS, FAILURE and DELAY each ask for the notice they name. With no NOTIFY the
 * default is FAILURE and DELAY at the MTA's discretion ({@link NotifyOptions.whenAbsent}); never
 * SUCCESS.
 *
 * @example
 * ```ts
 * import { mayNotify } from '@smtpkit/dsn';
 * mayNotify('failed', undefined); // true
 * mayNotify('delivered', undefined); // false
 * mayNotify('delivered', ['SUCCESS']); // true
 * mayNotify('failed', 'NEVER'); // false
 * ```
 */
export function mayNotify(
  action: DsnAction,
  notify: NotifyValue | undefined,
  options: NotifyOptions = {},
): boolean {
  const keyword = notifyKeywordFor(action);
  if (notify === undefined) {
    if (keyword === 'SUCCESS') return false;
    return (options.whenAbsent ?? ['FAILURE', 'DELAY']).includes(keyword);
  }
  if (notify === 'NEVER') return false;
  return notify.includes(keyword);
}

/**
 * The recipients whose NOTIFY asks for (or, absent, allows) a notice of `action`, in order.
 *
 * @example
 * ```ts
 * import { dsnRecipientsFor } from '@smtpkit/dsn';
 * dsnRecipientsFor('failed', [
 *   { address: 'a@example.org' },
 *   { address: 'b@example.org', notify: 'NEVER' },
 * ]); // [{ address: 'a@example.org' }]
 * ```
 */
export function dsnRecipientsFor<R extends DsnRecipientFacts>(
  action: DsnAction,
  recipients: readonly R[],
  options: NotifyOptions = {},
): R[] {
  return recipients.filter((r) => mayNotify(action, r.notify, options));
}

/**
 * What to send for recipients of one message that reached `action`:
 * - `dsn`: a DSN to the sender (build it with `buildDsn`) for `recipients`;
 * - `double-bounce`: the sender was `<>` and delivery failed, so no DSN may go back (RFC 5321
 *   §4.5.5: no notification about a message whose reverse-path was null, or mail would loop);
 *   tell the postmaster instead (`buildDoubleBounce`);
 * - `none`: nothing (NOTIFY did not ask, or a delay/success of a message from `<>`).
 *
 * @example
 * ```ts
 * const plan: NotificationPlan<DsnRecipientFacts> = { send: 'none' };
 * ```
 */
export type NotificationPlan<R> =
  | { readonly send: 'dsn'; readonly recipients: R[] }
  | { readonly send: 'double-bounce'; readonly recipients: R[] }
  | { readonly send: 'none' };

/**
 * Decides whether a notice may be sent for recipients that reached `action`, and which kind.
 *
 * RFC 5321 §4.5.5: notifications go out with a null reverse-path, and none is sent about a
 * message whose reverse-path was null (a bounce never bounces); RFC 3461 §4.1 NOTIFY selects the
 * recipients ({@link mayNotify}). A
 * failure of a message from `<>` goes to the postmaster instead, whatever its NOTIFY said, so a
 * lost bounce is not lost silently.
 *
 * @example
 * ```ts
 * import { planNotification } from '@smtpkit/dsn';
 * planNotification('failed', { sender: '' }, [{ address: 'a@example.org' }]);
 * // { send: 'double-bounce', recipients: [{ address: 'a@example.org' }] }
 * planNotification('delivered', { sender: 'me@example.com' }, [{ address: 'a@example.org' }]);
 * // { send: 'none' } (no SUCCESS asked)
 * ```
 */
export function planNotification<R extends DsnRecipientFacts>(
  action: DsnAction,
  envelope: Pick<DsnEnvelope, 'sender'>,
  recipients: readonly R[],
  options: NotifyOptions = {},
): NotificationPlan<R> {
  if (envelope.sender === '') {
    return action === 'failed' && recipients.length > 0
      ? { send: 'double-bounce', recipients: [...recipients] }
      : { send: 'none' };
  }
  const selected = dsnRecipientsFor(action, recipients, options);
  return selected.length > 0 ? { send: 'dsn', recipients: selected } : { send: 'none' };
}
