import { QueueError } from '@smtpkit/queue';
import { type Migration, migrations } from '../migrations.js';
import { checkSchemaName } from '../schema-name.js';
import { databaseError } from './database-error.js';

/** What {@link applyMigrations} needs of a pool: node-postgres's `Pool` fits. */
export interface MigrationPool {
  connect(): Promise<{
    query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
    release(destroy?: boolean): void;
  }>;
}

/** What {@link applyMigrations} found and did. */
export interface MigrationResult {
  /** Versions applied by this call (empty when another node had applied them). */
  readonly applied: readonly number[];
  /** The schema's version afterwards. */
  readonly version: number;
}

/**
 * Brings `schema` up to the newest version this package knows, in one transaction under a
 * transaction-level advisory lock on the schema's name: nodes that start together wait for each
 * other, and each version is applied exactly once (`schema_migrations` records it). A database
 * whose schema is newer than this package refuses it (`ERR_QUEUE_IO`): run the newer version.
 *
 * @example
 * ```ts
 * const { applied, version } = await applyMigrations(pool, 'smtpkit_queue');
 * ```
 */
export async function applyMigrations(
  pool: MigrationPool,
  schema: string,
  steps: readonly Migration[] = migrations(schema),
): Promise<MigrationResult> {
  const s = checkSchemaName(schema);
  let client: Awaited<ReturnType<MigrationPool['connect']>>;
  try {
    client = await pool.connect();
  } catch (e) {
    throw databaseError('connect', e);
  }
  let failed = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
      'smtpkit_queue.migrate',
      s,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = (await client.query(
      `SELECT version, name FROM ${s}.schema_migrations ORDER BY version`,
    )) as { rows: { version: number; name: string }[] };
    const known = new Map(steps.map((m) => [m.version, m]));
    for (const row of done.rows)
      if (!known.has(row.version))
        throw new QueueError(
          'ERR_QUEUE_IO',
          `schema ${s} is at version ${row.version} (${row.name}), newer than this @smtpkit/queue-postgres knows: upgrade it`,
        );
    const have = new Set(done.rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of steps) {
      if (have.has(m.version)) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return { applied, version: Math.max(0, ...steps.map((m) => m.version)) };
  } catch (e) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw databaseError('migration', e);
  } finally {
    // A connection that failed mid-transaction is not given back to the pool.
    client.release(failed);
  }
}
