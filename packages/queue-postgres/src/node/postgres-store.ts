import {
  checkEnvelope,
  collectMessage,
  type Lease,
  type LeaseRequest,
  type MessageEnvelope,
  type MessageSource,
  type QueuedMessage,
  QueueError,
  type QueueSelector,
  type QueueStats,
  type QueueStore,
  type RecipientResult,
  type RecipientState,
} from '@smtpkit/queue';
import type pg from 'pg';
import type { QueueSql } from '../queue-sql.js';
import { type BatchLimits, CommitGroup } from './commit-group.js';
import { databaseError, isDataError } from './database-error.js';
import {
  type PendingEnqueue,
  type PendingSettle,
  writeEnqueues,
  writeSettles,
} from './grouped-writes.js';
import { InlineBodies } from './inline-bodies.js';
import { newQueueId } from './queue-ids.js';

/** What the store needs besides its pool. */
export interface StoreSettings {
  readonly schema: string;
  readonly sql: QueueSql;
  readonly chunkBytes: number;
  readonly batch: BatchLimits;
  readonly clock: () => number;
  /** Chunks fetched per round trip by `read`. */
  readonly readPage: number;
  /** A body up to this size comes with its lease (at most one chunk). */
  readonly inlineBytes: number;
}

/** Counters of the store's work, for benchmarks and metrics. */
export interface PostgresQueueCounters {
  /** Statements sent (each one round trip to the database). */
  readonly roundTrips: number;
  /** Enqueue transactions committed or tried, and the messages they carried. */
  readonly enqueueBatches: number;
  readonly enqueuedMessages: number;
  /** Settle transactions committed or tried, and the leases they carried. */
  readonly settleBatches: number;
  readonly settledLeases: number;
}

interface LeaseRow {
  lease_id: string;
  message_id: string;
  destination: string;
  expires_at: number;
  envelope: MessageEnvelope;
  size: number;
  bounce_requested: boolean;
  recipients: RecipientState[];
  body: Buffer | null;
}

/** Bodies that came with leases, kept until those leases are settled; bounded. */
const MAX_INLINE_BODIES = 1024;

interface MessageRow {
  id: string;
  envelope: MessageEnvelope;
  size: number;
  bounce_requested: boolean;
  recipients: RecipientState[];
}

const LIST_PAGE = 200;

const pause = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

function messageOf(row: MessageRow): QueuedMessage {
  return {
    id: row.id,
    envelope: row.envelope,
    size: row.size,
    recipients: row.recipients,
    ...(row.bounce_requested ? { bounceRequested: true } : {}),
  };
}

/**
 * The {@link QueueStore} over one PostgreSQL database (see `openPostgresQueue`). Every method is
 * a statement or two: the state lives in the database only, so any number of these stores, in
 * any number of processes, share one queue.
 */
export class PostgresStore implements QueueStore {
  readonly #pool: pg.Pool;
  readonly #settings: StoreSettings;
  readonly #enqueues: CommitGroup<PendingEnqueue>;
  readonly #settles: CommitGroup<PendingSettle>;
  #closed = false;
  #roundTrips = 0;
  #lastNow = Number.NEGATIVE_INFINITY;
  readonly #bodies = new InlineBodies(MAX_INLINE_BODIES);

