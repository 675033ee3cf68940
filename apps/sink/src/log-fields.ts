// Log fields shared by the data hook (sink.ts) and the -v subscriber (verbose.ts).
import { formatEnhancedStatus, isReply, type Reply } from '@smtpkit/reply';

/**
 * A reply's code, enhanced status and text as log fields.
 *
 * @example
 * ```ts
 * replyFields(replies.R552_5_3_4_MessageTooBig); // { code: 552, enhanced: '5.3.4', text: '…' }
 * ```
 */
export function replyFields(reply: Reply): { code: number; enhanced?: string; text: string } {
  return {
    code: reply.code,
    ...(reply.enhanced === undefined ? {} : { enhanced: formatEnhancedStatus(reply.enhanced) }),
    text: reply.lines.join(' '),
  };
}

/**
 * The reply a refused message carries: the server destroys the body (or rejects `discard()`)
 * with a `ReplyException`. Read by shape, not `instanceof`, so another copy of `@smtpkit/reply`
 * is recognised too.
 *
 * @example
 * ```ts
 * refusalOf(new ReplyException(replies.R552_5_3_4_MessageTooBig))?.code; // 552
 * ```
 */
export function refusalOf(error: unknown): Reply | undefined {
  const reply = (error as { reply?: unknown } | null | undefined)?.reply;
  return isReply(reply) ? reply : undefined;
}
