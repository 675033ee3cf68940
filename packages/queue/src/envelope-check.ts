import { QueueError } from './queue-error.js';
import type {
  MessageEnvelope,
  QueuedRecipient,
  RecipientState,
  StoredReply,
} from './queue-store.js';

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isRecipient(v: unknown): v is QueuedRecipient {
  if (!isRecord(v) || !isString(v['address']) || !isString(v['destination'])) return false;
  const notify = v['notify'];
  if (
    notify !== undefined &&
    notify !== 'NEVER' &&
    !(
      Array.isArray(notify) &&
      notify.every((n) => n === 'SUCCESS' || n === 'FAILURE' || n === 'DELAY')
    )
  )
    return false;
  const orcpt = v['orcpt'];
  return (
    orcpt === undefined ||
    (isRecord(orcpt) && isString(orcpt['addrType']) && isString(orcpt['address']))
  );
}

/**
 * Whether a value has the shape of a {@link MessageEnvelope}: how the journal tells a record it
 * wrote from one it cannot trust, and how `enqueue` refuses an envelope it could not store.
 *
 * @example
 * ```ts
 * isMessageEnvelope(JSON.parse(storedText)); // false for anything a store did not write
 * ```
 */
export function isMessageEnvelope(v: unknown): v is MessageEnvelope {
  if (!isRecord(v) || !isString(v['sender']) || !Number.isFinite(v['receivedAt'])) return false;
  const recipients = v['recipients'];
  if (!Array.isArray(recipients) || recipients.length === 0 || !recipients.every(isRecipient))
    return false;
  if (v['envid'] !== undefined && !isString(v['envid'])) return false;
  if (v['ret'] !== undefined && v['ret'] !== 'FULL' && v['ret'] !== 'HDRS') return false;
  const body = v['body'];
  if (body !== undefined && body !== '7BIT' && body !== '8BITMIME' && body !== 'BINARYMIME')
    return false;
  if (v['smtputf8'] !== undefined && typeof v['smtputf8'] !== 'boolean') return false;
  const attrs = v['attrs'];
  return attrs === undefined || (isRecord(attrs) && Object.values(attrs).every(isString));
}

function isReply(v: unknown): v is StoredReply {
  return (
    isRecord(v) &&
    Number.isInteger(v['code']) &&
    isString(v['text']) &&
    (v['enhanced'] === undefined || isString(v['enhanced'])) &&
    (v['remoteMta'] === undefined || isString(v['remoteMta']))
  );
}

/** Whether a value is the list of recipient states of an envelope with `count` recipients. */
export function isRecipientStates(v: unknown, count: number): v is RecipientState[] {
  return (
    Array.isArray(v) &&
    v.length === count &&
    v.every(
      (s, i) =>
        isRecord(s) &&
        s['index'] === i &&
        (s['status'] === 'pending' || s['status'] === 'delivered' || s['status'] === 'failed') &&
        Number.isInteger(s['attempts']) &&
        Number.isFinite(s['nextAttemptAt']) &&
        (s['lastReply'] === undefined || isReply(s['lastReply'])) &&
        (s['delayNotified'] === undefined || s['delayNotified'] === true),
    )
  );
}

/**
 * Throws `ERR_QUEUE_MISUSE_ENVELOPE` unless `envelope` can be queued: what every store checks
 * first in `enqueue` (exported for the stores of other packages).
 *
 * @example
 * ```ts
 * checkEnvelope({ sender: '', recipients: [], receivedAt: Date.now() }); // throws: no recipient
 * ```
 */
export function checkEnvelope(envelope: MessageEnvelope): void {
  if (!isMessageEnvelope(envelope))
    throw new QueueError(
      'ERR_QUEUE_MISUSE_ENVELOPE',
      'not a queueable envelope (a sender, at least one recipient with an address and a destination, a receivedAt time)',
    );
}
