/**
 * The queue's contract: what a durable mail queue stores and how workers take work from it. The
 * embedded filesystem spool implements it (`src/node/`); a shared database backend (PostgreSQL)
 * implements the same contract so that many MTA nodes share one queue. Nothing here assumes the
 * queue lives in this process: work is handed out as leases that expire, and every admin action
 * goes through the store.
 */

/** One recipient of a queued message, with the DSN facts of its RCPT command (RFC 3461 §4). */
export interface QueuedRecipient {
  /** The forward-path mailbox as received (UTF-8 when the message is SMTPUTF8). */
  readonly address: string;
  /**
   * Routing key chosen by the application (a domain for MX delivery, `local`, a relay name):
   * recipients of one message and one destination are delivered together, and concurrency limits
   * count per destination.
   */
  readonly destination: string;
  /** RFC 3461 §4.1 NOTIFY; absent: the default (FAILURE and DELAY at the MTA's discretion). */
  readonly notify?: 'NEVER' | readonly ('SUCCESS' | 'FAILURE' | 'DELAY')[];
  /** RFC 3461 §4.2 ORCPT, decoded (`addrType` e.g. `rfc822` or `utf-8`). */
  readonly orcpt?: { readonly addrType: string; readonly address: string };
}

/** The envelope of a queued message: everything but the bytes. */
export interface MessageEnvelope {
  /** The reverse-path mailbox; `''` is the null reverse-path `<>` (a bounce). */
  readonly sender: string;
  readonly recipients: readonly QueuedRecipient[];
  /** RFC 3461 §4.4 ENVID, decoded. */
  readonly envid?: string;
  /** RFC 3461 §4.3 RET. */
  readonly ret?: 'FULL' | 'HDRS';
  /** RFC 6152 / RFC 3030 BODY. */
  readonly body?: '7BIT' | '8BITMIME' | 'BINARYMIME';
  /** RFC 6531 SMTPUTF8. */
  readonly smtputf8?: boolean;
  /** When the message was accepted (epoch ms, from the caller's clock). */
  readonly receivedAt: number;
  /** Application facts kept with the message (client address, HELO name, user, …). */
  readonly attrs?: Readonly<Record<string, string>>;
}

/** A reply kept as a recipient's last result (what a DSN's Diagnostic-Code reports). */
export interface StoredReply {
  readonly code: number;
  /** RFC 3463 enhanced status code, `x.y.z`. */
  readonly enhanced?: string;
  readonly text: string;
  /** The host that answered (RFC 3464 Remote-MTA); absent for local results. */
  readonly remoteMta?: string;
}

/** Where one recipient stands. */
export interface RecipientState {
  /** Index into the envelope's `recipients`. */
  readonly index: number;
  readonly status: 'pending' | 'delivered' | 'failed';
  /** Delivery attempts made so far. */
  readonly attempts: number;
  /** For `pending`: not before this time (epoch ms). */
  readonly nextAttemptAt: number;
  readonly lastReply?: StoredReply;
  /** A delay DSN was sent for this recipient (so only one is). */
  readonly delayNotified?: boolean;
}

/** A message in the queue, as admin tools see it. */
export interface QueuedMessage {
  readonly id: string;
  readonly envelope: MessageEnvelope;
  /** Size of the stored message in bytes. */
  readonly size: number;
  readonly recipients: readonly RecipientState[];
  /** Set by an administrator's bounce: fail the pending recipients at the next attempt. */
  readonly bounceRequested?: boolean;
}

/** What a worker asks for. */
export interface LeaseRequest {
  /** Who takes the work (node id): stored with the lease. */
  readonly owner: string;
  /** The most leases to return. */
  readonly limit: number;
  /** How long a lease holds before another worker may take the work over. */
  readonly leaseMs: number;
  /** The caller's clock (epoch ms): recipients with `nextAttemptAt <= now` are due. */
  readonly now: number;
  /**
   * Most unexpired leases per destination, across every worker sharing the store; absent: no
   * limit. A store shared by nodes must enforce it across them.
   */
  readonly maxPerDestination?: number;
  /** Only this destination (ETRN, a flush of one domain). */
  readonly destination?: string;
}

