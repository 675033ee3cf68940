import { checkEnvelope } from './envelope-check.js';
import { collectMessage } from './message-bytes.js';
import { QueueError } from './queue-error.js';
import { QueueIndex } from './queue-index.js';
import type {
  Lease,
  LeaseRequest,
  MessageEnvelope,
  QueuedMessage,
  QueueSelector,
  QueueStats,
  QueueStore,
  RecipientResult,
} from './queue-store.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Prefix of the queue ids it gives (default `m`), e.g. to tell two stores apart in a test. */
  readonly idPrefix?: string;
}

/**
 * A {@link QueueStore} in memory: nothing survives the process. It is the reference of the
 * contract (the spool and the database backends pass the same contract tests) and a store for the
 * tests of applications. Sans-IO: it reads no clock; `stats().leased` counts the leases unexpired
 * at the latest `now` it was given.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const id = await store.enqueue(
 *   { sender: 'a@example.com', recipients: [{ address: 'b@example.net', destination: 'example.net' }], receivedAt: Date.now() },
 *   new TextEncoder().encode('Subject: hi\r\n\r\nhello\r\n'),
 * );
 * const [lease] = await store.lease({ owner: 'test', limit: 10, leaseMs: 60_000, now: Date.now() });
 * await store.settle(lease, [{ index: 0, outcome: 'delivered' }]); // the message leaves the queue
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): QueueStore {
  const prefix = options.idPrefix ?? 'm';
  const index = new QueueIndex(`${prefix}l`);
  const bodies = new Map<string, Uint8Array>();
  let counter = 0;
  let closed = false;
  const open = () => {
    if (closed) throw new QueueError('ERR_QUEUE_MISUSE_CLOSED', 'the store is closed');
  };
  const forget = (ids: Iterable<string>) => {
    for (const id of ids) bodies.delete(id);
  };

  return {
    async enqueue(envelope: MessageEnvelope, message) {
      open();
      checkEnvelope(envelope);
      const bytes = await collectMessage(message);
      open();
      const id = `${prefix}${(++counter).toString(36).padStart(6, '0')}`;
      bodies.set(id, bytes.slice());
      index.add(id, envelope, bytes.length);
      return id;
    },
    async lease(request: LeaseRequest) {
      open();
      return index.lease(request);
    },
    read(id: string) {
      const bytes = bodies.get(id);
      return (async function* () {
        if (bytes === undefined)
          throw new QueueError('ERR_QUEUE_NOT_FOUND', `no message ${id} in the queue`);
        yield bytes;
      })();
    },
    async renew(lease: Lease, now: number, leaseMs: number) {
      open();
      return index.renew(lease, now, leaseMs);
    },
    async settle(lease: Lease, results: readonly RecipientResult[]) {
      open();
      const outcome = index.settle(lease, results);
      if (outcome?.removed) forget([lease.id]);
    },
    list(selector?: QueueSelector): AsyncIterable<QueuedMessage> {
      const picked = index.select(selector).map((m) => index.snapshot(m));
      return (async function* () {
        yield* picked;
      })();
    },
    async get(id: string) {
      const m = index.get(id);
      return m === undefined ? undefined : index.snapshot(m);
    },
    async reschedule(selector: QueueSelector, at: number) {
      open();
      return index.reschedule(selector, at).length;
    },
    async remove(selector: QueueSelector) {
      open();
      const ids = index.select(selector).map((m) => m.id);
      for (const id of ids) index.removeId(id);
      forget(ids);
      return ids.length;
    },
    async requestBounce(selector: QueueSelector, at: number) {
      open();
      return index.requestBounce(selector, at).length;
    },
    async stats(): Promise<QueueStats> {
      return index.stats(index.lastNow);
    },
    async close() {
      closed = true;
    },
  };
}
