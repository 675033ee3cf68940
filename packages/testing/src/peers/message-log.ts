import { PeerError } from './peer-error.js';

/** Messages in the order they arrived, and a bounded wait for the next ones. */
export interface MessageLog<T> {
  /** Every message so far (the live array: it grows). */
  readonly messages: readonly T[];
  /** Stores one message and wakes the waits it completes. */
  add(message: T): void;
  /** Resolves with {@link messages} once it holds `count`; rejects with ERR_PEER_TIMEOUT after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs: number): Promise<readonly T[]>;
}

/**
 * A log for a test server that stores what it receives while a test waits for it.
 *
 * @example
 * ```ts
 * const log = createMessageLog<string>();
 * setTimeout(() => log.add('hello'), 10);
 * await log.waitForMessages(1, 1000); // ['hello']
 * ```
 */
export function createMessageLog<T>(): MessageLog<T> {
  const messages: T[] = [];
  const waiters = new Set<() => void>();
  return {
    messages,
    add(message) {
      messages.push(message);
      for (const w of waiters) w();
    },
    waitForMessages(count, timeoutMs) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (messages.length >= count) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(messages);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new PeerError('ERR_PEER_TIMEOUT', `expected ${count} messages, got ${messages.length}`),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
  };
}
