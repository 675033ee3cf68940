import {
  C501ParamSyntaxError,
  C554TransactionFailed,
  createReply,
  type Reply,
} from '@smtpkit/reply';

/**
 * Replies a server sends when the message data or an xtext value breaks the protocol. They are
 * sent after the end of the data (`CRLF.CRLF`), never in the middle of it: RFC 5321 §4.3.2 lists
 * 554 among the answers to the end of the mail data, and RFC 3463 X.6.0 ("other or undefined media
 * error") says the content itself is at fault.
 *
 * @example
 * ```ts
 * import { dataReplies } from '@smtpkit/wire';
 * dataReplies.R554_5_6_0_BareLf.code; // 554
 * ```
 */
export const dataReplies: {
  /** RFC 5321 §2.3.8: a bare LF (LF without CR before it) in the message data. */
  readonly R554_5_6_0_BareLf: Reply;
  /** RFC 5321 §2.3.8: a bare CR (CR without LF after it) in the message data. */
  readonly R554_5_6_0_BareCr: Reply;
  /** RFC 5321 §4.5.3.1.6: a text line longer than 1000 octets including its CRLF. */
  readonly R554_5_6_0_LineTooLong: Reply;
  /** RFC 3461 §4 / RFC 6533 §3: an xtext or utf-8-addr value that does not follow its grammar. */
  readonly R501_5_5_4_BadXtext: Reply;
} = Object.freeze({
  R554_5_6_0_BareLf: createReply(
    C554TransactionFailed,
    '5.6.0',
    'Bare LF in message data is not allowed (RFC 5321 section 2.3.8)',
  ),
  R554_5_6_0_BareCr: createReply(
    C554TransactionFailed,
    '5.6.0',
    'Bare CR in message data is not allowed (RFC 5321 section 2.3.8)',
  ),
  R554_5_6_0_LineTooLong: createReply(
    C554TransactionFailed,
    '5.6.0',
    'Message text line too long (RFC 5321 section 4.5.3.1.6)',
  ),
  R501_5_5_4_BadXtext: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Invalid xtext in parameter value (RFC 3461 section 4)',
  ),
});
