import { type Reply, replies, withText } from '@smtpkit/reply';

/**
 * Catalogue replies reworded for LMTP, where the greeting command is LHLO (RFC 2033 §4.1). Same
 * codes and enhanced codes as the originals.
 *
 * @example
 * ```ts
 * sessionReplies.R503_5_5_1_LhloFirst.lines; // ['Send LHLO first']
 * ```
 */
export const sessionReplies = {
  /** 503 5.5.1 a transaction command before LHLO on an LMTP server. */
  R503_5_5_1_LhloFirst: withText(replies.R503_5_5_1_HelloFirst, 'Send LHLO first'),
} as const satisfies Record<string, Reply>;

/**
 * What the stream of a data hook is destroyed with when the client drops its message between
 * BDAT chunks (RSET, a new greeting, QUIT, a closing error). Never sent to the client.
 *
 * @example
 * ```ts
 * core.abortBody(MESSAGE_ABANDONED); // body-abort: the hook's stream fails with this reply
 * ```
 */
export const MESSAGE_ABANDONED: Reply = withText(
  replies.R554_5_0_0_TransactionFailed,
  'Message abandoned by the client',
);
