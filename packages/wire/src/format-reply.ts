import { formatEnhancedStatus, type Reply } from '@smtpkit/reply';
import { hasLineBreakOrNul } from './text-checks.js';
import { WireError } from './wire-error.js';

/**
 * Options of {@link formatReply}.
 *
 * @example
 * ```ts
 * formatReplyText(reply, { enhanced: false }); // '250 OK\r\n' without the 2.0.0
 * ```
 */
export interface FormatReplyOptions {
  /**
   * Write the enhanced status code at the start of every line (RFC 2034 §4) when the reply has
   * one; true by default. Turn it off when ENHANCEDSTATUSCODES was not advertised.
   */
  readonly enhanced?: boolean;
}

const encoder = new TextEncoder();

/**
 * Formats a reply as text. RFC 5321 §4.2.1: every line but the last is `code "-" text`, the last
 * `code SP text`; a reply with no lines is written as one line with no text (`334 ` keeps its SP,
 * RFC 4954 §8).
 *
 * @throws {WireError} `ERR_WIRE_MISUSE_INJECTION` when a line holds CR, LF or NUL (a reply-line
 *   injection), `ERR_WIRE_MISUSE_INVALID_ARGUMENT` for a code outside 200..599.
 * @example
 * ```ts
 * formatReplyText({ code: 250, enhanced: { class: 2, subject: 0, detail: 0 }, lines: ['OK'] });
 * // '250 2.0.0 OK\r\n'
 * ```
 */
export function formatReplyText(reply: Reply, options: FormatReplyOptions = {}): string {
  const { code } = reply;
  if (!Number.isInteger(code) || code < 200 || code > 599) {
    throw new WireError('ERR_WIRE_MISUSE_INVALID_ARGUMENT', `reply code ${code} is not 200..599`);
  }
  const prefix =
    options.enhanced !== false && reply.enhanced !== undefined
      ? formatEnhancedStatus(reply.enhanced)
      : undefined;
  const lines = reply.lines.length === 0 ? [''] : reply.lines;
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    if (hasLineBreakOrNul(text)) {
      throw new WireError('ERR_WIRE_MISUSE_INJECTION', 'CR, LF or NUL in a reply line');
    }
    const body = prefix === undefined ? text : text.length === 0 ? prefix : `${prefix} ${text}`;
    const separator = i === lines.length - 1 ? ' ' : '-';
    // RFC 5321 §4.2: Reply-code [ SP textstring ] CRLF — no SP without text; but RFC 4954 §8:
    // continue-req = "334" SP [base64] CRLF — an empty AUTH challenge keeps its SP.
    out +=
      body.length === 0 && separator === ' ' && code !== 334
        ? `${code}\r\n`
        : `${code}${separator}${body}\r\n`;
  }
  return out;
}

/**
 * Formats a reply as the bytes to send (UTF-8). See {@link formatReplyText}.
 *
 * @example
 * ```ts
 * import { replies } from '@smtpkit/reply';
 * socket.write(formatReply(replies.R250_2_0_0_Ok));
 * ```
 */
export function formatReply(reply: Reply, options: FormatReplyOptions = {}): Uint8Array {
  return encoder.encode(formatReplyText(reply, options));
}
