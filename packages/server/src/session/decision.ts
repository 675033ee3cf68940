import type { Reply } from '@smtpkit/reply';

/**
 * How a hook ended, as the I/O layer tells the session: it resolved (with an optional value: a
 * `Reply` to send instead of the default, per-recipient replies for LMTP data, a verdict for
 * `auth`, secrets for `auth-lookup`), threw a `ReplyException` (`reply`), or threw anything else
 * (`error`: 451 4.3.0 and a log event).
 *
 * @example
 * ```ts
 * session.decide(id, { kind: 'resolved', value: undefined });
 * session.decide(id, { kind: 'reply', reply: replies.R550_5_1_1_NoSuchUser });
 * ```
 */
export type Decision =
  | { readonly kind: 'resolved'; readonly value?: unknown }
  | { readonly kind: 'reply'; readonly reply: Reply }
  | { readonly kind: 'error'; readonly error: unknown };
