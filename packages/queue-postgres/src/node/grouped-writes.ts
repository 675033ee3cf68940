import type { MessageEnvelope, QueueError } from '@smtpkit/queue';
import type { QueueSql } from '../queue-sql.js';
import { isDataError } from './database-error.js';

/** One message waiting for its commit. */
export interface PendingEnqueue {
  readonly id: string;
  readonly envelope: MessageEnvelope;
  readonly bytes: Uint8Array;
}

/** One lease's results waiting for their commit. */
export interface PendingSettle {
  readonly id: string;
  readonly destination: string;
  readonly leaseId: string;
  readonly results: readonly object[];
}

/** Sends one statement (one round trip); rejects with a QueueError whose cause is the driver's. */
export type RunStatement = (
  operation: string,
  text: string,
  values: readonly unknown[],
) => Promise<unknown>;

/**
 * Writes `items` in one statement, or, when the database refuses the batch for its data (a NUL
 * in one envelope's JSON), each alone, so one bad item fails alone: resolves with undefined when
 * the batch committed, or with each item's error (undefined for the stored ones).
 */
async function isolating<T>(
  items: readonly T[],
  write: (items: readonly T[]) => Promise<unknown>,
): Promise<readonly unknown[] | undefined> {
  try {
    await write(items);
    return undefined;
  } catch (error) {
    if (items.length === 1 || !isDataError((error as QueueError).cause)) throw error;
    const errors: unknown[] = [];
    for (const item of items)
      errors.push(
        await write([item]).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
    return errors;
  }
}

/**
 * Stores a batch of messages with one call of the schema's `enqueue` function: the envelopes as
 * one JSON document, every body in one binary parameter (sent as bytes, not as text), cut into
 * chunks by the database.
 *
 * @example
 * ```ts
 * await writeEnqueues(run, sql, 256 * 1024, [{ id, envelope, bytes }]);
 * ```
 */
export function writeEnqueues(
  run: RunStatement,
  sql: QueueSql,
  chunkBytes: number,
  items: readonly PendingEnqueue[],
): Promise<readonly unknown[] | undefined> {
  return isolating(items, (batch) => {
    let offset = 0;
    const parts = batch.map((item) => {
      const part = { id: item.id, envelope: item.envelope, size: item.bytes.length, offset };
      offset += item.bytes.length;
      return part;
    });
    const only = batch.length === 1 ? (batch[0] as PendingEnqueue).bytes : undefined;
    const bodies =
      only === undefined
        ? Buffer.concat(batch.map((i) => i.bytes))
        : Buffer.from(only.buffer, only.byteOffset, only.byteLength);
    return run('enqueue', sql.enqueue, [JSON.stringify(parts), bodies, chunkBytes]);
  });
}

/**
 * Records a batch of lease results with one call of the schema's `settle_many` function, in
 * order of queue id: two batches that settle the same messages lock them in the same order.
 *
 * @example
 * ```ts
 * await writeSettles(run, sql, [{ id, destination, leaseId, results }]);
 * ```
 */
export function writeSettles(
  run: RunStatement,
  sql: QueueSql,
  items: readonly PendingSettle[],
): Promise<readonly unknown[] | undefined> {
  return isolating(items, (batch) => {
    const ordered = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return run('settle', sql.settle, [JSON.stringify(ordered)]);
  });
}
