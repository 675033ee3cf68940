import { WireError } from '../wire-error.js';

const CR = 13;
const LF = 10;
const DOT = 46;
const CR_BYTES = Uint8Array.of(CR);
const LF_BYTES = Uint8Array.of(LF);
const DOT_BYTES = Uint8Array.of(DOT);
const CRLF_BYTES = Uint8Array.of(CR, LF);
/** The end of the data after the last line's CRLF (RFC 5321 §4.1.1.4). */
const END_BYTES = Uint8Array.of(DOT, CR, LF);

/**
 * Streaming, sans-IO encoder of SMTP message data: turns a message into the bytes sent after the
 * `354` reply.
 *
 * - RFC 5321 §4.5.2: "Before sending a line of mail text, the SMTP client checks the first
 *   character of the line. If it is a period, one additional period is inserted at the beginning
 *   of the line."
 * - RFC 5321 §2.3.8: "SMTP client implementations MUST NOT transmit these characters [bare CR and
 *   LF] except when they are intended as line terminators and then MUST ... transmit them only as
 *   a <CRLF> sequence." Every bare LF and bare CR is sent as CRLF, so nothing this encoder writes
 *   can be read as a smuggled end of data.
 * - RFC 5321 §4.1.1.4: the data ends with "<CRLF>.<CRLF>"; a CRLF is added when the message does
 *   not end with one.
 *
 * `push` returns the pieces to write, `subarray` views of the input where nothing changes. Any
 * split of the message into chunks gives the same bytes.
 *
 * @example
 * ```ts
 * import { DataEncoder } from '@smtpkit/wire';
 * const encoder = new DataEncoder();
 * const pieces = [...encoder.push(new TextEncoder().encode('.hidden\nline')), ...encoder.end()];
 * // pieces concatenated: "..hidden\r\nline\r\n.\r\n"
 * ```
 */
export class DataEncoder {
  /** The next byte starts a line (true at the start: the `DATA` line's CRLF came before). */
  #lineStart = true;
  /** The last byte pushed was CR (already written). */
  #afterCr = false;
  #ended = false;

  /** Encodes the next bytes of the message. */
  push(bytes: Uint8Array): Uint8Array[] {
    if (this.#ended) {
      throw new WireError(
        'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
        'DataEncoder.push called after end()',
      );
    }
    const out: Uint8Array[] = [];
    const n = bytes.length;
    if (n === 0) return out;
    let i = 0;
    let from = 0;
    let nextCr = -2;
    let nextLf = -2;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (bytes[0] === LF) {
        i = 1;
      } else {
        out.push(LF_BYTES);
      }
      this.#lineStart = true;
    }
    while (i < n) {
      if (this.#lineStart) {
        this.#lineStart = false;
        if (bytes[i] === DOT) {
          if (i > from) out.push(bytes.subarray(from, i));
          out.push(DOT_BYTES);
          from = i;
        }
      }
      if (nextCr !== -1 && nextCr < i) nextCr = bytes.indexOf(CR, i);
      if (nextLf !== -1 && nextLf < i) nextLf = bytes.indexOf(LF, i);
      if (nextCr === -1 && nextLf === -1) break;
      if (nextLf === -1 || (nextCr !== -1 && nextCr < nextLf)) {
        i = nextCr + 1;
        if (i === n) {
          this.#afterCr = true;
          break;
        }
        if (bytes[i] === LF) {
          i++;
        } else {
          // A bare CR: send CRLF.
          out.push(bytes.subarray(from, i), LF_BYTES);
          from = i;
        }
      } else {
        // A bare LF: send CRLF.
        if (nextLf > from) out.push(bytes.subarray(from, nextLf));
        out.push(CR_BYTES);
        from = nextLf;
        i = nextLf + 1;
      }
      this.#lineStart = true;
    }
    if (n > from) out.push(from === 0 ? bytes : bytes.subarray(from));
    return out;
  }

  /** Ends the message: completes the last line with CRLF when needed and appends `.` CRLF. */
  end(): Uint8Array[] {
    if (this.#ended) {
      throw new WireError('ERR_WIRE_MISUSE_INVALID_ARGUMENT', 'DataEncoder.end called twice');
    }
    this.#ended = true;
    if (this.#afterCr) return [LF_BYTES, END_BYTES];
    if (this.#lineStart) return [END_BYTES];
    return [CRLF_BYTES, END_BYTES];
  }
}

/**
 * Encodes a whole message for the wire in one call: dot-stuffing, bare CR and LF sent as CRLF, a
 * final CRLF when missing, then the `.` CRLF terminator. Returns one new array.
 *
 * @example
 * ```ts
 * import { encodeData } from '@smtpkit/wire';
 * encodeData(new TextEncoder().encode('.\r\n')); // bytes of "..\r\n.\r\n"
 * encodeData(new Uint8Array(0)); // bytes of ".\r\n"
 * ```
 */
export function encodeData(body: Uint8Array): Uint8Array {
  const encoder = new DataEncoder();
  const pieces = encoder.push(body);
  pieces.push(...encoder.end());
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
