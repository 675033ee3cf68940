import { QueueError, type QueueStore } from '@smtpkit/queue';
import pg from 'pg';
import { queueSql } from '../queue-sql.js';
import { checkSchemaName, DEFAULT_SCHEMA } from '../schema-name.js';
import type { BatchLimits } from './commit-group.js';
import { databaseError } from './database-error.js';
import { applyMigrations } from './migrate.js';
import { type PostgresQueueCounters, PostgresStore } from './postgres-store.js';

/** Options of {@link openPostgresQueue}. */
export interface PostgresQueueOptions {
  /** `postgres://user:password@host:port/database` (libpq's URL form). */
  readonly url: string;
  /** The PostgreSQL schema of the queue's tables (default `smtpkit_queue`), made if missing. */
  readonly schema?: string;
  /** Connections of this process (default 10). */
  readonly poolSize?: number;
  /** Bytes per stored chunk of a message body (default 256 KiB). */
  readonly chunkBytes?: number;
  /** Grouping of concurrent enqueues into one transaction (see the README's measurements). */
  readonly groupCommit?: Partial<BatchLimits>;
  /** How long to wait for a connection (default 5000 ms): past it an operation fails. */
  readonly connectTimeoutMs?: number;
  /** How long one statement may take, client side (default 30000 ms). */
  readonly statementTimeoutMs?: number;
  /** Apply the schema's migrations at open (default true); false: expect them applied. */
  readonly migrate?: boolean;
  /** The clock for `stats()` of a store that leased nothing yet and for settle retries. */
  readonly clock?: () => number;
  /** Errors with nowhere else to go: an idle connection the server closed. */
  readonly onError?: (error: unknown) => void;
  /** `application_name` of the connections (default `smtpkit-queue`), seen in pg_stat_activity. */
  readonly applicationName?: string;
  /**
   * Any other node-postgres pool setting (`ssl`, `password`, `options`, …), as `pg.Pool` takes
   * it; wins over the ones above.
   */
  readonly pool?: { readonly [setting: string]: unknown };
}

/** The PostgreSQL queue: the contract, its schema, counters of the work sent, lease release. */
export interface PostgresQueue extends QueueStore {
  /** The PostgreSQL schema of the queue's tables. */
  readonly schema: string;
  /** What this process has sent so far (round trips, grouped transactions). */
  counters(): PostgresQueueCounters;
  /**
   * Voids every lease `owner` holds, making its work due now: for a node that comes back under
   * the same owner name after a crash. Never with the name of a running node. Returns how many.
   */
  releaseLeases(owner: string): Promise<number>;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new QueueError('ERR_QUEUE_MISUSE_OPTION', `${name} must be an integer >= 1`);
  return value;
}

/**
 * Opens the mail queue kept in a PostgreSQL database, shared by every process that opens the
 * same database and schema: MTA nodes, the queue CLI. It applies the schema's migrations first
 * (safe when several nodes start at once). `enqueue` resolves once its transaction committed
 * (synchronous_commit is turned back on for these sessions if the server has it off);
 * concurrent enqueues share transactions. When the database is unreachable, operations fail at
 * once with `ERR_QUEUE_IO` (an MTA answers 451 4.3.0) and the pool reconnects by itself on the
 * next call.
 *
 * @example
 * ```ts
 * import { openPostgresQueue } from '@smtpkit/queue-postgres/node';
 * const queue = await openPostgresQueue({ url: 'postgres://mta@db.internal/mail' });
 * const id = await queue.enqueue(envelope, messageBytes); // committed: answer 250 now
 * ```
 */
export async function openPostgresQueue(options: PostgresQueueOptions): Promise<PostgresQueue> {
  if (typeof options.url !== 'string' || !/^postgres(ql)?:\/\//.test(options.url))
    throw new QueueError('ERR_QUEUE_MISUSE_OPTION', 'url must be a postgres:// URL');
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const chunkBytes = positiveInteger('chunkBytes', options.chunkBytes ?? 256 * 1024);
  const batch: BatchLimits = {
    maxMessages: positiveInteger('groupCommit.maxMessages', options.groupCommit?.maxMessages ?? 64),
    maxBytes: positiveInteger('groupCommit.maxBytes', options.groupCommit?.maxBytes ?? 8 << 20),
    maxInFlight: positiveInteger('groupCommit.maxInFlight', options.groupCommit?.maxInFlight ?? 2),
  };
  const onError = options.onError ?? (() => undefined);
  const makePool = (extra: pg.PoolConfig) => {
    const made = new pg.Pool({
      connectionString: options.url,
      max: positiveInteger('poolSize', options.poolSize ?? 10),
      connectionTimeoutMillis: positiveInteger(
        'connectTimeoutMs',
        options.connectTimeoutMs ?? 5000,
      ),
      query_timeout: positiveInteger('statementTimeoutMs', options.statementTimeoutMs ?? 30_000),
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'smtpkit-queue',
      ...extra,
      ...(options.pool as pg.PoolConfig | undefined),
    });
    // An idle connection the server closed (a restart): the pool drops it; never crash for it.
    made.on('error', (error) => {
      try {
        onError(error);
      } catch {}
    });
    return made;
  };
  let pool = makePool({});
  try {
    if (options.migrate !== false) await applyMigrations(pool, schema);
    // 250 only after a durable commit: a server (or role, or database) set to
    // synchronous_commit=off answers COMMIT before its WAL is flushed, so these sessions turn it
    // back on at connection time; stronger settings (remote_apply) are left alone.
    const setting = await pool.query<{ value: string }>(
      "SELECT current_setting('synchronous_commit') AS value",
    );
    if (setting.rows[0]?.value === 'off') {
      await pool.end();
      pool = makePool({ options: '-c synchronous_commit=on' });
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw databaseError('open', error);
  }
  return new PostgresStore(pool, {
    schema,
    sql: queueSql(schema),
    chunkBytes,
    batch,
    clock: options.clock ?? Date.now,
    readPage: 16,
    inlineBytes: Math.min(64 * 1024, chunkBytes),
  });
}
