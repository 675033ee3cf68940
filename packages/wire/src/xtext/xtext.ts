import { dataReplies } from '../data/data-replies.js';
import { WireError } from '../wire-error.js';

const PLUS = 0x2b;
const EQUALS = 0x3d;
const HEX = '0123456789ABCDEF';
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** The typed error for a value that breaks the xtext (or utf-8-addr) grammar. */
export function xtextError(message: string, position: number): WireError {
  return new WireError('ERR_WIRE_PARAMETER_SYNTAX', `${message} at character ${position}`, {
    reply: dataReplies.badParameterValue,
  });
}

// RFC 3461 §4: xchar = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+"
// and "=".
function isXchar(code: number): boolean {
  return code >= 33 && code <= 126 && code !== PLUS && code !== EQUALS;
}

// RFC 3461 §4: hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits.
function upperHexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/**
 * Encodes a value as xtext (RFC 3461 §4): every octet outside xchar ("+", "=", space, controls and
 * non-ASCII, as UTF-8 octets) becomes "+" and two upper-case hex digits.
 *
 * RFC 3461 §4: "When encoding an octet as a hexchar, the "+" MUST be followed by two upper case
 * hexadecimal digits."
 *
 * @example
 * ```ts
 * import { encodeXtext } from '@smtpkit/wire';
 * encodeXtext('e=mc2@example.com'); // "e+3Dmc2@example.com"
 * ```
 */
export function encodeXtext(value: string | Uint8Array): string {
  const octets = typeof value === 'string' ? utf8Encoder.encode(value) : value;
  let out = '';
  let from = 0;
  for (let i = 0; i < octets.length; i++) {
    const b = octets[i] as number;
    if (isXchar(b)) continue;
    if (i > from) out += latin1(octets, from, i);
    out += `+${HEX[b >> 4]}${HEX[b & 15]}`;
    from = i + 1;
  }
  return out + latin1(octets, from, octets.length);
}

/**
 * Decodes xtext to its octets. Throws a `WireError` (`ERR_WIRE_PARAMETER_SYNTAX`, reply
 * `501 5.5.4`) for a character outside xchar, or a "+" not followed by two upper-case hex digits.
 *
 * RFC 3461 §4: `xtext = *( xchar / hexchar )`. The empty string is valid xtext; an esmtp-value is
 * never empty, which the command parser checks.
 *
 * @example
 * ```ts
 * import { decodeXtextBytes } from '@smtpkit/wire';
 * decodeXtextBytes('a+2Bb'); // Uint8Array [0x61, 0x2b, 0x62]
 * ```
 */
export function decodeXtextBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === PLUS) {
      const hi = upperHexValue(text.charCodeAt(i + 1));
      const lo = upperHexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) {
        throw xtextError('"+" must be followed by two upper-case hex digits (RFC 3461 §4)', i);
      }
      out[length++] = (hi << 4) | lo;
      i += 2;
    } else if (isXchar(code)) {
      out[length++] = code;
    } else {
      throw xtextError('character not allowed in xtext (RFC 3461 §4)', i);
    }
  }
  return out.subarray(0, length);
}

/**
 * Decodes xtext to a string, reading the octets as UTF-8. Throws a `WireError`
 * (`ERR_WIRE_PARAMETER_SYNTAX`, reply `501 5.5.4`) for bad xtext or octets that are not UTF-8.
 *
 * @example
 * ```ts
 * import { decodeXtext } from '@smtpkit/wire';
 * decodeXtext('e+3Dmc2@example.com'); // "e=mc2@example.com"
 * decodeXtext('he+YYa'); // throws WireError ERR_WIRE_PARAMETER_SYNTAX
 * ```
 */
export function decodeXtext(text: string): string {
  const octets = decodeXtextBytes(text);
  try {
    return utf8Decoder.decode(octets);
  } catch {
    throw xtextError('xtext octets are not UTF-8', 0);
  }
}

/**
 * True when `text` is valid xtext (RFC 3461 §4).
 *
 * @example
 * ```ts
 * import { isXtext } from '@smtpkit/wire';
 * isXtext('QQ314159'); // true
 * isXtext('a=b'); // false
 * ```
 */
export function isXtext(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === PLUS) {
      if (upperHexValue(text.charCodeAt(i + 1)) < 0 || upperHexValue(text.charCodeAt(i + 2)) < 0) {
        return false;
      }
      i += 2;
    } else if (!isXchar(code)) {
      return false;
    }
  }
  return true;
}

function latin1(octets: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(octets[i] as number);
  return s;
}
