import { recipientStateSql } from './migrations.js';
import { checkSchemaName } from './schema-name.js';

/** The statements of the store, for one schema; each is one round trip. */
export interface QueueSql {
  /** `$1` items (jsonb), `$2` the bodies (bytea), `$3` chunk size. */
  readonly enqueue: string;
  /**
   * `$1` owner, `$2` limit, `$3` lease ms, `$4` now, `$5` max per destination, `$6` destination,
   * `$7` the largest body returned with its lease.
   */
  readonly lease: string;
  /** `$1` the settlements (jsonb): `[{ id, destination, leaseId, results }]`. */
  readonly settle: string;
  /** `$1` message id, `$2` destination, `$3` lease id, `$4` now, `$5` lease ms. */
  readonly renew: string;
  /** `$1` id, `$2` first chunk, `$3` chunks: one row per chunk, or one row with a null `seq`. */
  readonly readChunks: string;
  /** `$1` after id, `$2` id, `$3` destination, `$4` page size. */
  readonly list: string;
  /** `$1` id, `$2` destination, `$3` at, `$4` bounce. */
  readonly reschedule: string;
  /** `$1` id, `$2` destination. */
  readonly remove: string;
  /** `$1` now. */
  readonly stats: string;
  /** `$1` owner. */
  readonly releaseLeases: string;
}

/**
 * The SQL of every store operation on `schema` (see {@link migrations} for the tables and
 * functions they call). Pure text: the driver lives in `@smtpkit/queue-postgres/node`.
 *
 * @example
 * ```ts
 * const sql = queueSql('smtpkit_queue');
 * await client.query(sql.renew, [id, destination, leaseId, now, leaseMs]);
 * ```
 */
export function queueSql(schema: string): QueueSql {
  const s = checkSchemaName(schema);
  const selected = `($2::text IS NULL OR m.id = $2)
      AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM ${s}.recipients r
        WHERE r.message_id = m.id AND r.destination = $3 AND r.status = 'pending'))`;
  return {
    enqueue: `SELECT ${s}.enqueue($1::jsonb, $2::bytea, $3::integer)`,
    lease: `SELECT * FROM ${s}.lease($1, $2, $3, $4, $5, $6, $7)`,
    settle: `SELECT outcome FROM ${s}.settle_many($1::jsonb)`,
    renew: `UPDATE ${s}.deliveries SET lease_expires_at = $4::double precision + $5::double precision
      WHERE message_id = $1 AND destination = $2 AND lease_id = $3 AND lease_expires_at > $4`,
    readChunks: `SELECT c.seq, c.data FROM ${s}.messages m
      LEFT JOIN ${s}.chunks c ON c.message_id = m.id AND c.seq >= $2 AND c.seq < $2 + $3
      WHERE m.id = $1 ORDER BY c.seq`,
    list: `SELECT m.id, m.envelope, m.size, m.bounce_requested,
        (SELECT json_agg(${recipientStateSql()} ORDER BY r.idx) FROM ${s}.recipients r
          WHERE r.message_id = m.id) AS recipients
      FROM ${s}.messages m
      WHERE m.id > $1 AND ${selected}
      ORDER BY m.id LIMIT $4`,
    reschedule: `SELECT ${s}.reschedule($1, $2, $3, $4) AS count`,
    remove: `WITH gone AS (DELETE FROM ${s}.messages m WHERE ${selected.replaceAll('$2', '$1').replaceAll('$3', '$2')} RETURNING 1)
      SELECT count(*)::integer AS count FROM gone`,
    stats: `SELECT (SELECT count(*) FROM ${s}.messages)::integer AS messages,
        (SELECT count(*) FROM ${s}.recipients WHERE status = 'pending')::integer AS pending,
        (SELECT count(*) FROM ${s}.deliveries
          WHERE lease_id IS NOT NULL AND lease_expires_at > $1)::integer AS leased`,
    releaseLeases: `UPDATE ${s}.deliveries d SET lease_id = NULL, lease_owner = NULL,
        lease_expires_at = NULL,
        due_at = (SELECT min(r.next_attempt_at) FROM ${s}.recipients r
          WHERE r.message_id = d.message_id AND r.destination = d.destination
            AND r.status = 'pending')
      WHERE d.lease_owner = $1`,
  };
}