  constructor(pool: pg.Pool, settings: StoreSettings) {
    this.#pool = pool;
    this.#settings = settings;
    const run = (operation: string, text: string, values: readonly unknown[]) =>
      this.#query(operation, text, values);
    this.#enqueues = new CommitGroup(
      (items) => writeEnqueues(run, settings.sql, settings.chunkBytes, items),
      settings.batch,
      (item) => item.bytes.length,
    );
    this.#settles = new CommitGroup(
      (items) => writeSettles(run, settings.sql, items),
      settings.batch,
    );
  }

  /** The PostgreSQL schema of the queue's tables. */
  get schema(): string {
    return this.#settings.schema;
  }

  /** What the store has sent so far. */
  counters(): PostgresQueueCounters {
    return {
      roundTrips: this.#roundTrips,
      enqueueBatches: this.#enqueues.batches,
      enqueuedMessages: this.#enqueues.messages,
      settleBatches: this.#settles.batches,
      settledLeases: this.#settles.messages,
    };
  }

  async enqueue(envelope: MessageEnvelope, message: MessageSource): Promise<string> {
    this.#open();
    checkEnvelope(envelope);
    const bytes = await collectMessage(message);
    this.#open();
    const id = newQueueId(this.#settings.clock());
    await this.#enqueues.add({ id, envelope, bytes });
    return id;
  }

  async lease(request: LeaseRequest): Promise<Lease[]> {
    this.#open();
    this.#see(request.now);
    if (request.limit <= 0) return [];
    const { rows } = await this.#query<LeaseRow>('lease', this.#settings.sql.lease, [
      request.owner,
      Math.floor(request.limit),
      request.leaseMs,
      request.now,
      request.maxPerDestination ?? null,
      request.destination ?? null,
      this.#settings.inlineBytes,
    ]);
    for (const row of rows)
      if (row.body !== null) this.#bodies.hold(row.lease_id, row.message_id, row.body);
    return rows.map((row) => ({
      leaseId: row.lease_id,
      id: row.message_id,
      destination: row.destination,
      envelope: row.envelope,
      recipients: row.recipients,
      size: row.size,
      bounceRequested: row.bounce_requested,
      expiresAt: row.expires_at,
    }));
  }

  read(id: string): AsyncIterable<Uint8Array> {
    const cached = () => this.#bodies.get(id);
    const page = this.#settings.readPage;
    const fetchPage = (seq: number) =>
      this.#query<{ seq: number | null; data: Buffer | null }>(
        'read',
        this.#settings.sql.readChunks,
        [id, seq, page],
      );
    return (async function* () {
      // A body that came with its lease: no round trip.
      const inline = cached();
      if (inline !== undefined) {
        if (inline.length > 0) yield inline;
        return;
      }
      // Bounded: each round asks for the next `page` chunks of a finite message.
      for (let seq = 0; ; seq += page) {
        const { rows } = await fetchPage(seq);
        if (rows.length === 0)
          throw new QueueError('ERR_QUEUE_NOT_FOUND', `no message ${id} in the queue`);
        for (const row of rows) {
          if (row.seq === null || row.data === null) return;
          yield row.data;
        }
        if (rows.length < page) return;
      }
    })();
  }

  async renew(lease: Lease, now: number, leaseMs: number): Promise<boolean> {
    this.#open();
    this.#see(now);
    const r = await this.#query('renew', this.#settings.sql.renew, [
      lease.id,
      lease.destination,
      lease.leaseId,
      now,
      leaseMs,
    ]);
    if (r.rowCount !== 1) this.#bodies.release(lease.leaseId);
    return r.rowCount === 1;
  }

  async settle(lease: Lease, results: readonly RecipientResult[]): Promise<void> {
    this.#open();
    const held = new Set(lease.recipients.map((r) => r.index));
    const seen = new Set<number>();
    for (const r of results) {
      if (!held.has(r.index) || seen.has(r.index))
        throw new QueueError(
          'ERR_QUEUE_MISUSE_RESULT',
          `result for recipient ${r.index}, which lease ${lease.leaseId} does not hold (or twice)`,
        );
      seen.add(r.index);
    }
    const item: PendingSettle = {
      id: lease.id,
      destination: lease.destination,
      leaseId: lease.leaseId,
      results: results.map((r) => ({
        index: r.index,
        outcome: r.outcome,
        ...(r.reply === undefined ? {} : { reply: r.reply }),
        ...(r.retryAt === undefined ? {} : { retryAt: r.retryAt }),
        ...(r.delayNotified === true ? { delayNotified: true } : {}),
      })),
    };
    // A settle lost to a short outage would have the work done again when the lease expires:
    // try again (it is idempotent: once applied, the lease is gone and a repeat is 'stale')
    // until the lease would expire, a bounded number of times.
    for (let attempt = 0, wait = 100; ; attempt++, wait = Math.min(wait * 2, 2000)) {
      try {
        // Concurrent settles share one transaction, as enqueues do.
        await this.#settles.add(item);
        this.#bodies.release(lease.leaseId);
        return;
      } catch (error) {
        const retry =
          !this.#closed &&
          attempt < 30 &&
          !isDataError((error as QueueError).cause) &&
          this.#settings.clock() + wait < lease.expiresAt;
        if (!retry) {
          this.#bodies.release(lease.leaseId);
          throw error;
        }
        await pause(wait);
      }
    }
  }

  list(selector: QueueSelector = {}): AsyncIterable<QueuedMessage> {
    const fetchPage = (after: string) =>
      this.#query<MessageRow>('list', this.#settings.sql.list, [
        after,
        selector.id ?? null,
        selector.destination ?? null,
        LIST_PAGE,
      ]);
    return (async function* () {
      let after = '';
      // Bounded: keyset pages over the ids, each strictly after the last.
      for (;;) {
        const { rows } = await fetchPage(after);
        for (const row of rows) yield messageOf(row);
        const last = rows[rows.length - 1];
        if (rows.length < LIST_PAGE || last === undefined) return;
        after = last.id;
      }
    })();
  }

  async get(id: string): Promise<QueuedMessage | undefined> {
    const { rows } = await this.#query<MessageRow>('list', this.#settings.sql.list, [
      '',
      id,
      null,
      1,
    ]);
    return rows[0] === undefined ? undefined : messageOf(rows[0]);
  }

  async reschedule(selector: QueueSelector, at: number): Promise<number> {
    return this.#reschedule(selector, at, false);
  }

  async remove(selector: QueueSelector): Promise<number> {
    this.#open();
    this.#bodies.clear();
    const { rows } = await this.#query<{ count: number }>('remove', this.#settings.sql.remove, [
      selector.id ?? null,
      selector.destination ?? null,
    ]);
    return rows[0]?.count ?? 0;
  }

  async requestBounce(selector: QueueSelector, at: number): Promise<number> {
    return this.#reschedule(selector, at, true);
  }

  async stats(): Promise<QueueStats> {
    const now = Number.isFinite(this.#lastNow) ? this.#lastNow : this.#settings.clock();
    const { rows } = await this.#query<{ messages: number; pending: number; leased: number }>(
      'stats',
      this.#settings.sql.stats,
      [now],
    );
    const row = rows[0];
    return {
      messages: row?.messages ?? 0,
      pendingRecipients: row?.pending ?? 0,
      leased: row?.leased ?? 0,
    };
  }

  /**
   * Voids every lease `owner` holds, making its work due again now: for a node that restarts
   * under the same owner name after a crash, so it need not wait for the leases of its previous
   * run to expire. Never call it with the name of a node that is running (its deliveries would be
   * made twice). Returns how many leases were voided.
   *
   * @example
   * ```ts
   * const queue = await openPostgresQueue({ url });
   * await queue.releaseLeases('mx1'); // this node's leases from before its crash
   * ```
   */
  async releaseLeases(owner: string): Promise<number> {
    this.#open();
    const r = await this.#query('release', this.#settings.sql.releaseLeases, [owner]);
    return r.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#enqueues.drained(), this.#settles.drained()]);
    await this.#pool.end();
  }

  async #reschedule(selector: QueueSelector, at: number, bounce: boolean): Promise<number> {
    this.#open();
    const { rows } = await this.#query<{ count: number }>(
      'reschedule',
      this.#settings.sql.reschedule,
      [selector.id ?? null, selector.destination ?? null, at, bounce],
    );
    return rows[0]?.count ?? 0;
  }

  async #query<R extends pg.QueryResultRow>(
    operation: string,
    text: string,
    values: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    this.#roundTrips++;
    try {
      // Named: parsed and planned once per connection, then only bound and executed.
      return await this.#pool.query<R>({
        name: `${this.#settings.schema}.${operation}`,
        text,
        values: values as unknown[],
      });
    } catch (error) {
      throw databaseError(operation, error);
    }
  }

  #open(): void {
    if (this.#closed) throw new QueueError('ERR_QUEUE_MISUSE_CLOSED', 'the store is closed');
  }

  #see(now: number): void {
    if (now > this.#lastNow) this.#lastNow = now;
  }
}
