import { QueueError } from '@smtpkit/queue';

/**
 * The store's failure when the database did not do what was asked (unreachable, restarting,
 * out of connections, a statement refused): `ERR_QUEUE_IO`, an environment fault, with the
 * driver's error as `cause`. An MTA answers it with 451 4.3.0 and the client retries.
 *
 * @example
 * ```ts
 * try { await pool.query(sql); } catch (e) { throw databaseError('enqueue', e); }
 * ```
 */
export function databaseError(operation: string, error: unknown): QueueError {
  if (error instanceof QueueError) return error;
  const e = error as { message?: string; code?: string };
  const detail =
    e.code === undefined ? (e.message ?? String(error)) : `${e.code} ${e.message ?? ''}`;
  return new QueueError('ERR_QUEUE_IO', `database ${operation} failed: ${detail}`, {
    cause: error,
  });
}

/**
 * Whether a driver error is about the data of one statement (SQLSTATE class 22, data exception:
 * a NUL in a JSON string, a bad number) rather than about the database being unreachable.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}
