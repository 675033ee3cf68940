/**
 * Stable codes of {@link QueueError}. `ERR_QUEUE_MISUSE_*` codes mean the caller misused the API
 * (a bad option, a result for a recipient the lease does not hold, a closed store); every other
 * code is a fault of the environment: the spool directory is held by another live process, its
 * files are unreadable, the owner's control socket failed.
 *
 * Misuse: `ERR_QUEUE_MISUSE_OPTION`, `ERR_QUEUE_MISUSE_RESULT`, `ERR_QUEUE_MISUSE_CLOSED`,
 * `ERR_QUEUE_MISUSE_ENVELOPE`.
 *
 * @example
 * ```ts
 * const code: QueueErrorCode = 'ERR_QUEUE_LOCKED';
 * ```
 */
export type QueueErrorCode =
  | 'ERR_QUEUE_MISUSE_OPTION'
  | 'ERR_QUEUE_MISUSE_RESULT'
  | 'ERR_QUEUE_MISUSE_CLOSED'
  | 'ERR_QUEUE_MISUSE_ENVELOPE'
  | 'ERR_QUEUE_NOT_FOUND'
  | 'ERR_QUEUE_LOCKED'
  | 'ERR_QUEUE_CONTROL'
  | 'ERR_QUEUE_IO';

/**
 * The brand of {@link QueueError} on its prototype: `Symbol.for` gives every copy of this package
 * (its ESM and CommonJS builds, a second version nested by npm) the same symbol.
 */
const queueErrorBrand = Symbol.for('@smtpkit/queue.QueueError');

/**
 * The one error class of @smtpkit/queue. `misuse` is read from the code.
 *
 * @example
 * ```ts
 * try { await openSpool({ dir }); } catch (e) { if (isQueueError(e) && e.code === 'ERR_QUEUE_LOCKED') process.exit(75); }
 * ```
 */
export class QueueError extends Error {
  static {
    Object.defineProperty(QueueError.prototype, queueErrorBrand, { value: true });
  }

  override readonly name = 'QueueError';
  readonly code: QueueErrorCode;
  constructor(code: QueueErrorCode, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** True when the program misused the API; false when the environment failed. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_QUEUE_MISUSE_');
  }
}

/**
 * Whether `value` is a {@link QueueError} made by any copy of `@smtpkit/queue`: a brand check,
 * where `instanceof` knows one class only.
 *
 * @example
 * ```ts
 * import { isQueueError } from '@smtpkit/queue';
 * try { await store.settle(lease, results); } catch (e) { if (isQueueError(e) && e.misuse) throw e; }
 * ```
 */
export function isQueueError(value: unknown): value is QueueError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[queueErrorBrand] === true
  );
}
