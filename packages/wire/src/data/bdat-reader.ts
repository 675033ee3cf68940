import { WireError } from '../wire-error.js';

/** The result of one {@link BdatReader.push}. */
export interface BdatReadResult {
  /** The chunk's bytes found in this push: a `subarray` view, maybe empty. */
  readonly chunk: Uint8Array;
  /** True once all `size` octets have been read. */
  readonly done: boolean;
  /** When `done`, the bytes after the chunk (a view, maybe empty): pipelined commands. */
  readonly rest: Uint8Array | undefined;
}

/**
 * Streaming, sans-IO reader of one BDAT chunk: exactly `size` octets, binary-safe, with no
 * dot-unstuffing and no line-ending rules.
 *
 * RFC 3030 §2: "The BDAT verb takes two arguments. The first argument indicates the length, in
 * octets, of the binary data chunk." and "The message data is sent immediately after the trailing
 * <CR> <LF> of the BDAT command line. Once the receiver-SMTP receives the specified number of
 * octets, it will return a 250 reply code." A server that refuses a BDAT command must still read
 * its chunk (RFC 3030 §4: the chunk follows the command whatever the reply), so the same reader
 * consumes a rejected chunk: read it and drop the pieces.
 *
 * @example
 * ```ts
 * import { BdatReader } from '@smtpkit/wire';
 * const reader = new BdatReader(3);
 * reader.push(new TextEncoder().encode('ab')); // { chunk: "ab", done: false }
 * reader.push(new TextEncoder().encode('cQUIT\r\n')); // { chunk: "c", done: true, rest: "QUIT\r\n" }
 * ```
 */
export class BdatReader {
  readonly #size: number;
  #remaining: number;

  /** `size`: the chunk-size of the BDAT command, a non-negative safe integer. */
  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new WireError(
        'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
        `BDAT chunk size must be a non-negative safe integer, got ${String(size)}`,
      );
    }
    this.#size = size;
    this.#remaining = size;
  }

  /** The chunk size given to the constructor. */
  get size(): number {
    return this.#size;
  }

  /** Octets still to read. */
  get remaining(): number {
    return this.#remaining;
  }

  /** True once all octets have been read (at once for `BDAT 0`). */
  get done(): boolean {
    return this.#remaining === 0;
  }

  /**
   * Reads the next bytes. After `done`, every byte pushed is handed back as `rest` (a zero-size
   * chunk reads nothing).
   */
  push(bytes: Uint8Array): BdatReadResult {
    const take = Math.min(this.#remaining, bytes.length);
    this.#remaining -= take;
    if (this.#remaining > 0) return { chunk: bytes, done: false, rest: undefined };
    return {
      chunk: take === bytes.length ? bytes : bytes.subarray(0, take),
      done: true,
      rest: bytes.subarray(take),
    };
  }
}

/**
 * The bytes a client sends for one BDAT chunk: the command line `BDAT <size>[ LAST]` CRLF, then the
 * chunk itself (not copied).
 *
 * RFC 3030 §4: `bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CR LF`,
 * `chunk-size = 1*DIGIT`, `end-marker = "LAST"`.
 *
 * @example
 * ```ts
 * import { encodeBdatChunk } from '@smtpkit/wire';
 * encodeBdatChunk(new TextEncoder().encode('Hi\r\n'), true); // ["BDAT 4 LAST\r\n", <Hi\r\n>]
 * ```
 */
export function encodeBdatChunk(chunk: Uint8Array, last: boolean): [Uint8Array, Uint8Array] {
  const line = `BDAT ${chunk.length}${last ? ' LAST' : ''}\r\n`;
  const header = new Uint8Array(line.length);
  for (let i = 0; i < line.length; i++) header[i] = line.charCodeAt(i);
  return [header, chunk];
}
