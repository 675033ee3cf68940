import { ClientError, isClientError } from '../client-error.js';
import type { TransactionResult } from '../session/client-events.js';
import type { ClientOptions } from './client-options.js';
import { connect } from './connect.js';
import type { MessageEnvelope } from './message-envelope.js';
import type { MessageInput, QueuedClient, SmtpClient } from './smtp-client.js';

/**
 * Options of {@link createPool}: where and how to connect (those of `connect`, without a socket:
 * the pool opens its own connections), and the pool's bounds.
 *
 * @example
 * ```ts
 * const options: PoolOptions = { host: 'smtp.example', port: 587, tls: 'required', maxConnections: 4 };
 * ```
 */
export interface PoolOptions extends Omit<ClientOptions, 'socket'> {
  /** Connections open at once to the destination (`host:port`). Default 5. */
  readonly maxConnections?: number;
  /**
   * Messages sent over one connection before it says QUIT and is replaced. Default: no limit by
   * count (Postfix's smtp_connection_reuse_count_limit is 0, unlimited); connections are renewed
   * by age instead (`maxConnectionAgeMs`).
   */
  readonly maxMessagesPerConnection?: number;
  /**
   * A connection is not given another message once it is this old, in milliseconds: it says QUIT
   * and a new one is opened. Default 300000 (Postfix's smtp_connection_reuse_time_limit, 300 s).
   */
  readonly maxConnectionAgeMs?: number;
  /** An unused connection says QUIT after this many milliseconds. Default 5000. */
  readonly idleTimeoutMs?: number;
  /**
   * Messages waiting for a connection at most (those in flight not counted); past it `send`
   * rejects at once with `ERR_CLIENT_POOL_FULL`. Default 1000.
   */
  readonly maxQueued?: number;
}

/**
 * Defaults of {@link PoolOptions}.
 *
 * @example
 * ```ts
 * DEFAULT_POOL_LIMITS.maxConnections; // 5
 * ```
 */
export const DEFAULT_POOL_LIMITS = Object.freeze({
  maxConnections: 5,
  maxMessagesPerConnection: Number.POSITIVE_INFINITY,
  maxConnectionAgeMs: 300_000,
  idleTimeoutMs: 5000,
  maxQueued: 1000,
});

/** What a pool holds now, and what it did so far. */
export interface PoolStats {
  /** Connections open, opening or saying QUIT. */
  readonly connections: number;
  /** Connections open and unused. */
  readonly idle: number;
  /** Messages waiting for a connection. */
  readonly queued: number;
  /** Connections opened since the pool was made. */
  readonly opened: number;
  /** Sends retried on a new connection because a reused one had closed before MAIL's reply. */
  readonly retried: number;
}

/**
 * Connections to one destination, reused from message to message: see {@link createPool}.
 */
export interface SmtpPool {
  /**
   * Sends one message over a pooled connection (one transaction at a time per connection).
   * Resolves and rejects as {@link SmtpClient.send} does; a message whose connection could not
   * be opened rejects with the error of `connect`.
   */
  send(envelope: MessageEnvelope, message: MessageInput): Promise<TransactionResult>;
  /**
   * Stops taking messages (`send` then rejects with `ERR_CLIENT_CLOSED`), lets the queued and
   * in-flight ones finish, then says QUIT on every connection. Resolves once all are closed.
   */
  close(): Promise<void>;
  readonly stats: PoolStats;
}

interface Job {
  readonly envelope: MessageEnvelope;
  readonly message: MessageInput;
  readonly resolve: (result: TransactionResult) => void;
  readonly reject: (error: unknown) => void;
  /** Retried once already: it goes on a connection opened for it. */
  fresh: boolean;
}

interface Pooled {
  readonly client: QueuedClient;
  /** Transactions tried over it. */
  transactions: number;
  /** When it was opened (performance.now()), for maxConnectionAgeMs. */
  readonly openedAt: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !(Number.isInteger(value) || value === Number.POSITIVE_INFINITY)) {
    throw new ClientError(
      'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      `${name} must be a positive integer (or Infinity)`,
    );
  }
  return value;
}

/**
 * Whether a send that failed on a reused connection took nothing of the message, so that it can
 * go again on a new connection: the connection closed before any reply (the server had closed
 * it while idle and our commands met a closed socket), or the only reply was a 421 (RFC 5321
 * §3.8: the server is closing; it sends it, idle, before reading what crossed it). A reply to
 * MAIL means the server took part of the transaction: that send is not replayed.
 */
