import { WireError } from '../wire-error.js';
import { type DataViolation, type DataViolationKind, violationError } from './violation-error.js';
import {
  EVENT_BARE_LF,
  EVENT_DOT,
  FLAG_BARE_CR,
  FLAG_BARE_LF,
  NO_LINE_LIMIT,
  type WasmScanner,
  wasmScanner,
} from './wasm-scanner.js';

export { type DataViolation, type DataViolationKind, violationError } from './violation-error.js';

/**
 * What the decoder does with a bare LF (an LF without a CR before it) or a bare CR (a CR without an
 * LF after it) inside the message data.
 *
 * - `reject` (default): pass the bytes through unchanged, keep reading until the real `CRLF.CRLF`,
 *   and report a {@link DataViolation}, so that the server answers 5xx after the terminator.
 * - `normalize`: deliver every bare LF and bare CR as CRLF.
 *
 * Either way, a bare line ending never ends the data and never starts a line for dot-unstuffing:
 * RFC 5321 §2.3.8 "Conforming implementations MUST NOT recognize or generate any other character
 * or character sequence as a line terminator." That is what keeps `\n.\n`, `\n.\r\n`, `\r.\r\n`,
 * `\r\n.\n` and friends from splitting one message into two (SMTP smuggling, CVE-2023-51764,
 * CVE-2023-51765, CVE-2023-51766, CVE-2024-27305).
 */
export type BareLineEndingPolicy = 'reject' | 'normalize';

/**
 * What the decoder does with a text line longer than `maxLineLength`: `reject` (default) reports a
 * {@link DataViolation}; `ignore` lets it through.
 */
export type LongLinePolicy = 'reject' | 'ignore';

/** Options of {@link DataDecoder}. */
export interface DataDecoderOptions {
  /** Bare LF / bare CR policy; `reject` unless said otherwise. */
  readonly bareLineEndings?: BareLineEndingPolicy;
  /**
   * Longest text line, counting its CRLF and not the dot added for transparency. RFC 5321
   * §4.5.3.1.6: "The maximum total length of a text line including the <CRLF> is 1000 octets (not
   * counting the leading dot duplicated for transparency)." Default 1000.
   */
  readonly maxLineLength?: number;
  /** Long line policy; `reject` unless said otherwise. */
  readonly longLines?: LongLinePolicy;
}

/**
 * The result of one {@link DataDecoder.push}.
 *
 * - `chunks`: unstuffed body pieces, in order. A piece is a `subarray` view of the pushed bytes
 *   wherever nothing had to be removed or inserted; concatenated they are the message.
 * - `done`: the end of the data (`CRLF.CRLF`) has been read.
 * - `rest`: when `done`, the bytes after the terminator (a view, maybe empty): pipelined commands
 *   that the command reader must get back (RFC 2920).
 * - `violations`: the violations first seen during this push.
 */
export interface DataDecodeResult {
  readonly chunks: readonly Uint8Array[];
  readonly done: boolean;
  readonly rest: Uint8Array | undefined;
  readonly violations: readonly DataViolation[];
}

const CR = 13;
const LF = 10;
const DOT = 46;
const CR_BYTES = Uint8Array.of(CR);
const LF_BYTES = Uint8Array.of(LF);
const CRLF_BYTES = Uint8Array.of(CR, LF);
const NO_VIOLATIONS: readonly DataViolation[] = Object.freeze([]);
/** Pushes and remainders shorter than these are scanned with `indexOf` in JavaScript. */
const WASM_MIN_PUSH = 256;
const WASM_MIN_REST = 64;

// Scanner states; the decoder keeps nothing else between chunks.
/** Inside a line; the previous byte was not CR. */
const MID = 0;
/** Inside a line; the previous byte was CR (already delivered). */
const AFTER_CR = 1;
/** At the start of a line: after CRLF, or at the very start (the CRLF that ended `DATA`). */
const LINE_START = 2;
/** A line started with "."; the dot is held back. */
const AFTER_DOT = 3;
/** A line started with "." CR; both are held back. */
const AFTER_DOT_CR = 4;
/** The terminator has been read. */
const DONE = 5;

