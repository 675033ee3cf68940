import { checkSchemaName } from './schema-name.js';

/** One step of the schema, applied once, in order of `version`, inside one transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The SQL of the queue's tables and functions, version by version. Times are epoch milliseconds
 * from the callers' clocks (`double precision`: exact for integers, and fractions survive), as the
 * `QueueStore` contract passes `now` in; nodes sharing a database need synchronised clocks (NTP):
 * a lease is judged by the clock of the node that reads it.
 *
 * - `messages`: the envelope (`jsonb`), the size and the administrator's bounce flag.
 * - `chunks`: the bytes, in rows of at most `chunkBytes`, stored out of line without compression
 *   (mail is mostly already compressed or base64; compressing would spend the primary's CPU).
 * - `recipients`: one row per recipient: status, attempts, next attempt, last reply, whether a
 *   delay notice went out, destination.
 * - `deliveries`: one row per message and destination, the unit a lease hands out: `due_at` (the
 *   earliest next attempt of its pending recipients), the lease (`lease_id`, `lease_owner`,
 *   `lease_expires_at`), and `ready_at`, when it may be leased: the lease's expiry while leased,
 *   else `due_at`. A node killed with -9 leaves its leases to expire; then `ready_at` has passed
 *   and any node takes the work over.
 * - `lease(...)`, `settle(...)`, `enqueue(...)`, `reschedule(...)`: one round trip each.
 *
 * @example
 * ```ts
 * for (const m of migrations('smtpkit_queue')) console.log(m.version, m.name);
 * ```
 */
