/** Limits of one grouped commit. */
export interface BatchLimits {
  /** Items (messages, settlements) in one transaction (default 64). */
  readonly maxMessages: number;
  /** Body bytes in one transaction (default 8 MiB); a bigger message goes alone. */
  readonly maxBytes: number;
  /** Transactions in flight at once (default 2). */
  readonly maxInFlight: number;
}

/**
 * Writes one batch in one transaction. Resolves when it committed: with nothing (every message
 * stored) or with one entry per message, `undefined` for a stored one and the error of one that
 * was not (a batch retried message by message after a data error). Rejects when none was stored.
 */
export type BatchWriter<T> = (items: readonly T[]) => Promise<readonly unknown[] | undefined>;

interface Waiter<T> {
  readonly item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit without a timer: the first item (an enqueue, a settle) is written at once; those
 * that arrive while `maxInFlight` transactions are being committed wait and go together in the
 * next one (one statement, one transaction, one WAL flush for all of them). Under no load nothing
 * waits; under load each commit carries what gathered during the previous one. Every caller's
 * promise settles only with its own transaction's outcome, so a resolved enqueue is a committed
 * one. `size` gives an item's bytes, for `maxBytes`.
 *
 * @example
 * ```ts
 * const group = new CommitGroup((items) => writeInOneTransaction(items), limits, (m) => m.bytes.length);
 * await group.add({ id, envelope, bytes }); // committed now
 * ```
 */
export class CommitGroup<T> {
  readonly #write: BatchWriter<T>;
  readonly #limits: BatchLimits;
  readonly #size: (item: T) => number;
  #queue: Waiter<T>[] = [];
  #inFlight = 0;
  #idle: (() => void)[] = [];
  /** Transactions written, and messages in them (for the round-trip figures). */
  batches = 0;
  messages = 0;

  constructor(write: BatchWriter<T>, limits: BatchLimits, size: (item: T) => number = () => 0) {
    this.#write = write;
    this.#limits = limits;
    this.#size = size;
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  /** Resolves once nothing is waiting or in flight. */
  drained(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < this.#limits.maxInFlight && this.#queue.length > 0) {
      const batch: Waiter<T>[] = [];
      let bytes = 0;
      // Bounded by the queue's length and maxMessages.
      while (this.#queue.length > 0 && batch.length < this.#limits.maxMessages) {
        const next = this.#queue[0] as Waiter<T>;
        const size = this.#size(next.item);
        if (batch.length > 0 && bytes + size > this.#limits.maxBytes) break;
        batch.push(next);
        bytes += size;
        this.#queue.shift();
      }
      this.#inFlight++;
      this.batches++;
      this.messages += batch.length;
      this.#write(batch.map((w) => w.item))
        .then(
          (errors) => {
            batch.forEach((w, i) => {
              const error = errors?.[i];
              if (error === undefined) w.resolve();
              else w.reject(error);
            });
          },
          (error: unknown) => {
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#pump();
          if (this.#inFlight === 0 && this.#queue.length === 0)
            for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
  }
}
