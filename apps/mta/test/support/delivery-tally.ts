// The verdict of the crash-safety test: which acknowledged messages arrived, intact or not, how
// many arrived twice, and which arrived without ever being acknowledged.
import type { DeliveredCopy } from './recording-receiver.js';

/** What {@link tallyDeliveries} compares. */
export interface TallyInput {
  /** Message id → recipients, for every message answered 250. */
  readonly acknowledged: ReadonlyMap<string, readonly string[]>;
  /** Every id whose data was started. */
  readonly sent: ReadonlySet<string>;
  /** Message id → recipients of messages cut in the middle of their data: never to arrive. */
  readonly probes: ReadonlyMap<string, readonly string[]>;
  /** Every copy found, at the relay receiver and in the Maildir. */
  readonly copies: readonly DeliveredCopy[];
  /** When each kill was sent (ms since the epoch), in order. */
  readonly kills: readonly number[];
}

/** The counts, and the offending entries (`id recipient` strings) for the failure messages. */
export interface Tally {
  /** Acknowledged messages, and their (message, recipient) pairs. */
  readonly acknowledged: number;
  readonly acknowledgedPairs: number;
  /** Distinct (message, recipient) pairs delivered intact. */
  readonly delivered: number;
  /** Acknowledged pairs not delivered intact. */
  readonly missing: readonly string[];
  /** Copies cut short or changed. */
  readonly damaged: readonly string[];
  /** Copies without an id (a DSN, or a copy cut inside its header). */
  readonly foreign: readonly string[];
  /** Copies beyond the first of a pair, as `id recipient ×n`. */
  readonly duplicates: number;
  readonly duplicateList: readonly string[];
  /**
   * The narrow window, measured: for each duplicated pair, the time between its first copy's
   * commit and the kill nearest to it (a kill just before it: the dying MTA's last octets still
   * reached the next hop; just after: the queue had not yet recorded the delivery); the largest
   * of them (0 without duplicates, `Infinity` without kills).
   */
  readonly duplicateWindowMs: number;
  /** Messages delivered whose sender never got the 250 (their data was sent). */
  readonly unacknowledgedDelivered: number;
  /** Copies of a message to a recipient it was not sent to, or of an id never sent. */
  readonly strays: readonly string[];
  /** Probes (cut mid-DATA) that were delivered anyway. */
  readonly probesDelivered: readonly string[];
}

const pair = (id: string, recipient: string) => `${id} ${recipient.toLowerCase()}`;

/**
 * Compares what was acknowledged with what arrived.
 *
 * @example
 * ```ts
 * const tally = tallyDeliveries({ acknowledged, sent, probes, copies });
 * expect(tally.missing).toEqual([]);
 * ```
 */
export function tallyDeliveries(input: TallyInput): Tally {
  const counts = new Map<string, number>();
  const firstAt = new Map<string, number>();
  const damaged: string[] = [];
  const foreign: string[] = [];
  const strays: string[] = [];
  const probesDelivered: string[] = [];
  const unacknowledgedIds = new Set<string>();
  for (const copy of input.copies) {
    const check = copy.check;
    if (check.kind === 'foreign') {
      foreign.push(`${copy.where}: ${check.reason}`);
      continue;
    }
    if (check.kind === 'damaged') {
      damaged.push(`${pair(check.id, copy.recipient)} at ${copy.where}: ${check.reason}`);
      continue;
    }
    const key = pair(check.id, copy.recipient);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    firstAt.set(key, Math.min(firstAt.get(key) ?? Number.POSITIVE_INFINITY, copy.at));
    const probe = input.probes.get(check.id);
    if (probe !== undefined) {
      probesDelivered.push(`${key} at ${copy.where}`);
      continue;
    }
    const recipients = input.acknowledged.get(check.id);
    if (recipients === undefined) {
      if (input.sent.has(check.id)) unacknowledgedIds.add(check.id);
      else strays.push(`${key} at ${copy.where}: never sent`);
    } else if (!recipients.some((r) => r.toLowerCase() === copy.recipient.toLowerCase())) {
      strays.push(`${key} at ${copy.where}: not a recipient of it`);
    }
  }
  const missing: string[] = [];
  let acknowledgedPairs = 0;
  for (const [id, recipients] of input.acknowledged) {
    for (const r of recipients) {
      acknowledgedPairs += 1;
      if (!counts.has(pair(id, r))) missing.push(pair(id, r));
    }
  }
  let duplicates = 0;
  let duplicateWindowMs = 0;
  const duplicateList: string[] = [];
  for (const [key, n] of counts) {
    if (n > 1) {
      duplicates += n - 1;
      const first = firstAt.get(key) ?? 0;
      const window = Math.min(
        Number.POSITIVE_INFINITY,
        ...input.kills.map((k) => Math.abs(k - first)),
      );
      duplicateWindowMs = Math.max(duplicateWindowMs, window);
      duplicateList.push(`${key} x${n} (a kill ${Math.round(window)} ms from the first)`);
    }
  }
  return {
    acknowledged: input.acknowledged.size,
    acknowledgedPairs,
    delivered: counts.size,
    missing,
    damaged,
    foreign,
    duplicates,
    duplicateList,
    duplicateWindowMs,
    unacknowledgedDelivered: unacknowledgedIds.size,
    strays,
    probesDelivered,
  };
}
