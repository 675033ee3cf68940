import { hasNonAscii, MAX_LINE_OCTETS } from './header-field.js';
import { binaryString } from './mime-entity.js';

/**
 * Postfix's `bounce_size_limit` default: a failed message larger than this is returned as its
 * header section only.
 */
export const DEFAULT_RETURN_FULL_LIMIT = 50_000;

const LF = 0x0a;
const CR = 0x0d;

/**
 * The header section of a message: everything up to and including the line break that precedes
 * the first empty line (RFC 5322 §2.1). The whole message when it has no body.
 */
export function headerSection(message: Uint8Array): Uint8Array {
  for (let i = message.indexOf(LF); i >= 0; i = message.indexOf(LF, i + 1)) {
    const next = message[i + 1];
    if (next === LF) return message.subarray(0, i + 1);
    if (next === CR && message[i + 2] === LF) return message.subarray(0, i + 1);
  }
  return message;
}

/**
 * The bytes with every line ending as CRLF (a bare CR or LF becomes CRLF) and a final CRLF: what
 * a MIME body part holds (RFC 5322 §2.3: CR and LF only together). The same array when nothing
 * needs changing.
 */
export function withCrlf(bytes: Uint8Array): Uint8Array {
  // Counted with native indexOf scans, one step per line rather than per octet.
  let bare = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    if (i === 0 || bytes[i - 1] !== CR) bare++;
  }
  for (let i = bytes.indexOf(CR); i >= 0; i = bytes.indexOf(CR, i + 1)) {
    if (bytes[i + 1] !== LF) bare++;
  }
  const endsWell =
    bytes.length === 0 || bytes[bytes.length - 1] === LF || bytes[bytes.length - 1] === CR;
  if (bare === 0 && endsWell) return bytes;
  const out = new Uint8Array(bytes.length + bare + 2);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === CR || b === LF) {
      out[n++] = CR;
      out[n++] = LF;
      if (b === CR && bytes[i + 1] === LF) i++;
    } else out[n++] = b;
  }
  if (!endsWell) {
    out[n++] = CR;
    out[n++] = LF;
  }
  return out.subarray(0, n);
}

/** The longest line of CRLF-ended bytes, in octets (line break excluded). */
export function longestLine(bytes: Uint8Array): number {
  let longest = 0;
  let start = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, start)) {
    longest = Math.max(longest, i - start - (i > start && bytes[i - 1] === CR ? 1 : 0));
    start = i + 1;
  }
  return Math.max(longest, bytes.length - start);
}

/** Whether bytes hold an octet above 127 (then the part is 8bit, RFC 2045 §2.8). */
export function hasEightBit(bytes: Uint8Array): boolean {
  return hasNonAscii(binaryString(bytes));
}

/** What the third part of a report returns, or why nothing is. */
export interface ReturnedPart {
  readonly kind: 'message' | 'headers';
  readonly bytes: Uint8Array;
}

/**
 * Chooses the returned content (RFC 3461 §4.3, RFC 3464 §2): the whole message for RET=FULL or
 * no RET, but only its header section when RET=HDRS, when no recipient failed ("If a DSN contains
 * no indications of delivery failure, only the headers of the message SHOULD be returned"), when
 * the message is larger than `fullLimit`, or when a line of it is longer than 998 octets (a
 * message/rfc822 part is held to RFC 5322 §2.1.1 too). Undefined when even the header section
 * has such a line.
 */
export function chooseReturned(
  original: Uint8Array,
  options: { readonly full: boolean; readonly fullLimit: number },
): ReturnedPart | undefined {
  if (options.full && original.length <= options.fullLimit) {
    const bytes = withCrlf(original);
    if (longestLine(bytes) <= MAX_LINE_OCTETS) return { kind: 'message', bytes };
  }
  const headers = withCrlf(headerSection(original));
  if (headers.length === 0 || longestLine(headers) > MAX_LINE_OCTETS) return undefined;
  return { kind: 'headers', bytes: headers };
}
