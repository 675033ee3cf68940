import { formatReplyLines } from './format-reply-lines.js';
import type { Reply } from './reply.js';
import { ReplyError } from './reply-error.js';

/**
 * Thrown by a server hook to answer with `reply`: the server catches it and sends the reply
 * instead of its default. It is not a programming error (any other throw from a hook becomes
 * `451 4.3.0`), so its `code` is `'ERR_REPLY_THROWN'`.
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

  constructor(reply: Reply, options?: { readonly cause?: unknown }) {
    super('ERR_REPLY_THROWN', formatReplyLines(reply, { enhanced: true }).join(' / '));
    this.name = 'ReplyException';
    this.reply = reply;
    if (options !== undefined && 'cause' in options) {
      Object.defineProperty(this, 'cause', {
        value: options.cause,
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }
}
