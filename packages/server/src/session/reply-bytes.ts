import type { Reply } from '@smtpkit/reply';
import { formatReply } from '@smtpkit/wire';
import type { SessionEvent } from './session-events.js';

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

/** A `write` event: the bytes of a reply and the reply. */
export type WriteEvent = Extract<SessionEvent, { type: 'write' }>;

const eventsWithEnhanced = new WeakMap<Reply, WriteEvent>();
const eventsWithoutEnhanced = new WeakMap<Reply, WriteEvent>();

/**
 * The `write` event of a reply, made once per reply value and kept, like its bytes: events are
 * read-only values, so every session writing the same catalogue reply shares one (frozen) event
 * instead of allocating one per reply sent.
 *
 * @example
 * ```ts
 * writeEvent(replies.R250_2_0_0_Ok, true) === writeEvent(replies.R250_2_0_0_Ok, true); // true
 * ```
 */
export function writeEvent(reply: Reply, enhanced: boolean): WriteEvent {
  const cache =
    enhanced && reply.enhanced !== undefined ? eventsWithEnhanced : eventsWithoutEnhanced;
  let event = cache.get(reply);
  if (event === undefined) {
    event = Object.freeze({ type: 'write', bytes: replyBytes(reply, enhanced), reply });
    cache.set(reply, event);
  }
  return event;
}
