import {
  C451LocalError,
  C554TransactionFailed,
  formatEnhancedStatus,
  Status,
} from '@smtpkit/reply';
import type {
  Lease,
  QueuedRecipient,
  RecipientResult,
  RecipientState,
  StoredReply,
} from './queue-store.js';
import { backoffMs, delayWarningDue, lifetimeEnd, type RetryPolicy } from './retry-policy.js';

/**
 * What a delivery attempt tells the application to report: a DSN (RFC 3464) for failed
 * recipients, a delay warning, or success for recipients that asked for it (RFC 3461 §4.1
 * NOTIFY=SUCCESS). Passed to the scheduler's `notify` before the results are settled.
 */
export interface QueueNotice {
  readonly kind: 'failed' | 'delayed' | 'delivered';
  readonly lease: Lease;
  readonly recipients: readonly NoticeRecipient[];
}

/** One recipient of a {@link QueueNotice}: its state before the attempt, and the result. */
export interface NoticeRecipient {
  readonly state: RecipientState;
  readonly recipient: QueuedRecipient;
  readonly result: RecipientResult;
}

/** The results to settle and the notices to send first. */
export interface SettlementPlan {
  readonly results: readonly RecipientResult[];
  readonly notices: readonly QueueNotice[];
}

/** RFC 3461 §4.1: NOTIFY=NEVER asks for nothing; an absent NOTIFY means FAILURE (and DELAY). */
function wants(recipient: QueuedRecipient, what: 'SUCCESS' | 'FAILURE' | 'DELAY'): boolean {
  const notify = recipient.notify;
  if (notify === undefined) return what !== 'SUCCESS';
  return notify !== 'NEVER' && notify.includes(what);
}

/**
 * The reply of a recipient whose lifetime ran out: RFC 3463 X.4.7 "delivery time expired" with
 * the last reply's text, so the DSN says why the attempts failed.
 */
export function expiredReply(last: StoredReply | undefined): StoredReply {
  return {
    code: last !== undefined && last.code >= 400 && last.code < 500 ? last.code : C451LocalError,
    enhanced: formatEnhancedStatus({ class: 4, ...Status.DeliveryTimeExpired }),
    text: last?.text ?? 'delivery time expired',
    ...(last?.remoteMta !== undefined ? { remoteMta: last.remoteMta } : {}),
  };
}

/** The reply of every recipient of a delivery that threw: 451 4.3.0 with the error's message. */
export function crashedReply(error: unknown): StoredReply {
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: C451LocalError,
    enhanced: formatEnhancedStatus({ class: 4, ...Status.OtherMailSystemStatus }),
    text: message.replace(/[\r\n]+/g, ' ').slice(0, 200) || 'delivery failed',
  };
}

/** The reply of a recipient bounced by an administrator: 554 5.0.0. */
export const bouncedByAdminReply: StoredReply = Object.freeze({
  code: C554TransactionFailed,
  enhanced: formatEnhancedStatus({ class: 5, ...Status.OtherUndefinedStatus }),
  text: 'delivery cancelled by the administrator',
});

/**
 * Turns a delivery's results into what to settle and what to notify, by the policy's rules: a
 * recipient without a result is deferred (451 4.3.0); a deferral without `retryAt` waits the
 * backoff of its attempt; a deferral at or past the message's lifetime is a failure (X.4.7, the
 * last text kept); a recipient still pending past `delayWarningMs` gets one delay notice (marked
 * `delayNotified`); notices follow each recipient's NOTIFY, and a message from `<>` gets none
 * (RFC 5321 §6.1: no notification about a notification).
 *
 * @example
 * ```ts
 * const plan = planSettlement(lease, results, Date.now(), defaultRetryPolicy);
 * for (const notice of plan.notices) await notify(notice);
 * await store.settle(lease, plan.results);
 * ```
 */
export function planSettlement(
  lease: Lease,
  results: readonly RecipientResult[],
  now: number,
  policy: RetryPolicy,
): SettlementPlan {
  const byIndex = new Map<number, RecipientResult>();
  for (const r of results) byIndex.set(r.index, r);
  const end = lifetimeEnd(policy, lease.envelope);
  const quiet = lease.envelope.sender === '';
  const planned: RecipientResult[] = [];
  const failed: NoticeRecipient[] = [];
  const delayed: NoticeRecipient[] = [];
  const delivered: NoticeRecipient[] = [];
  for (const state of lease.recipients) {
    const recipient = lease.envelope.recipients[state.index];
    if (recipient === undefined) continue;
    let result: RecipientResult = byIndex.get(state.index) ?? {
      index: state.index,
      outcome: 'deferred',
      reply: crashedReply('the delivery gave no result for this recipient'),
    };
    if (result.outcome === 'deferred') {
      const last = result.reply ?? state.lastReply;
      if (now >= end) {
        result = { index: state.index, outcome: 'failed', reply: expiredReply(last) };
      } else {
        const retryAt = result.retryAt ?? now + backoffMs(policy, state.attempts + 1);
        const warn =
          state.delayNotified !== true &&
          !quiet &&
          wants(recipient, 'DELAY') &&
          delayWarningDue(policy, lease.envelope, now);
        result = {
          ...result,
          retryAt,
          ...(last !== undefined ? { reply: last } : {}),
          ...(warn ? { delayNotified: true } : {}),
        };
        if (warn) delayed.push({ state, recipient, result });
      }
    }
    if (!quiet) {
      if (result.outcome === 'failed' && wants(recipient, 'FAILURE'))
        failed.push({ state, recipient, result });
      if (result.outcome === 'delivered' && wants(recipient, 'SUCCESS'))
        delivered.push({ state, recipient, result });
    }
    planned.push(result);
  }
  const notices: QueueNotice[] = [];
  if (failed.length > 0) notices.push({ kind: 'failed', lease, recipients: failed });
  if (delayed.length > 0) notices.push({ kind: 'delayed', lease, recipients: delayed });
  if (delivered.length > 0) notices.push({ kind: 'delivered', lease, recipients: delivered });
  return { results: planned, notices };
}

/** The results of a lease an administrator asked to bounce: every leased recipient fails. */
export function bounceResults(lease: Lease): RecipientResult[] {
  return lease.recipients.map((s) => ({
    index: s.index,
    outcome: 'failed' as const,
    reply: bouncedByAdminReply,
  }));
}