/** Work handed to one worker: the due recipients of one message for one destination. */
export interface Lease {
  readonly leaseId: string;
  /** The queue id. */
  readonly id: string;
  readonly destination: string;
  readonly envelope: MessageEnvelope;
  /** The recipients leased, with their state at the time of the lease. */
  readonly recipients: readonly RecipientState[];
  readonly size: number;
  readonly bounceRequested: boolean;
  /** After this time (epoch ms) the lease is void and the work may be leased again. */
  readonly expiresAt: number;
}

/** A worker's result for one leased recipient. */
export interface RecipientResult {
  readonly index: number;
  readonly outcome: 'delivered' | 'deferred' | 'failed';
  readonly reply?: StoredReply;
  /** For `deferred`: the next attempt (epoch ms). */
  readonly retryAt?: number;
  /** A delay DSN was sent with this result. */
  readonly delayNotified?: boolean;
  /**
   * For `delivered`: the message was relayed to a system that does not send DSNs (RFC 3464
   * §2.3.3 Action `relayed`); not stored, passed through to the notice.
   */
  readonly action?: 'relayed';
}

/** Filter of the admin actions. */
export interface QueueSelector {
  /** One message by queue id. */
  readonly id?: string;
  /** The messages with a pending recipient for this destination. */
  readonly destination?: string;
}

/** Counts for metrics. */
export interface QueueStats {
  readonly messages: number;
  readonly pendingRecipients: number;
  /**
   * Leases held now (deliveries in progress): unexpired at the latest `now` the store was given
   * (its `lease` and `renew` calls), as a store needs no clock of its own.
   */
  readonly leased: number;
}

/**
 * A durable mail queue.
 *
 * Promises: a message whose `enqueue` resolved survives a crash (kill -9, power loss) and is
 * never lost; a message whose `enqueue` did not resolve is never delivered half-written (what a
 * crash cut short is discarded at recovery; one whose bytes had all reached the disk may be
 * delivered, a duplicate SMTP allows since its client saw no 250); a recipient is delivered
 * again only when a crash falls between the delivery and its `settle`.
 */
export interface QueueStore {
  /**
   * Stores a message. Resolves with its queue id once the message and its envelope are durable
   * (fsynced, or committed); that is when an MTA may answer 250. Concurrent calls may share a
   * group commit.
   */
  enqueue(
    envelope: MessageEnvelope,
    message: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  ): Promise<string>;
  /** Leases due work (see {@link LeaseRequest}); an empty array when nothing is due. */
  lease(request: LeaseRequest): Promise<Lease[]>;
  /** The stored message bytes of a queued message. */
  read(id: string): AsyncIterable<Uint8Array>;
  /** Extends a lease still held (a long delivery). Resolves false when it was lost. */
  renew(lease: Lease, now: number, leaseMs: number): Promise<boolean>;
  /**
   * Records a lease's results and releases it. A message whose recipients are all final
   * (delivered or failed) is removed. Recipients of the lease without a result stay pending as they
   * were; a `deferred` result without `retryAt` is due again when the lease would have expired. A
   * lease no longer current (it expired and another worker took the work, or the message was
   * removed) settles nothing. A result for a recipient the lease does not hold is a misuse
   * (`ERR_QUEUE_MISUSE_RESULT`).
   */
  settle(lease: Lease, results: readonly RecipientResult[]): Promise<void>;

  /** Admin: the messages in the queue (all, or those of a selector). */
  list(selector?: QueueSelector): AsyncIterable<QueuedMessage>;
  /** Admin: one message, or undefined. */
  get(id: string): Promise<QueuedMessage | undefined>;
  /** Admin (flush, retry now, ETRN): pending recipients selected become due at `at`; returns how many messages. */
  reschedule(selector: QueueSelector, at: number): Promise<number>;
  /** Admin: removes messages without any notice; returns how many. */
  remove(selector: QueueSelector): Promise<number>;
  /** Admin: marks messages to be bounced at their next attempt, which becomes due at `at`. */
  requestBounce(selector: QueueSelector, at: number): Promise<number>;
  stats(): Promise<QueueStats>;
  /** Releases resources (files, connections). Pending enqueues finish first. */
  close(): Promise<void>;
}
