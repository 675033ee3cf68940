/**
 * Stable error codes of `@smtpkit/reply`. Every one of them means the caller misused the API
 * (built a reply that must never reach the wire); none describes a peer's behaviour, because this
 * package never reads from a peer.
 *
 * @example
 * ```ts
 * const code: ReplyErrorCode = 'ERR_REPLY_LINE_INJECTION';
 * ```
 */
export type ReplyErrorCode =
  /** The basic code is not three digits matching RFC 5321 `Reply-code = %x32-35 %x30-35 %x30-39`. */
  | 'ERR_REPLY_CODE'
  /** The enhanced status is not RFC 3463 `class "." subject "." detail` (or out of range). */
  | 'ERR_REPLY_ENHANCED_SYNTAX'
  /** The enhanced class disagrees with the basic code's first digit, or a 3yz reply has one. */
  | 'ERR_REPLY_CLASS_MISMATCH'
  /** A text line holds CR, LF or NUL: it could end the reply early and forge another one. */
  | 'ERR_REPLY_LINE_INJECTION'
  /** A text line holds another control character or a lone surrogate, outside `textstring`. */
  | 'ERR_REPLY_TEXT_INVALID'
  /** A text line would make the reply line longer than the 512 octets of RFC 5321 §4.5.3.1.5. */
  | 'ERR_REPLY_LINE_TOO_LONG'
  /** Not a fault: a `ReplyException` thrown on purpose to send its reply. */
  | 'ERR_REPLY_THROWN';

/**
 * The one error class of `@smtpkit/reply`, thrown when a reply value would be invalid on the wire.
 * Its `code` is stable; its message is for humans and may change.
 *
 * @example
 * ```ts
 * import { createReply, ReplyError } from '@smtpkit/reply';
 * try {
 *   createReply(250, '5.1.1', 'mismatch');
 * } catch (e) {
 *   if (e instanceof ReplyError) console.log(e.code); // 'ERR_REPLY_CLASS_MISMATCH'
 * }
 * ```
 */
export class ReplyError extends Error {
  /** Stable machine-readable code, e.g. `'ERR_REPLY_CLASS_MISMATCH'`. */
  readonly code: ReplyErrorCode;

  constructor(code: ReplyErrorCode, message: string) {
    super(message);
    this.name = 'ReplyError';
    this.code = code;
  }
}