export function migrations(schema: string): readonly Migration[] {
  const s = checkSchemaName(schema);
  const state = recipientStateSql();
  return [
    {
      version: 1,
      name: 'messages, chunks, recipients, deliveries with leases; enqueue, lease, settle',
      sql: `
CREATE TABLE ${s}.messages (
  id text PRIMARY KEY,
  envelope jsonb NOT NULL,
  size integer NOT NULL,
  bounce_requested boolean NOT NULL DEFAULT false,
  stored_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.chunks (
  message_id text NOT NULL REFERENCES ${s}.messages (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (message_id, seq)
);
ALTER TABLE ${s}.chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE TABLE ${s}.recipients (
  message_id text NOT NULL REFERENCES ${s}.messages (id) ON DELETE CASCADE,
  idx integer NOT NULL,
  destination text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at double precision NOT NULL,
  last_reply jsonb,
  delay_notified boolean NOT NULL DEFAULT false,
  PRIMARY KEY (message_id, idx)
);
CREATE INDEX recipients_pending_destination ON ${s}.recipients (destination)
  WHERE status = 'pending';
CREATE TABLE ${s}.deliveries (
  message_id text NOT NULL REFERENCES ${s}.messages (id) ON DELETE CASCADE,
  destination text NOT NULL,
  due_at double precision,
  lease_id text,
  lease_owner text,
  lease_expires_at double precision,
  ready_at double precision GENERATED ALWAYS AS
    (CASE WHEN lease_id IS NULL THEN due_at ELSE lease_expires_at END) STORED,
  PRIMARY KEY (message_id, destination)
);
CREATE INDEX deliveries_ready ON ${s}.deliveries (ready_at) WHERE ready_at IS NOT NULL;
CREATE INDEX deliveries_destination_ready ON ${s}.deliveries (destination, ready_at)
  WHERE ready_at IS NOT NULL;
CREATE INDEX deliveries_leased ON ${s}.deliveries (destination, lease_expires_at)
  WHERE lease_id IS NOT NULL;
CREATE SEQUENCE ${s}.lease_seq;

-- p_items: [{ id, envelope, size, offset }]; p_bytes: every body, one after the other. One
-- statement, so one transaction and one commit for the whole batch (group commit).
CREATE FUNCTION ${s}.enqueue(p_items jsonb, p_bytes bytea, p_chunk integer) RETURNS integer
LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO ${s}.messages (id, envelope, size)
    SELECT x.id, x.envelope, x.size
    FROM jsonb_to_recordset(p_items) AS x(id text, envelope jsonb, size integer);
  INSERT INTO ${s}.chunks (message_id, seq, data)
    SELECT x.id, c.seq,
      substring(p_bytes FROM x."offset" + c.seq * p_chunk + 1 FOR least(p_chunk, x.size - c.seq * p_chunk))
    FROM jsonb_to_recordset(p_items) AS x(id text, size integer, "offset" integer)
    CROSS JOIN LATERAL generate_series(0, (x.size + p_chunk - 1) / p_chunk - 1) AS c(seq);
  INSERT INTO ${s}.recipients (message_id, idx, destination, next_attempt_at)
    SELECT x.id, (r.ord - 1)::integer, r.value->>'destination', (x.envelope->>'receivedAt')::double precision
    FROM jsonb_to_recordset(p_items) AS x(id text, envelope jsonb)
    CROSS JOIN LATERAL jsonb_array_elements(x.envelope->'recipients') WITH ORDINALITY AS r(value, ord);
  INSERT INTO ${s}.deliveries (message_id, destination, due_at)
    SELECT DISTINCT x.id, r.value->>'destination', (x.envelope->>'receivedAt')::double precision
    FROM jsonb_to_recordset(p_items) AS x(id text, envelope jsonb)
    CROSS JOIN LATERAL jsonb_array_elements(x.envelope->'recipients') AS r(value);
  RETURN jsonb_array_length(p_items);
END
$f$;

${leaseFunction(s, state, false)}
-- Records a lease's results; 'stale' when the lease is no longer the current one of its work
-- (taken over after expiry, or the message was removed), 'removed' when every recipient is final.
-- The message row is locked first: two leases of one message settled at once by two nodes
-- must not both see the other's recipients still pending.
CREATE FUNCTION ${s}.settle(p_message_id text, p_destination text, p_lease_id text, p_results jsonb)
RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  v_expires double precision;
BEGIN
  PERFORM 1 FROM ${s}.messages WHERE id = p_message_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN RETURN 'stale'; END IF;
  SELECT d.lease_expires_at INTO v_expires FROM ${s}.deliveries d
    WHERE d.message_id = p_message_id AND d.destination = p_destination AND d.lease_id = p_lease_id;
  IF NOT FOUND THEN RETURN 'stale'; END IF;
  UPDATE ${s}.recipients r SET
      status = CASE WHEN x.outcome = 'deferred' THEN 'pending' ELSE x.outcome END,
      attempts = r.attempts + 1,
      next_attempt_at = CASE WHEN x.outcome = 'deferred' THEN coalesce(x."retryAt", v_expires)
        ELSE r.next_attempt_at END,
      last_reply = coalesce(x.reply, r.last_reply),
      delay_notified = r.delay_notified OR coalesce(x."delayNotified", false)
    FROM jsonb_to_recordset(p_results) AS x("index" integer, outcome text,
      "retryAt" double precision, reply jsonb, "delayNotified" boolean)
    WHERE r.message_id = p_message_id AND r.idx = x."index";
  IF NOT EXISTS (SELECT 1 FROM ${s}.recipients r
      WHERE r.message_id = p_message_id AND r.status = 'pending') THEN
    DELETE FROM ${s}.messages WHERE id = p_message_id;
    RETURN 'removed';
  END IF;
  UPDATE ${s}.deliveries d SET lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL,
      due_at = (SELECT min(r.next_attempt_at) FROM ${s}.recipients r
        WHERE r.message_id = p_message_id AND r.destination = p_destination AND r.status = 'pending')
    WHERE d.message_id = p_message_id AND d.destination = p_destination;
  RETURN 'kept';
END
$f$;

-- Admin: makes the pending recipients of the selected messages due at p_at (of p_destination
-- only, when given, unless p_bounce); p_bounce also marks the messages for a bounce.
CREATE FUNCTION ${s}.reschedule(p_id text, p_destination text, p_at double precision, p_bounce boolean)
RETURNS integer LANGUAGE plpgsql AS $f$
DECLARE
  ids text[];
BEGIN
  ids := ARRAY(SELECT m.id FROM ${s}.messages m
    WHERE (p_id IS NULL OR m.id = p_id)
      AND (p_destination IS NULL OR EXISTS (SELECT 1 FROM ${s}.recipients r
        WHERE r.message_id = m.id AND r.destination = p_destination AND r.status = 'pending'))
    ORDER BY m.id FOR NO KEY UPDATE);
  IF p_bounce THEN
    UPDATE ${s}.messages SET bounce_requested = true WHERE id = ANY (ids);
  END IF;
  UPDATE ${s}.recipients r SET next_attempt_at = p_at
    WHERE r.message_id = ANY (ids) AND r.status = 'pending'
      AND (p_bounce OR p_destination IS NULL OR r.destination = p_destination);
  UPDATE ${s}.deliveries d SET due_at = (SELECT min(r.next_attempt_at) FROM ${s}.recipients r
      WHERE r.message_id = d.message_id AND r.destination = d.destination AND r.status = 'pending')
    WHERE d.message_id = ANY (ids);
  RETURN cardinality(ids);
END
$f$;
`,
    },
    {
      version: 2,
      name: 'settle_many: the settlements of concurrent deliveries in one transaction',
      sql: `
-- p_items: [{ id, destination, leaseId, results }], in order of id (the caller sorts, so that
-- two batches lock the messages they share in the same order). One outcome per item.
CREATE FUNCTION ${s}.settle_many(p_items jsonb) RETURNS TABLE (outcome text)
LANGUAGE plpgsql AS $f$
DECLARE
  it record;
BEGIN
  FOR it IN SELECT * FROM jsonb_to_recordset(p_items)
      AS x(id text, destination text, "leaseId" text, results jsonb) LOOP
    outcome := ${s}.settle(it.id, it.destination, it."leaseId", it.results);
    RETURN NEXT;
  END LOOP;
END
$f$;
`,
    },
    {
      version: 3,
      name: 'lease returns the body of a small message: no read round trip to deliver it',
      sql: `
DROP FUNCTION ${s}.lease(text, integer, double precision, double precision, integer, text);
${leaseFunction(s, state, true)}`,
    },
  ];
}

