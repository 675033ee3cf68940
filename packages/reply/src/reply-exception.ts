import { formatReplyLines } from './format-reply-lines.js';
import { checkedReply, type Reply } from './reply.js';
import { ReplyError } from './reply-error.js';

/**
 * Thrown by a server hook to answer with `reply`: the server catches it and sends the reply
 * instead of its default. It is not a programming error (any other throw from a hook becomes
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