function closedBeforeMail(error: unknown, client: QueuedClient, repliesBefore: number): boolean {
  if (!isClientError(error)) return false;
  const replies = client.repliesRead - repliesBefore;
  const only421 = replies === 1 && client.lastReply?.code === 421;
  if (error.code === 'ERR_CLIENT_CLOSED') return replies === 0 || only421;
  return error.code === 'ERR_CLIENT_REPLY' && error.command === 'MAIL FROM' && only421;
}

/** A send that failed after the session started a transaction leaves it to be reset. */
function leavesTransaction(error: unknown): boolean {
  return !(isClientError(error) && (error.misuse || error.code === 'ERR_CLIENT_EXTENSION'));
}

class Pool implements SmtpPool {
  readonly #options: Omit<ClientOptions, 'socket'>;
  readonly #max: number;
  readonly #perConnection: number;
  readonly #maxAgeMs: number;
  readonly #idleMs: number;
  readonly #maxQueued: number;
  /** Unused connections, the most recently used last. */
  readonly #idle: Pooled[] = [];
  readonly #queue: Job[] = [];
  readonly #retiring = new Set<Promise<void>>();
  #busy = 0;
  #opening = 0;
  #opened = 0;
  #retried = 0;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(options: PoolOptions) {
    const {
      maxConnections,
      maxMessagesPerConnection,
      maxConnectionAgeMs,
      idleTimeoutMs,
      maxQueued,
      ...client
    } = options;
    if ((options as ClientOptions).socket !== undefined) {
      throw new ClientError(
        'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
        'a pool opens its own connections: give host and port, not a socket',
      );
    }
    const d = DEFAULT_POOL_LIMITS;
    this.#max = positive('maxConnections', maxConnections, d.maxConnections);
    this.#perConnection = positive(
      'maxMessagesPerConnection',
      maxMessagesPerConnection,
      d.maxMessagesPerConnection,
    );
    this.#maxAgeMs = positive('maxConnectionAgeMs', maxConnectionAgeMs, d.maxConnectionAgeMs);
    this.#idleMs = positive('idleTimeoutMs', idleTimeoutMs, d.idleTimeoutMs);
    this.#maxQueued = positive('maxQueued', maxQueued, d.maxQueued);
    this.#options = client;
  }

  get stats(): PoolStats {
    return {
      connections: this.#count(),
      idle: this.#idle.length,
      queued: this.#queue.length,
      opened: this.#opened,
      retried: this.#retried,
    };
  }

  send(envelope: MessageEnvelope, message: MessageInput): Promise<TransactionResult> {
    if (this.#closing !== undefined) {
      return Promise.reject(new ClientError('ERR_CLIENT_CLOSED', 'the pool is closed'));
    }
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new ClientError(
          'ERR_CLIENT_POOL_FULL',
          `${this.#queue.length} messages wait for a connection already (maxQueued)`,
          { permanent: false },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ envelope, message, resolve, reject, fresh: false });
      this.#pump();
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#queue.length > 0 || this.#busy > 0 || this.#opening > 0) {
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
        });
      }
      for (const pooled of this.#idle.splice(0)) this.#retire(pooled);
      while (this.#retiring.size > 0) await Promise.all([...this.#retiring]);
    })();
    return this.#closing;
  }

  /** Every connection the destination sees: opening, in use, idle or saying QUIT. */
  #count(): number {
    return this.#opening + this.#busy + this.#idle.length + this.#retiring.size;
  }

  /** Gives waiting messages a connection: an idle one, else a new one while under the limit. */
  #pump(): void {
    this.#dropStaleIdle();
    while (this.#queue.length > 0) {
      const job = this.#queue[0] as Job;
      if (!job.fresh) {
        const pooled = this.#idle.pop();
        if (pooled !== undefined) {
          this.#queue.shift();
          clearTimeout(pooled.idleTimer);
          void this.#run(pooled, job, true);
          continue;
        }
      }
      if (this.#count() < this.#max) {
        this.#queue.shift();
        void this.#open(job);
        continue;
      }
      // A retried message needs a new connection: make room by closing an idle one.
      const oldest = job.fresh ? this.#idle.shift() : undefined;
      if (oldest === undefined) break;
      this.#retire(oldest);
      break;
    }
    if (
      this.#drained !== undefined &&
      this.#queue.length === 0 &&
      this.#busy === 0 &&
      this.#opening === 0
    ) {
      const drained = this.#drained;
      this.#drained = undefined;
      drained();
    }
  }

  /** Idle connections the server closed: gone, nothing to say to them. */
  #dropStaleIdle(): void {
    const now = performance.now();
    for (let i = this.#idle.length - 1; i >= 0; i--) {
      const pooled = this.#idle[i] as Pooled;
      const old = now - pooled.openedAt >= this.#maxAgeMs;
      if (!pooled.client.closed && !old) continue;
      clearTimeout(pooled.idleTimer);
      this.#idle.splice(i, 1);
      // Past its age while idle: it says QUIT rather than carry another message.
      if (old && !pooled.client.closed) this.#retire(pooled);
    }
  }

  async #open(job: Job): Promise<void> {
    this.#opening++;
    let client: SmtpClient;
    try {
      client = await connect(this.#options);
    } catch (error) {
      this.#opening--;
      job.reject(error);
      this.#pump();
      return;
    }
    this.#opening--;
    this.#opened++;
    await this.#run(
      {
        client: client as QueuedClient,
        transactions: 0,
        openedAt: performance.now(),
        idleTimer: undefined,
      },
      job,
      false,
    );
  }

  async #run(pooled: Pooled, job: Job, reused: boolean): Promise<void> {
    this.#busy++;
    const client = pooled.client;
    const repliesBefore = client.repliesRead;
    let reset = false;
    try {
      const result = await client.send(job.envelope, job.message);
      pooled.transactions++;
      // RFC 5321 §4.1.4: after a completed transaction the next MAIL may follow at once; a
      // transaction that ended without a message accepted may still be open on the server.
      reset = result.message === undefined || result.message.code >= 400;
      job.resolve(result);
    } catch (error) {
      if (reused && closedBeforeMail(error, client, repliesBefore)) {
        this.#retried++;
        job.fresh = true;
        this.#queue.unshift(job);
      } else {
        pooled.transactions++;
        job.reject(error);
      }
      reset = leavesTransaction(error);
    }
    if (reset && !client.closed) {
      try {
        await client.reset();
      } catch {
        await client.close();
      }
    }
    this.#busy--;
    this.#release(pooled);
    this.#pump();
  }

  /** Back to the idle list, or QUIT: closed, used up, too old, or the pool closing with nothing queued. */
  #release(pooled: Pooled): void {
    if (pooled.client.closed) return;
    const done =
      pooled.transactions >= this.#perConnection ||
      performance.now() - pooled.openedAt >= this.#maxAgeMs ||
      (this.#closing !== undefined && this.#queue.length === 0);
    if (done) {
      this.#retire(pooled);
      return;
    }
    pooled.idleTimer = setTimeout(() => {
      const at = this.#idle.indexOf(pooled);
      if (at === -1) return;
      this.#idle.splice(at, 1);
      this.#retire(pooled);
    }, this.#idleMs);
    pooled.idleTimer.unref();
    this.#idle.push(pooled);
  }

  #retire(pooled: Pooled): void {
    clearTimeout(pooled.idleTimer);
    const client = pooled.client;
    const done = client.closed ? Promise.resolve() : client.quit().catch(() => client.close());
    const tracked = done.finally(() => {
      this.#retiring.delete(tracked);
      this.#pump();
    });
    this.#retiring.add(tracked);
  }
}