/**
 * The `lease` function. Version 1 returns the lease; version 3 (`inline`) also the body of a
 * message no bigger than `p_inline` (one chunk), saving the delivery its `read` round trip.
 */
function leaseFunction(s: string, state: string, inline: boolean): string {
  return `-- Leases due work: the oldest ready deliveries first, each row locked with SKIP LOCKED (another
-- node leasing it now is passed over, never waited for). With p_max, the unexpired leases of a
-- destination are counted under a transaction-level advisory lock on that destination, so that
-- two nodes never both see room for the last slot; a destination whose lock another node holds
-- right now is passed over too (pg_try_: no waiting, no deadlock between destinations).
CREATE FUNCTION ${s}.lease(p_owner text, p_limit integer, p_lease_ms double precision,
  p_now double precision, p_max integer, p_destination text${inline ? ', p_inline integer' : ''})
RETURNS TABLE (lease_id text, message_id text, destination text, expires_at double precision,
  envelope jsonb, size integer, bounce_requested boolean, recipients json${inline ? ', body bytea' : ''})
LANGUAGE plpgsql AS $f$
#variable_conflict use_column
DECLARE
  c record;
  taken integer := 0;
  window_size integer;
  seen integer;
  pos integer;
  n integer;
  saturated text[] := '{}';
  checked text[] := '{}';
  active integer[] := '{}';
  v_lease text;
  v_due json;
BEGIN
  IF p_limit <= 0 THEN RETURN; END IF;
  FOR round IN 1..4 LOOP
    seen := 0;
    window_size := (p_limit - taken) * 2 + 8;
    FOR c IN
      SELECT d.message_id, d.destination FROM ${s}.deliveries d
      WHERE d.ready_at <= p_now
        AND (p_destination IS NULL OR d.destination = p_destination)
        AND d.destination <> ALL (saturated)
      ORDER BY d.ready_at
      LIMIT window_size
    LOOP
      seen := seen + 1;
      EXIT WHEN taken >= p_limit;
      CONTINUE WHEN c.destination = ANY (saturated);
      pos := NULL;
      IF p_max IS NOT NULL THEN
        pos := array_position(checked, c.destination);
        IF pos IS NULL THEN
          IF NOT pg_try_advisory_xact_lock(hashtext('${s}.destination'), hashtext(c.destination)) THEN
            saturated := saturated || c.destination;
            CONTINUE;
          END IF;
          SELECT count(*) INTO n FROM ${s}.deliveries l
            WHERE l.destination = c.destination AND l.lease_id IS NOT NULL
              AND l.lease_expires_at > p_now;
          checked := checked || c.destination;
          active := active || n;
          pos := cardinality(checked);
        END IF;
        IF active[pos] >= p_max THEN
          saturated := saturated || c.destination;
          CONTINUE;
        END IF;
      END IF;
      PERFORM 1 FROM ${s}.deliveries d
        WHERE d.message_id = c.message_id AND d.destination = c.destination AND d.ready_at <= p_now
        FOR UPDATE SKIP LOCKED;
      CONTINUE WHEN NOT FOUND;
      SELECT json_agg(${state} ORDER BY r.idx) INTO v_due FROM ${s}.recipients r
        WHERE r.message_id = c.message_id AND r.destination = c.destination
          AND r.status = 'pending' AND r.next_attempt_at <= p_now;
      IF v_due IS NULL THEN
        -- Ready only because a lease expired over work rescheduled later: nothing to hand out.
        UPDATE ${s}.deliveries d SET lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL,
          due_at = (SELECT min(r.next_attempt_at) FROM ${s}.recipients r
            WHERE r.message_id = c.message_id AND r.destination = c.destination AND r.status = 'pending')
          WHERE d.message_id = c.message_id AND d.destination = c.destination;
        CONTINUE;
      END IF;
      v_lease := to_hex(nextval('${s}.lease_seq'));
      UPDATE ${s}.deliveries d SET lease_id = v_lease, lease_owner = p_owner,
          lease_expires_at = p_now + p_lease_ms
        WHERE d.message_id = c.message_id AND d.destination = c.destination;
      IF pos IS NOT NULL THEN active[pos] := active[pos] + 1; END IF;
      taken := taken + 1;
      RETURN QUERY SELECT v_lease, m.id, c.destination, p_now + p_lease_ms, m.envelope, m.size,
          m.bounce_requested, v_due${
            inline
              ? `,
          CASE WHEN m.size = 0 THEN ''::bytea WHEN m.size <= p_inline THEN
            (SELECT ch.data FROM ${s}.chunks ch WHERE ch.message_id = m.id AND ch.seq = 0) END`
              : ''
          }
        FROM ${s}.messages m WHERE m.id = c.message_id;
    END LOOP;
    EXIT WHEN taken >= p_limit OR seen < window_size;
  END LOOP;
END
$f$;
`;
}

/** The JSON of one recipient's state, as the queries build it (`r` is the recipients row). */
export function recipientStateSql(): string {
  return `json_strip_nulls(json_build_object('index', r.idx, 'status', r.status,
      'attempts', r.attempts, 'nextAttemptAt', r.next_attempt_at, 'lastReply', r.last_reply,
      'delayNotified', CASE WHEN r.delay_notified THEN true END))`;
}
