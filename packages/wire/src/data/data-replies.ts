import { type Reply, replies } from '@smtpkit/reply';

/**
 * The replies a server sends when the message data or an xtext value breaks the protocol, taken
 * from the `@smtpkit/reply` catalogue. Data replies are sent after the end of the data
 * (`CRLF.CRLF`), never in the middle of it: RFC 5321 §4.3.2 lists 554 among the answers to the end
 * of the mail data, and RFC 3463 X.6.0 ("other or undefined media error") puts the fault in the
 * content itself.
 *
 * @example
 * ```ts
 * import { dataReplies } from '@smtpkit/wire';
 * dataReplies.bareLf.code; // 554 (enhanced 5.6.0)
 * ```
 */
export const dataReplies: {
  /** RFC 5321 §2.3.8: a bare LF (LF without CR before it) in the message data. */
  readonly bareLf: Reply;
  /** RFC 5321 §2.3.8: a bare CR (CR without LF after it) in the message data. */
  readonly bareCr: Reply;
  /** RFC 5321 §4.5.3.1.6: a text line longer than 1000 octets including its CRLF. */
  readonly lineTooLong: Reply;
  /** RFC 3461 §4 / RFC 6533 §3: an xtext or utf-8-addr value that does not follow its grammar. */
  readonly badParameterValue: Reply;
} = Object.freeze({
  bareLf: replies.R554_5_6_0_BareLineFeed,
  bareCr: replies.R554_5_6_0_BareCarriageReturn,
  lineTooLong: replies.R554_5_6_0_MessageLineTooLong,
  badParameterValue: replies.R501_5_5_4_SyntaxErrorInParameters,
});
