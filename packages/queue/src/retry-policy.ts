import type { MessageEnvelope } from './queue-store.js';

/**
 * When to try again and when to give up, as Postfix does: the wait after a failed attempt
 * doubles from `minBackoffMs` up to `maxBackoffMs` (Postfix's `minimal_backoff_time`,
 * `maximal_backoff_time`); a message older than its lifetime (from `envelope.receivedAt`) fails
 * at its next deferral (`maximal_queue_lifetime`, and `bounce_queue_lifetime` for a message from
 * the null reverse-path); a delay notice goes out once after `delayWarningMs`
 * (`delay_warning_time`).
 *
 * @example
 * ```ts
 * const policy = retryPolicy({ minBackoffMs: 60_000 });
 * backoffMs(policy, 3); // 240_000
 * ```
 */
export interface RetryPolicy {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxLifetimeMs: number;
  readonly bounceLifetimeMs: number;
  readonly delayWarningMs: number;
}

const DAY = 86_400_000;

/** Postfix's defaults: 300 s, 4000 s, 5 days, 5 days, 4 hours. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  minBackoffMs: 300_000,
  maxBackoffMs: 4_000_000,
  maxLifetimeMs: 5 * DAY,
  bounceLifetimeMs: 5 * DAY,
  delayWarningMs: 4 * 3_600_000,
});

/** The default policy with some values replaced. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return Object.freeze({ ...defaultRetryPolicy, ...overrides });
}

/**
 * The wait after attempt number `attempts` (1 for the first) failed: `min · 2^(attempts-1)`,
 * at most `max`.
 */
export function backoffMs(policy: RetryPolicy, attempts: number): number {
  const doublings = Math.max(0, Math.min(attempts - 1, 52));
  return Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** doublings);
}

/** When the message's lifetime ends (epoch ms): a deferral at or after it is a failure. */
export function lifetimeEnd(policy: RetryPolicy, envelope: MessageEnvelope): number {
  return (
    envelope.receivedAt + (envelope.sender === '' ? policy.bounceLifetimeMs : policy.maxLifetimeMs)
  );
}

/** Whether a delay notice is due for a message still pending at `now`. */
export function delayWarningDue(
  policy: RetryPolicy,
  envelope: MessageEnvelope,
  now: number,
): boolean {
  return now - envelope.receivedAt >= policy.delayWarningMs;
}
