import { formatEnhancedStatus } from './enhanced-status.js';
import { checkedReply, type Reply } from './reply.js';

/**
 * Options of `formatReplyLines`.
 *
 * @example
 * ```ts
 * formatReplyLines(replies.R250_2_0_0_Ok, { enhanced: false }); // ['250 OK']
 * ```
 */
export interface FormatReplyLinesOptions {
  /**
   * Prefix each line's text with the enhanced status code. True only once ENHANCEDSTATUSCODES
   * was offered in the EHLO response (RFC 2034 §3), and never for the greeting or the HELO/EHLO
   * response (RFC 2034 §4).
   */
  readonly enhanced: boolean;
}

/**
 * The wire lines of a reply, WITHOUT the CRLF (the wire package owns bytes):
 *
 * ```
 * Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *              Reply-code [ SP textstring ] CRLF         ; RFC 5321 §4.2
 * ```
 *
 * A reply not built by `createReply` is checked first (see `checkedReply`), so no CR, LF or NUL
 * can reach the wire through a hand-made object; that throws `ReplyError`.
 *
 * With `enhanced`, RFC 2034 §4 puts `status-code SP` in front of the text of every line. A reply
 * with no text gives one line: the code alone, or the code and the enhanced status.
 *
 * @example
 * ```ts
 * import { createReply, formatReplyLines } from '@smtpkit/reply';
 * formatReplyLines(createReply(250, '2.0.0', 'first', 'last'), { enhanced: true });
 * // ['250-2.0.0 first', '250 2.0.0 last']
 * ```
 */
export function formatReplyLines(input: Reply, options: FormatReplyLinesOptions): string[] {
  const reply = checkedReply(input);
  const code = String(reply.code);
  const prefix =
    options.enhanced && reply.enhanced !== undefined ? formatEnhancedStatus(reply.enhanced) : '';
  const lines = reply.lines.length === 0 ? [''] : reply.lines;
  const out: string[] = [];
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const text = lines[i] ?? '';
    const body = prefix === '' ? text : text === '' ? prefix : `${prefix} ${text}`;
    if (i < last) out.push(`${code}-${body}`);
    else out.push(body === '' ? code : `${code} ${body}`);
  }
  return out;
}