/**
 * Streaming, sans-IO reader of SMTP message data (the bytes after the `354` reply): removes the
 * transparency dots and finds the end of the data.
 *
 * RFC 5321 §4.1.1.4: "The mail data are terminated by a line containing only a period, that is,
 * the character sequence "<CRLF>.<CRLF>", where the first <CRLF> is actually the terminator of the
 * previous line". The decoder therefore starts at the beginning of a line (the CRLF of the `DATA`
 * command line is that first CRLF), so `.\r\n` straight away is an empty message, and the CRLF
 * before the final dot belongs to the message.
 *
 * RFC 5321 §4.5.2: "If the line is composed of a single period, it is treated as the end of mail
 * indicator. If the first character is a period and there are other characters on the line, the
 * first character is deleted."
 *
 * Any split of the input into chunks gives the same body bytes, the same violations and the same
 * rest. Where WebAssembly SIMD is available, a scanner compiled from
 * `tooling/gen-wasm-scan/scan.wat` walks a copy of the pushed bytes 64 octets at a time and lists
 * only what needs JavaScript (deleted dots, bare CR / LF, the terminator); elsewhere line ends are
 * found with native `indexOf`. Both give the same pieces. Between chunks the decoder remembers one
 * small state (at most the held-back `.` and CR). Pushed bytes are referenced by the returned
 * views: do not reuse the buffer before the views are consumed.
 *
 * @example
 * ```ts
 * import { DataDecoder } from '@smtpkit/wire';
 * const decoder = new DataDecoder();
 * const r = decoder.push(new TextEncoder().encode('Hi\r\n..dot\r\n.\r\nQUIT\r\n'));
 * // r.chunks → "Hi\r\n", ".dot\r\n"; r.done === true; r.rest → "QUIT\r\n"
 * if (decoder.error) {
 *   // answer decoder.error.reply (554 5.6.0) instead of accepting the message
 * }
 * ```
 */
export class DataDecoder {
  readonly #normalize: boolean;
  readonly #maxContent: number;
  readonly #checkLength: boolean;
  #state = LINE_START;
  /** Octets of the current line so far (without the deleted dot and the line end). */
  #lineLength = 0;
  /** Wire offset of the current line's first byte. */
  #lineOffset = 0;
  /** Wire bytes consumed before the current chunk. */
  #consumed = 0;
  #bodyLength = 0;
  #violations: DataViolation[] = [];
  #seen = 0; // bit mask of the violation kinds already reported
  /** The WebAssembly scanner, looked up at the first long push; `null`: not available. */
  #scanner: WasmScanner | null | undefined;

  constructor(options: DataDecoderOptions = {}) {
    const max = options.maxLineLength ?? 1000;
    if (!Number.isSafeInteger(max) || max < 3) {
      throw new WireError(
        'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
        `maxLineLength must be an integer of at least 3, got ${String(max)}`,
      );
    }
    this.#normalize = (options.bareLineEndings ?? 'reject') === 'normalize';
    this.#checkLength = (options.longLines ?? 'reject') === 'reject';
    this.#maxContent = max - 2;
  }

  /** True once the terminator has been read. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /** Body octets delivered so far (after unstuffing and normalising): for a SIZE check. */
  get bodyLength(): number {
    return this.#bodyLength;
  }

  /** Wire octets consumed so far, terminator included, rest excluded. */
  get wireLength(): number {
    return this.#consumed;
  }

  /** Every violation seen so far, at most one per kind, in order of appearance. */
  get violations(): readonly DataViolation[] {
    return this.#violations;
  }

  /**
   * The error for the first violation, carrying the reply the server sends after the terminator
   * (`554 5.6.0`), or `undefined` when the data broke no rule.
   */
  get error(): WireError | undefined {
    const first = this.#violations[0];
    return first === undefined ? undefined : violationError(first);
  }

