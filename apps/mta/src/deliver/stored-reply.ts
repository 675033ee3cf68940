import type { StoredReply } from '@smtpkit/queue';
import { formatEnhancedStatus, type Reply } from '@smtpkit/reply';

/**
 * A reply as the queue keeps it (a DSN's Diagnostic-Code later).
 *
 * @example
 * ```ts
 * storedReply(replies.R550_5_1_1_NoSuchUser, 'mx.example.com'); // { code: 550, enhanced: '5.1.1', text: '…', remoteMta: 'mx.example.com' }
 * ```
 */
export function storedReply(reply: Reply, remoteMta?: string): StoredReply {
  return {
    code: reply.code,
    ...(reply.enhanced === undefined ? {} : { enhanced: formatEnhancedStatus(reply.enhanced) }),
    text: reply.lines.join(' '),
    ...(remoteMta === undefined ? {} : { remoteMta }),
  };
}

/** A local result: our own code, no remote MTA. */
export function localReply(code: number, enhanced: string, text: string): StoredReply {
  return { code, enhanced, text };
}
