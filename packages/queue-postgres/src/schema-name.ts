import { QueueError } from '@smtpkit/queue';

/** The PostgreSQL schema the queue lives in when none is given. */
export const DEFAULT_SCHEMA = 'smtpkit_queue';

/**
 * A schema name written into SQL as it is: a lower-case unquoted identifier of at most 63 bytes
 * (PostgreSQL's NAMEDATALEN - 1), so it never needs quoting and can never inject SQL.
 *
 * @example
 * ```ts
 * checkSchemaName('mta_queue'); // 'mta_queue'
 * checkSchemaName('x; DROP TABLE y'); // throws ERR_QUEUE_MISUSE_OPTION
 * ```
 */
export function checkSchemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new QueueError(
      'ERR_QUEUE_MISUSE_OPTION',
      `schema ${JSON.stringify(name)}: expected a lower-case identifier (a-z, 0-9, _; at most 63)`,
    );
  return name;
}
