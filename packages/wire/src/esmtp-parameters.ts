import type { EsmtpParameter } from './command.js';
import { WireError } from './wire-error.js';
import { wireReplies } from './wire-replies.js';

/**
 * Options of {@link parseEsmtpParameters}.
 *
 * @example
 * ```ts
 * isEsmtpValue('utf-8;δ@example.com', { smtputf8: true }); // true
 * ```
 */
export interface EsmtpParameterOptions {
  /** RFC 6531 §3.3: with SMTPUTF8, `esmtp-value =/ UTF8-non-ascii`. */
  readonly smtputf8?: boolean;
}

function isAlphaDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * RFC 5321 §4.1.2: `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`.
 *
 * @example
 * ```ts
 * isEsmtpKeyword('MT-PRIORITY'); // true
 * isEsmtpKeyword('-X');          // false
 * ```
 */
export function isEsmtpKeyword(text: string): boolean {
  if (text.length === 0 || !isAlphaDigit(text.charCodeAt(0))) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isAlphaDigit(c) && c !== 45) return false;
  }
  return true;
}

/**
 * RFC 5321 §4.1.2: `esmtp-value = 1*(%d33-60 / %d62-126)` (any CHAR excluding "=", SP and
 * controls); RFC 6531 §3.3 adds `UTF8-non-ascii` when SMTPUTF8 is in use.
 *
 * @example
 * ```ts
 * isEsmtpValue('rfc822;a+2Bb@example.com'); // true
 * isEsmtpValue('a=b');                      // false
 * ```
 */
export function isEsmtpValue(text: string, options: EsmtpParameterOptions = {}): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 33 && c <= 126 && c !== 61) continue;
    // UTF-16 code units above 0x7f come from UTF8-non-ascii octets; lone surrogates cannot come
    // from a fatal UTF-8 decode, and are refused here for strings built by hand.
    if (options.smtputf8 === true && c >= 0x80 && !isUnprintableNonAscii(text, i)) {
      if (c >= 0xd800 && c <= 0xdbff) i++;
      continue;
    }
    return false;
  }
  return true;
}

function isUnprintableNonAscii(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xdc00 && c <= 0xdfff) return true;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  // C1 controls and DEL-range characters are not printable
  return c < 0xa0;
}

/**
 * RFC 5321 §4.1.2:
 * ```
 * Mail-parameters = esmtp-param *(SP esmtp-param)
 * esmtp-param     = esmtp-keyword ["=" esmtp-value]
 * ```
 * Parameters are split on single spaces; values stay raw (xtext is decoded by the extension that
 * owns the parameter). A keyword given twice (compared case-insensitively) is an error: RFC 5321
 * gives each parameter one meaning per command.
 *
 * @throws {WireError} `ERR_WIRE_PARAMETER_SYNTAX` or `ERR_WIRE_PARAMETER_DUPLICATE`, with a
 *   `501 5.5.4` reply.
 * @example
 * ```ts
 * parseEsmtpParameters('SIZE=1000 BODY=8BITMIME');
 * // [{ keyword: 'SIZE', value: '1000' }, { keyword: 'BODY', value: '8BITMIME' }]
 * ```
 */
export function parseEsmtpParameters(
  text: string,
  options: EsmtpParameterOptions = {},
): EsmtpParameter[] {
  const params: EsmtpParameter[] = [];
  const seen = new Set<string>();
  let start = 0;
  for (;;) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    params.push(esmtpParam(text.slice(start, end), seen, options));
    if (end === text.length) return params;
    start = end + 1;
  }
}

/** RFC 5321 §4.1.2: `esmtp-param = esmtp-keyword ["=" esmtp-value]`. */
function esmtpParam(
  token: string,
  seen: Set<string>,
  options: EsmtpParameterOptions,
): EsmtpParameter {
  const eq = token.indexOf('=');
  const keyword = eq < 0 ? token : token.slice(0, eq);
  const value = eq < 0 ? undefined : token.slice(eq + 1);
  if (!isEsmtpKeyword(keyword)) {
    throw new WireError(
      'ERR_WIRE_PARAMETER_SYNTAX',
      `invalid esmtp-keyword ${JSON.stringify(keyword)}`,
      {
        reply: wireReplies.R501_5_5_4_SyntaxErrorInParameters,
      },
    );
  }
  if (value !== undefined && !isEsmtpValue(value, options)) {
    throw new WireError('ERR_WIRE_PARAMETER_SYNTAX', `invalid esmtp-value for ${keyword}`, {
      reply: wireReplies.R501_5_5_4_SyntaxErrorInParameters,
    });
  }
  const folded = keyword.toUpperCase();
  if (seen.has(folded)) {
    throw new WireError('ERR_WIRE_PARAMETER_DUPLICATE', `parameter ${keyword} given twice`, {
      reply: wireReplies.R501_5_5_4_DuplicateParameter,
    });
  }
  seen.add(folded);
  return { keyword, value };
}
