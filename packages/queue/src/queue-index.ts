import { MinHeap } from './min-heap.js';
import { QueueError } from './queue-error.js';
import type {
  Lease,
  LeaseRequest,
  MessageEnvelope,
  QueuedMessage,
  QueueSelector,
  QueueStats,
  RecipientResult,
  RecipientState,
} from './queue-store.js';

/** A message as the index holds it; `states` and `bounceRequested` change as work is settled. */
export interface IndexedMessage {
  readonly id: string;
  readonly envelope: MessageEnvelope;
  readonly size: number;
  states: readonly RecipientState[];
  bounceRequested: boolean;
  /** One group per destination of the envelope's recipients. */
  readonly groups: ReadonlyMap<string, Group>;
}

/** The recipients of one message for one destination: the unit a lease hands out. */
interface Group {
  /** Bumped on every change: due entries carrying an older value are stale. */
  seq: number;
  lease: HeldLease | undefined;
}

interface HeldLease {
  readonly leaseId: string;
  readonly id: string;
  readonly destination: string;
  readonly indexes: ReadonlySet<number>;
  expiresAt: number;
  released: boolean;
}

interface DueEntry {
  readonly at: number;
  readonly id: string;
  readonly destination: string;
  readonly seq: number;
}

/** What a settle did to the message. */
export interface SettleOutcome {
  readonly message: IndexedMessage;
  /** Every recipient is final: the message left the index. */
  readonly removed: boolean;
}

/** The states of a message just accepted: every recipient pending, due at `receivedAt`. */
export function initialStates(envelope: MessageEnvelope): RecipientState[] {
  return envelope.recipients.map((_, index) => ({
    index,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: envelope.receivedAt,
  }));
}

/**
 * The in-memory queue every store shares: messages with their per-recipient state, the leases
 * held, and a due-time index (one heap of due entries per destination, and a heap of
 * destinations by their earliest entry), so `lease` touches only due work and each saturated
 * destination once. Sans-IO: every time comes from the caller. The memory store is this index and
 * a map of bytes; the spool adds the journal behind it.
 *
 * @example
 * ```ts
 * const index = new QueueIndex('w1');
 * index.add('q1', envelope, 1024);
 * const [lease] = index.lease({ owner: 'w1', limit: 1, leaseMs: 60_000, now: Date.now() });
 * ```
 */
