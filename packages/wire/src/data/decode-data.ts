import { type DataDecoderOptions, DataDecoder, type DataViolation } from './data-decoder.js';

/** The result of {@link decodeData}: the whole message, or `complete: false` (need more data). */
export type DecodeDataResult =
  | { readonly complete: false }
  | {
      readonly complete: true;
      /** The unstuffed message (a view of the input when nothing had to be removed). */
      readonly body: Uint8Array;
      /** The bytes after the terminator (a view, maybe empty). */
      readonly rest: Uint8Array;
      readonly violations: readonly DataViolation[];
    };

/**
 * Decodes message data held whole in memory with a {@link DataDecoder}. Returns
 * `{ complete: false }` when the terminator `CRLF.CRLF` is not there yet; it never throws for what
 * the peer sent.
 *
 * @example
 * ```ts
 * import { decodeData } from '@smtpkit/wire';
 * const r = decodeData(new TextEncoder().encode('..x\r\n.\r\nQUIT\r\n'));
 * // r.complete === true; r.body → ".x\r\n"; r.rest → "QUIT\r\n"; r.violations → []
 * ```
 */
export function decodeData(wire: Uint8Array, options?: DataDecoderOptions): DecodeDataResult {
  const decoder = new DataDecoder(options);
  const { chunks, done, rest } = decoder.push(wire);
  if (!done || rest === undefined) return { complete: false };
  return { complete: true, body: join(chunks), rest, violations: decoder.violations };
}

function join(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
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