  /**
   * Reads the next bytes of the data. Never throws for what the peer sends; throws a misuse
   * `WireError` when called again after the terminator (hand the `rest` to the command reader).
   */
  push(bytes: Uint8Array): DataDecodeResult {
    if (this.#state === DONE) {
      throw new WireError(
        'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
        'DataDecoder.push called after the end of the data; feed the rest to the command reader',
      );
    }
    const before = this.#violations.length;
    const out: Uint8Array[] = [];
    const n = bytes.length;
    let state = this.#state;
    let i = 0;
    /** Start of the scanned bytes not yet delivered; held-back bytes are skipped by moving it. */
    let from = 0;
    // Cached positions of the next CR and LF at or after `i` (-1: none left in this chunk).
    let nextCr = -2;
    let nextLf = -2;
    let rest: Uint8Array | undefined;
    // Hot state in locals, written back at the end.
    const consumed = this.#consumed;
    const checkLength = this.#checkLength;
    const maxContent = this.#maxContent;
    let lineLength = this.#lineLength;
    let lineOffset = this.#lineOffset;
    let scanner: WasmScanner | null | undefined;
    if (n >= WASM_MIN_PUSH) {
      if (this.#scanner === undefined) this.#scanner = wasmScanner() ?? null;
      scanner = this.#scanner;
      scanner?.reset();
    }

    while (i < n) {
      if (state === MID && scanner && n - i >= WASM_MIN_REST) {
        // The WebAssembly scanner walks the line structure; only its events need JavaScript.
        const seen = this.#seen;
        const stop = scanner.scan(
          bytes,
          i,
          n,
          lineLength,
          checkLength && (seen & 4) === 0 ? maxContent : NO_LINE_LIMIT,
          this.#normalize ? FLAG_BARE_LF | FLAG_BARE_CR : ~seen & (FLAG_BARE_LF | FLAG_BARE_CR),
        );
        from = this.#applyScanEvents(scanner, bytes, out, from, consumed);
        state = scanner.state;
        if (scanner.newLine) {
          lineLength = stop - scanner.lineStart;
          lineOffset = consumed + scanner.lineFirst;
        } else {
          lineLength += stop - i;
        }
        // In AFTER_CR the CR before `stop` ends the line or is bare: it is not line content.
        if (state === AFTER_CR) lineLength--;
        if (checkLength && lineLength > maxContent) this.#report('line-too-long', lineOffset);
        i = stop;
        continue;
      }
      if (state === MID) {
        if (nextCr !== -1 && nextCr < i) nextCr = bytes.indexOf(CR, i);
        if (nextLf !== -1 && nextLf < i) nextLf = bytes.indexOf(LF, i);
        if (nextCr === -1 && nextLf === -1) {
          lineLength += n - i;
          if (checkLength && lineLength > maxContent) this.#report('line-too-long', lineOffset);
          i = n;
          break;
        }
        if (nextLf === -1 || (nextCr !== -1 && nextCr < nextLf)) {
          // A CR: the end of the line when an LF follows, else a bare CR (decided in AFTER_CR).
          lineLength += nextCr - i;
          if (checkLength && lineLength > maxContent) this.#report('line-too-long', lineOffset);
          i = nextCr + 1;
          if (i < n && bytes[i] === LF) {
            i++;
            lineLength = 0;
            lineOffset = consumed + i;
            // Fast path: an ordinary byte starts the next line, so stay in MID.
            if (i < n && bytes[i] !== DOT) continue;
            state = LINE_START;
          } else {
            state = AFTER_CR;
          }
          continue;
        }
        // An LF with no CR before it (a CR would have been found first): a bare LF.
        lineLength += nextLf - i;
        if (checkLength && lineLength > maxContent) this.#report('line-too-long', lineOffset);
        this.#report('bare-lf', consumed + nextLf);
        if (this.#normalize) {
          if (nextLf > from) out.push(bytes.subarray(from, nextLf));
          out.push(CR_BYTES);
          from = nextLf;
        }
        i = nextLf + 1;
        lineLength = 0;
        lineOffset = consumed + i;
        continue;
      }
      if (state === LINE_START) {
        if (bytes[i] === DOT) {
          if (i > from) out.push(bytes.subarray(from, i));
          i++;
          from = i;
          state = AFTER_DOT;
        } else {
          state = MID;
        }
        continue;
      }
      if (state === AFTER_CR) {
        if (bytes[i] === LF) {
          i++;
          lineLength = 0;
          lineOffset = consumed + i;
          state = LINE_START;
          continue;
        }
        // The CR (already in the pending view, or delivered with the previous chunk) is bare.
        this.#report('bare-cr', consumed + i - 1);
        if (this.#normalize) {
          if (i > from) out.push(bytes.subarray(from, i));
          out.push(LF_BYTES);
          from = i;
        }
        lineLength = 0;
        lineOffset = consumed + i;
        state = MID;
        continue;
      }
      if (state === AFTER_DOT) {
        if (bytes[i] === CR) {
          // "." CR: the end of the data if LF follows; hold the CR back until we know.
          i++;
          from = i;
          state = AFTER_DOT_CR;
        } else {
          // "." and other characters: the dot stays deleted (RFC 5321 §4.5.2).
          state = MID;
        }
        continue;
      }
      // AFTER_DOT_CR
      if (bytes[i] === LF) {
        // CRLF "." CRLF: the end of the data. Nothing is pending: the dot and CR were held back.
        i++;
        rest = bytes.subarray(i);
        state = DONE;
        break;
      }
      // "." CR and something else: the dot stays deleted and the held-back CR is a bare CR.
      this.#report('bare-cr', consumed + i - 1);
      out.push(this.#normalize ? CRLF_BYTES : CR_BYTES);
      lineLength = 0;
      lineOffset = consumed + i;
      state = MID;
    }

    if (state !== DONE && n > from) {
      out.push(from === 0 ? bytes : bytes.subarray(from));
    }
    for (const piece of out) this.#bodyLength += piece.length;
    this.#consumed += state === DONE ? i : n;
    this.#lineLength = lineLength;
    this.#lineOffset = lineOffset;
    this.#state = state;
    return {
      chunks: out,
      done: state === DONE,
      rest,
      violations:
        this.#violations.length === before ? NO_VIOLATIONS : this.#violations.slice(before),
    };
  }

  /**
   * Cuts the pieces around the events of the last scan (RFC 5321 §4.5.2 deleted dots; bare LF and
   * bare CR, reported and, when normalising, completed to CRLF) and returns the new `from`.
   */
  #applyScanEvents(
    scanner: WasmScanner,
    bytes: Uint8Array,
    out: Uint8Array[],
    from: number,
    consumed: number,
  ): number {
    const events = scanner.events;
    const shift = scanner.offset;
    const normalize = this.#normalize;
    for (let k = 0, count = scanner.eventCount; k < count; k++) {
      const event = events[k] as number;
      const at = (event >>> 2) + shift;
      const kind = event & 3;
      if (kind === EVENT_DOT) {
        if (at > from) out.push(bytes.subarray(from, at));
        from = at + 1;
      } else if (kind === EVENT_BARE_LF) {
        this.#report('bare-lf', consumed + at);
        if (normalize) {
          if (at > from) out.push(bytes.subarray(from, at));
          out.push(CR_BYTES);
          from = at;
        }
      } else {
        this.#report('bare-cr', consumed + at);
        if (normalize) {
          out.push(bytes.subarray(from, at + 1), LF_BYTES);
          from = at + 1;
        }
      }
    }
    return from;
  }

  #report(kind: DataViolationKind, offset: number): void {
    const bit = kind === 'bare-lf' ? 1 : kind === 'bare-cr' ? 2 : 4;
    if ((this.#seen & bit) !== 0) return;
    if (this.#normalize && kind !== 'line-too-long') return;
    this.#seen |= bit;
    this.#violations.push({ kind, offset });
  }
}