export class QueueIndex {
  readonly #messages = new Map<string, IndexedMessage>();
  readonly #due = new Map<string, MinHeap<DueEntry>>();
  readonly #destinations = new MinHeap<{ readonly at: number; readonly destination: string }>(
    (e) => e.at,
  );
  /** The smallest time each destination is registered at in `#destinations`. */
  readonly #registered = new Map<string, number>();
  readonly #leasesByDestination = new Map<string, Set<HeldLease>>();
  readonly #held = new Set<HeldLease>();
  readonly #leasePrefix: string;
  #leaseCounter = 0;
  /** The latest `now` a caller passed in (for `stats` of a store without a clock). */
  lastNow = Number.NEGATIVE_INFINITY;

  constructor(leasePrefix: string) {
    this.#leasePrefix = leasePrefix;
  }

  get size(): number {
    return this.#messages.size;
  }

  get(id: string): IndexedMessage | undefined {
    return this.#messages.get(id);
  }

  values(): IterableIterator<IndexedMessage> {
    return this.#messages.values();
  }

  /** Adds a message (a new one, or one read back at recovery with its states). */
  add(
    id: string,
    envelope: MessageEnvelope,
    size: number,
    states: readonly RecipientState[] = initialStates(envelope),
    bounceRequested = false,
  ): IndexedMessage {
    const groups = new Map<string, Group>();
    for (const r of envelope.recipients)
      if (!groups.has(r.destination)) groups.set(r.destination, { seq: 0, lease: undefined });
    const message: IndexedMessage = { id, envelope, size, states, bounceRequested, groups };
    this.removeId(id);
    this.#messages.set(id, message);
    for (const destination of groups.keys()) this.#schedule(message, destination);
    return message;
  }

  /** Leases due work; see `QueueStore.lease`. */
  lease(request: LeaseRequest): Lease[] {
    const now = request.now;
    this.#see(now);
    const out: Lease[] = [];
    if (request.limit <= 0) return out;
    if (request.destination !== undefined) {
      this.#take(request.destination, request, out);
      this.#register(request.destination);
      return out;
    }
    const saturated: string[] = [];
    while (out.length < request.limit) {
      const top = this.#destinations.peek();
      if (top === undefined || top.at > now) break;
      this.#destinations.pop();
      if (this.#registered.get(top.destination) !== top.at) continue;
      this.#registered.delete(top.destination);
      if (this.#take(top.destination, request, out) === 'saturated')
        saturated.push(top.destination);
      else this.#register(top.destination);
    }
    for (const destination of saturated) this.#register(destination);
    return out;
  }

  /** Extends a lease still held and unexpired at `now`; false when it was lost. */
  renew(lease: Lease, now: number, leaseMs: number): boolean {
    this.#see(now);
    const message = this.#messages.get(lease.id);
    const held = this.#current(lease);
    if (message === undefined || held === undefined || held.expiresAt <= now) return false;
    held.expiresAt = now + leaseMs;
    this.#schedule(message, lease.destination);
    return true;
  }

  /**
   * Applies a lease's results and releases it. Undefined when the lease is no longer the current
   * one of its work (another worker took the work over after it expired, or the message left the
   * queue): the results are then dropped, since the work is being done again.
   */
  settle(lease: Lease, results: readonly RecipientResult[]): SettleOutcome | undefined {
    const message = this.#messages.get(lease.id);
    const held = this.#current(lease);
    if (message === undefined || held === undefined) return undefined;
    const seen = new Set<number>();
    for (const r of results) {
      if (!held.indexes.has(r.index) || seen.has(r.index))
        throw new QueueError(
          'ERR_QUEUE_MISUSE_RESULT',
          `result for recipient ${r.index}, which lease ${lease.leaseId} does not hold (or twice)`,
        );
      seen.add(r.index);
    }
    const states = message.states.slice();
    for (const r of results) {
      const before = states[r.index] as RecipientState;
      const status = r.outcome === 'deferred' ? 'pending' : r.outcome;
      const next: RecipientState = {
        index: r.index,
        status,
        attempts: before.attempts + 1,
        nextAttemptAt:
          r.outcome === 'deferred' ? (r.retryAt ?? held.expiresAt) : before.nextAttemptAt,
        ...(r.reply !== undefined
          ? { lastReply: r.reply }
          : before.lastReply !== undefined
            ? { lastReply: before.lastReply }
            : {}),
        ...(before.delayNotified === true || r.delayNotified === true
          ? { delayNotified: true }
          : {}),
      };
      states[r.index] = next;
    }
    message.states = states;
    this.#release(held);
    const group = message.groups.get(lease.destination) as Group;
    group.lease = undefined;
    if (states.every((s) => s.status !== 'pending')) {
      this.removeId(message.id);
      return { message, removed: true };
    }
    this.#schedule(message, lease.destination);
    return { message, removed: false };
  }

  /** The messages a selector picks (all without one). */
  select(selector: QueueSelector = {}): IndexedMessage[] {
    if (selector.id !== undefined) {
      const m = this.#messages.get(selector.id);
      return m === undefined || !matches(m, selector) ? [] : [m];
    }
    const out: IndexedMessage[] = [];
    for (const m of this.#messages.values()) if (matches(m, selector)) out.push(m);
    return out;
  }

  /** Makes the selected pending recipients due at `at`; returns the messages changed. */
  reschedule(selector: QueueSelector, at: number): IndexedMessage[] {
    const changed = this.select(selector);
    for (const m of changed) {
      m.states = m.states.map((s) =>
        s.status === 'pending' &&
        (selector.destination === undefined ||
          m.envelope.recipients[s.index]?.destination === selector.destination)
          ? { ...s, nextAttemptAt: at }
          : s,
      );
      for (const destination of m.groups.keys()) this.#schedule(m, destination);
    }
    return changed;
  }

  /** Marks the selected messages for a bounce, due at `at`; returns the messages changed. */
  requestBounce(selector: QueueSelector, at: number): IndexedMessage[] {
    const changed = this.select(selector);
    for (const m of changed) {
      m.bounceRequested = true;
      m.states = m.states.map((s) => (s.status === 'pending' ? { ...s, nextAttemptAt: at } : s));
      for (const destination of m.groups.keys()) this.#schedule(m, destination);
    }
    return changed;
  }

  /** Removes one message and voids its leases. */
  removeId(id: string): boolean {
    const m = this.#messages.get(id);
    if (m === undefined) return false;
    for (const group of m.groups.values()) {
      if (group.lease !== undefined) this.#release(group.lease);
      group.lease = undefined;
      group.seq++;
    }
    this.#messages.delete(id);
    return true;
  }

  stats(now: number): QueueStats {
    let pendingRecipients = 0;
    for (const m of this.#messages.values())
      for (const s of m.states) if (s.status === 'pending') pendingRecipients++;
    let leased = 0;
    for (const held of this.#held) if (held.expiresAt > now) leased++;
    return { messages: this.#messages.size, pendingRecipients, leased };
  }

  /** The admin view of a message (a copy: later changes do not show through). */
  snapshot(m: IndexedMessage): QueuedMessage {
    return {
      id: m.id,
      envelope: m.envelope,
      size: m.size,
      recipients: m.states.slice(),
      ...(m.bounceRequested ? { bounceRequested: true } : {}),
    };
  }

  #see(now: number): void {
    if (now > this.lastNow) this.lastNow = now;
  }

  #current(lease: Lease): HeldLease | undefined {
    const held = this.#messages.get(lease.id)?.groups.get(lease.destination)?.lease;
    return held !== undefined && held.leaseId === lease.leaseId && !held.released
      ? held
      : undefined;
  }

  #release(held: HeldLease): void {
    held.released = true;
    this.#held.delete(held);
    this.#leasesByDestination.get(held.destination)?.delete(held);
  }

  /** Unexpired leases of a destination, dropping the expired ones from the count. */
  #active(destination: string, now: number): number {
    const set = this.#leasesByDestination.get(destination);
    if (set === undefined) return 0;
    for (const held of set) if (held.released || held.expiresAt <= now) set.delete(held);
    return set.size;
  }

  /** Pushes the group's next due entry: its lease's expiry while leased, else its earliest pending. */
  #schedule(m: IndexedMessage, destination: string): void {
    const group = m.groups.get(destination);
    if (group === undefined) return;
    group.seq++;
    let at = Number.POSITIVE_INFINITY;
    if (group.lease !== undefined && !group.lease.released) at = group.lease.expiresAt;
    else
      for (const s of m.states)
        if (
          s.status === 'pending' &&
          s.nextAttemptAt < at &&
          m.envelope.recipients[s.index]?.destination === destination
        )
          at = s.nextAttemptAt;
    if (at === Number.POSITIVE_INFINITY) return;
    let heap = this.#due.get(destination);
    if (heap === undefined) {
      heap = new MinHeap<DueEntry>((e) => e.at);
      this.#due.set(destination, heap);
    }
    heap.push({ at, id: m.id, destination, seq: group.seq });
    this.#note(destination, at);
  }

  #note(destination: string, at: number): void {
    const registered = this.#registered.get(destination);
    if (registered !== undefined && registered <= at) return;
    this.#registered.set(destination, at);
    this.#destinations.push({ at, destination });
  }

  /** Registers a destination at its heap's first live entry (after dropping stale ones). */
  #register(destination: string): void {
    const heap = this.#due.get(destination);
    if (heap === undefined) return;
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (!this.#stale(top)) {
        this.#note(destination, top.at);
        return;
      }
      heap.pop();
    }
    this.#due.delete(destination);
  }

  #stale(e: DueEntry): boolean {
    return this.#messages.get(e.id)?.groups.get(e.destination)?.seq !== e.seq;
  }

  /** Leases the due groups of one destination into `out`. */
  #take(destination: string, request: LeaseRequest, out: Lease[]): 'saturated' | 'done' {
    const heap = this.#due.get(destination);
    const now = request.now;
    while (heap !== undefined && out.length < request.limit) {
      const e = heap.peek();
      if (e === undefined || e.at > now) return 'done';
      if (this.#stale(e)) {
        heap.pop();
        continue;
      }
      if (
        request.maxPerDestination !== undefined &&
        this.#active(destination, now) >= request.maxPerDestination
      )
        return 'saturated';
      heap.pop();
      const m = this.#messages.get(e.id) as IndexedMessage;
      const group = m.groups.get(destination) as Group;
      const due = m.states.filter(
        (s) =>
          s.status === 'pending' &&
          s.nextAttemptAt <= now &&
          m.envelope.recipients[s.index]?.destination === destination,
      );
      if (group.lease !== undefined) this.#release(group.lease);
      group.lease = undefined;
      if (due.length === 0) {
        this.#schedule(m, destination);
        continue;
      }
      const held: HeldLease = {
        leaseId: `${this.#leasePrefix}.${(++this.#leaseCounter).toString(36)}`,
        id: m.id,
        destination,
        indexes: new Set(due.map((s) => s.index)),
        expiresAt: now + request.leaseMs,
        released: false,
      };
      group.lease = held;
      this.#held.add(held);
      let set = this.#leasesByDestination.get(destination);
      if (set === undefined) {
        set = new Set();
        this.#leasesByDestination.set(destination, set);
      }
      set.add(held);
      this.#schedule(m, destination);
      out.push({
        leaseId: held.leaseId,
        id: m.id,
        destination,
        envelope: m.envelope,
        recipients: due,
        size: m.size,
        bounceRequested: m.bounceRequested,
        expiresAt: held.expiresAt,
      });
    }
    return 'done';
  }
}

function matches(m: IndexedMessage, selector: QueueSelector): boolean {
  if (selector.id !== undefined && m.id !== selector.id) return false;
  if (selector.destination === undefined) return true;
  return m.states.some(
    (s) =>
      s.status === 'pending' &&
      m.envelope.recipients[s.index]?.destination === selector.destination,
  );
}
