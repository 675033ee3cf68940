import { formatReplyLines } from './format-reply-lines.js';
import { checkedReply, type Reply } from './reply.js';
import { ReplyError } from './reply-error.js';

/**
 * The brand of {@link ReplyException} on its prototype, the same symbol in every copy of this
 * package (see {@link isReplyException}).
 */
const replyExceptionBrand = Symbol.for('@smtpkit/reply.ReplyException');

/**
 * Thrown by a server hook to answer with `reply`: the server catches it and sends the reply
 * instead of its default. A server recognises it with {@link isReplyException}, so one thrown from
 * another copy of `@smtpkit/reply` (the other module format, a nested install) still sends its
 * reply. It is not a programming error (any other throw from a hook becomes
 * `451 4.3.0`), so its `code` is `'ERR_REPLY_THROWN'` and `misuse` is false.
 *
 * @example
 * ```ts
 * import { ReplyException, replies } from '@smtpkit/reply';
 * async function onRcptTo(address: string) {
 *   if (address !== 'postmaster@example.org') throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
 * }
 * ```
 */
export class ReplyException extends ReplyError {
  static {
    Object.defineProperty(ReplyException.prototype, replyExceptionBrand, { value: true });
  }

  /** The reply to send. */
  readonly reply: Reply;

  /**
   * @param reply - the reply to send; a hand-made object is checked like `createReply` does, and
   *   an invalid one makes the constructor throw a plain `ReplyError` (which a server then treats
   *   as any other failure, not as a reply to send).
   */
  constructor(reply: Reply, options?: { readonly cause?: unknown }) {
    const valid = checkedReply(reply);
    super('ERR_REPLY_THROWN', formatReplyLines(valid, { enhanced: true }).join(' / '), options);
    this.name = 'ReplyException';
    this.reply = valid;
  }
}

/**
 * Whether `value` is a {@link ReplyException} made by any copy of `@smtpkit/reply`: a brand check
 * that survives two copies of the package (an application that `require()`s it while the server was
 * `import`ed, or npm nesting a second version), where `instanceof` recognises one class only. It
 * says nothing of the `reply` it carries: a receiver that did not build it checks it with `isReply`
 * before sending it.
 *
 * @example
 * ```ts
 * import { isReplyException, ReplyException, replies } from '@smtpkit/reply';
 * isReplyException(new ReplyException(replies.R550_5_1_1_NoSuchUser)); // true
 * isReplyException(new Error('db down')); // false
 * ```
 */
export function isReplyException(value: unknown): value is ReplyException {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[replyExceptionBrand] === true
  );
}