/**
 * A pool of connections to one destination (`host:port`): `send` takes a connection that is
 * free, opens one while fewer than `maxConnections` are open, or queues the message (at most
 * `maxQueued` wait). Each connection carries one transaction at a time; once it has carried
 * `maxMessagesPerConnection` messages (no limit by default) or is `maxConnectionAgeMs` old
 * (300 s), it says QUIT; an unused one says QUIT after `idleTimeoutMs`. After a completed transaction the next MAIL follows at once (RFC 5321
 * §4.1.4); RSET is sent only after a transaction that ended without its message accepted.
 *
 * A server that closes an idle connection costs no message: an idle connection found closed is
 * dropped, and a send on a reused connection that turns out closed before any reply to MAIL (or
 * whose only reply is the 421 of a server closing it, RFC 5321 §3.8) goes again, transparently,
 * on a new connection. A failure on a new connection is the message's failure.
 *
 * @example
 * ```ts
 * import { createPool } from '@smtpkit/client';
 * const pool = createPool({ host: 'smtp.example', port: 587, tls: 'required', maxConnections: 4 });
 * const results = await Promise.all(
 *   ['b@example.com', 'c@example.com'].map((to) => pool.send({ from: 'a@example.org', to }, 'Subject: hi\r\n\r\nHello\r\n')),
 * );
 * await pool.close();
 * ```
 */
export function createPool(options: PoolOptions): SmtpPool {
  return new Pool(options);
}
