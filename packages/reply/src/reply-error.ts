/**
 * Stable codes of {@link ReplyError}. `ERR_REPLY_MISUSE_*` codes mean the caller misused the API
 * (built a reply that must never reach the wire); the one other code, `ERR_REPLY_THROWN`, is no
 * fault at all: a {@link ReplyException} thrown on purpose to refuse what the peer asked, carrying
 * the reply to send. This package never reads from a peer, so nothing else is a peer fault.
 *
 * Misuse: `ERR_REPLY_MISUSE_CODE`, `ERR_REPLY_MISUSE_ENHANCED_SYNTAX`,
 * `ERR_REPLY_MISUSE_CLASS_MISMATCH`, `ERR_REPLY_MISUSE_LINE_INJECTION`,
 * `ERR_REPLY_MISUSE_TEXT_INVALID`, `ERR_REPLY_MISUSE_LINE_TOO_LONG`. Not misuse: `ERR_REPLY_THROWN`.
 *
 * @example
 * ```ts
 * const code: ReplyErrorCode = 'ERR_REPLY_MISUSE_LINE_INJECTION';
 * ```
 */
export type ReplyErrorCode =
  /** The basic code is not three digits matching RFC 5321 `Reply-code = %x32-35 %x30-35 %x30-39`. */
  | 'ERR_REPLY_MISUSE_CODE'
  /** The enhanced status is not RFC 3463 `class "." subject "." detail` (or out of range). */
  | 'ERR_REPLY_MISUSE_ENHANCED_SYNTAX'
  /** The enhanced class disagrees with the basic code's first digit, or a 3yz reply has one. */
  | 'ERR_REPLY_MISUSE_CLASS_MISMATCH'
  /** A text line holds CR, LF or NUL: it could end the reply early and forge another one. */
  | 'ERR_REPLY_MISUSE_LINE_INJECTION'
  /** A text line holds another control character or a lone surrogate, outside `textstring`. */
  | 'ERR_REPLY_MISUSE_TEXT_INVALID'
  /** A text line would make the reply line longer than the 512 octets of RFC 5321 §4.5.3.1.5. */
  | 'ERR_REPLY_MISUSE_LINE_TOO_LONG'
  /** Not a fault: a `ReplyException` thrown on purpose to send its reply. */
  | 'ERR_REPLY_THROWN';

/**
 * Options of {@link ReplyError}.
 *
 * @example
 * ```ts
 * new ReplyError('ERR_REPLY_MISUSE_CODE', 'not a reply code: 600', { cause: new RangeError('600') });
 * ```
 */
export interface ReplyErrorOptions {
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * The brand of {@link ReplyError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isReplyError} recognises an error made by any of them, where `instanceof` does not.
 */
const replyErrorBrand = Symbol.for('@smtpkit/reply.ReplyError');

/**
 * The one error class of `@smtpkit/reply`, thrown when a reply value would be invalid on the wire
 * (`misuse` is true), and the base of {@link ReplyException} (`ERR_REPLY_THROWN`, `misuse` false,
 * with the `reply` to send). Its `code` is stable; its message is for humans and may change.
 *
 * It has no `reply` of its own: the only code that has one is `ERR_REPLY_THROWN`, always a
 * `ReplyException`, and the `Reply` type lives in a module that imports this one.
 *
 * @example
 * ```ts
 * import { createReply, ReplyError } from '@smtpkit/reply';
 * try {
 *   createReply(250, '5.1.1', 'mismatch');
 * } catch (e) {
 *   if (isReplyError(e)) console.log(e.code, e.misuse); // 'ERR_REPLY_MISUSE_CLASS_MISMATCH' true
 * }
 * ```
 */
export class ReplyError extends Error {
  static {
    Object.defineProperty(ReplyError.prototype, replyErrorBrand, { value: true });
  }

  /** Stable machine-readable code, e.g. `'ERR_REPLY_MISUSE_CLASS_MISMATCH'`. */
  readonly code: ReplyErrorCode;

  constructor(code: ReplyErrorCode, message: string, options: ReplyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReplyError';
    this.code = code;
  }

  /** True when the caller misused the API, false for a `ReplyException` thrown on purpose. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_REPLY_MISUSE_');
  }
}

/**
 * Whether `value` is a {@link ReplyError} made by any copy of `@smtpkit/reply` (its ESM or CommonJS
 * build, another installed version): a brand check, where `instanceof` knows one class.
 *
 * @example
 * ```ts
 * import { createReply, isReplyError } from '@smtpkit/reply';
 * try { createReply(600 as never, undefined, 'x'); } catch (e) { if (isReplyError(e)) console.log(e.code); }
 * // ERR_REPLY_MISUSE_CODE
 * ```
 */
export function isReplyError(value: unknown): value is ReplyError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[replyErrorBrand] === true
  );
}
