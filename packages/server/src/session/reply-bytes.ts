import type { Reply } from '@smtpkit/reply';
import { formatReply } from '@smtpkit/wire';

const withEnhanced = new WeakMap<Reply, Uint8Array>();
const withoutEnhanced = new WeakMap<Reply, Uint8Array>();

/**
 * The wire bytes of a reply, formatted once per reply value and kept (catalogue replies are
 * frozen singletons, so a busy server formats each of them once). RFC 2034 §4: the enhanced code
 * prefixes every line only while ENHANCEDSTATUSCODES is in effect.
 *
 * @example
 * ```ts
 * replyBytes(replies.R250_2_0_0_Ok, true); // "250 2.0.0 Ok\r\n" as bytes
 * ```
 */
export function replyBytes(reply: Reply, enhanced: boolean): Uint8Array {
  const cache = enhanced && reply.enhanced !== undefined ? withEnhanced : withoutEnhanced;
  let bytes = cache.get(reply);
  if (bytes === undefined) {
    bytes = formatReply(reply, { enhanced });
    cache.set(reply, bytes);
  }
  return bytes;
}
