import { WireError } from './wire-error.js';

/**
 * What to do with a bare LF (an LF not preceded by CR) or a bare CR (a CR not followed by LF).
 * `reject` reports the line as invalid, and a refused bare LF does not end the line: the line goes
 * on to the next CRLF; `accept` takes a bare LF as a line end and leaves a bare CR in the line.
 *
 * @example
 * ```ts
 * new CommandReader({ bareLf: 'accept' }); // for old clients on a trusted network
 * ```
 */
export type BareLinePolicy = 'reject' | 'accept';

/**
 * Options of {@link LineReader}.
 *
 * @example
 * ```ts
 * new LineReader({ maxLineLength: 512, bareLf: 'reject', bareCr: 'reject' });
 * ```
 */
export interface LineReaderOptions {
  /** Longest line accepted, counting its CRLF (RFC 5321 §4.5.3.1.4: 512 for command lines). */
  readonly maxLineLength: number;
  /** Bare LF policy; `reject` unless said otherwise. */
  readonly bareLf?: BareLinePolicy;
  /** Bare CR policy; `reject` unless said otherwise. */
  readonly bareCr?: BareLinePolicy;
}

/**
 * Why {@link LineReader} refused a line.
 *
 * @example
 * ```ts
 * const e = reader.next();
 * if (e.type === 'invalid' && e.fault === 'too-long') {} // answer 500 5.5.2
 * ```
 */
export type LineFault = 'too-long' | 'bare-lf' | 'bare-cr';

/**
 * An event of {@link LineReader.next}: a line (without its terminator, a zero-copy view of the
 * pushed bytes when the line sits in one chunk), a refused line, or `need-data`.
 *
 * A refused line keeps only its `head`: its first octets, at most {@link LINE_HEAD_LENGTH}, never
 * past a bare LF nor past `maxLineLength`, so the same for any chunking. That is enough to tell
 * what the line was (a reply line's code and separator) while the rest of it is dropped.
 *
 * @example
 * ```ts
 * for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {} // …
 * ```
 */
export type LineEvent =
  | { readonly type: 'line'; readonly bytes: Uint8Array }
  | { readonly type: 'invalid'; readonly fault: LineFault; readonly head: Uint8Array }
  | { readonly type: 'need-data' };

/**
 * Most octets of a refused line kept in its `invalid` event: a reply code and its separator
 * (RFC 5321 §4.2: `Reply-code [ SP / "-" ]`).
 *
 * @example
 * ```ts
 * if (e.type === 'invalid' && e.head.length === LINE_HEAD_LENGTH) {} // code and separator
 * ```
 */
export const LINE_HEAD_LENGTH = 4;

/**
 * The `need-data` event: push more bytes, then call `next()` again.
 *
 * @example
 * ```ts
 * if (reader.next() === NEED_DATA) {} // wait for the socket
 * ```
 */
export const NEED_DATA: { readonly type: 'need-data' } = Object.freeze({ type: 'need-data' });

const LF = 10;
const CR = 13;

/** Concatenates pieces into one new array (the piece itself when there is one). */
function concatBytes(pieces: readonly Uint8Array[]): Uint8Array {
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

/**
 * An incremental, sans-IO line splitter: `push(bytes)` then call `next()` until it returns
 * `need-data`. Line ends are found with native `indexOf` on LF; each byte is scanned once, so a
 * line that arrives one byte at a time costs linear time.
 *
 * Memory stays bounded whatever the peer sends: a line is refused (`too-long`) as soon as it can no
 * longer fit in `maxLineLength`, its bytes are dropped, and the reader discards input until the next
 * line end, keeping nothing meanwhile (RFC 5321 §4.5.3.1.4 limits command lines to 512 octets; an
 * endless line must not grow the buffer).
 *
 * RFC 5321 §2.3.8: "Lines consist of zero or more data characters terminated by the sequence ASCII
 * character "CR" (hex value 0D) followed immediately by ASCII character "LF" (hex value 0A)." With
 * `bareLf: 'reject'` only CRLF ends a line: a bare LF (or a bare CR) makes the whole line up to the
 * next CRLF one `invalid` event, reported when the bare LF is seen, and the rest of that line is
 * dropped as it streams in, exactly like an over-long line (an over-long line with a bare LF in it
 * still gives one event). The text after a bare LF is never framed as a line of its own, so
 * `MAIL FROM:<a@b.example><LF>RCPT TO:<victim@example.com><CRLF>` cannot run the RCPT that a reader
 * ending lines at the LF would have found. The session answers that line once and goes on framing
 * on CRLF. Closing the connection, as Postfix's `smtpd_forbid_bare_newline` does, is the stricter
 * choice; one reply is enough here because every refused line counts against the session's error
 * limit, which closes a client that keeps sending them. `bareLf: 'accept'` ends a line at a bare LF.
 *
 * Pushed chunks are referenced, not copied, until consumed: do not mutate them afterwards.
 *
 * @example
 * ```ts
 * const reader = new LineReader({ maxLineLength: 512 });
 * reader.push(new TextEncoder().encode('NOOP\r\nQU'));
 * reader.next(); // { type: 'line', bytes: <NOOP> }
 * reader.next(); // { type: 'need-data' }
 * ```
 */
export class LineReader {
  #maxLineLength: number;
  #bareLf: BareLinePolicy;
  #bareCr: BareLinePolicy;
  /** Chunks not yet scanned; the first one from `#offset`. */
  #queue: Uint8Array[] = [];
  #head = 0;
  #offset = 0;
  /** Scanned pieces of the current line (none holds an LF). */
  #pending: Uint8Array[] = [];
  #pendingLength = 0;
  /** True while dropping the rest of a line already refused (too long, or a bare LF). */
  #discarding = false;
  /** While discarding: whether the last byte dropped was CR (a CRLF may straddle two chunks). */
  #droppedCr = false;

  constructor(options: LineReaderOptions) {
    this.#maxLineLength = checkLimit(options.maxLineLength);
    this.#bareLf = options.bareLf ?? 'reject';
    this.#bareCr = options.bareCr ?? 'reject';
  }

  /** The current line limit, counting the line terminator. */
  get maxLineLength(): number {
    return this.#maxLineLength;
  }

  /** Changes the line limit for the lines still to come (for example after EHLO, RFC 6531 §3.4). */
  set maxLineLength(value: number) {
    this.#maxLineLength = checkLimit(value);
  }

  /** Bytes received and not yet consumed. */
  get bufferedLength(): number {
    let length = this.#pendingLength - (this.#head < this.#queue.length ? this.#offset : 0);
    for (let i = this.#head; i < this.#queue.length; i++)
      length += (this.#queue[i] as Uint8Array).length;
    return length;
  }

  /** Queues bytes received from the peer. */
  push(bytes: Uint8Array): void {
    if (bytes.length > 0) this.#queue.push(bytes);
  }

  /** The next line, refused line, or `need-data`. */
  next(): LineEvent {
    for (;;) {
      const chunk = this.#queue[this.#head];
      if (chunk === undefined) {
        this.#compact();
        return NEED_DATA;
      }
      const lf = chunk.indexOf(LF, this.#offset);
      if (this.#discarding) {
        if (lf < 0) {
          this.#droppedCr = chunk[chunk.length - 1] === CR;
          this.#dropChunk();
          continue;
        }
        const crlf = lf > this.#offset ? chunk[lf - 1] === CR : this.#droppedCr;
        this.#advance(chunk, lf + 1);
        // RFC 5321 §2.3.8: with bare LFs refused, only a CRLF ends the refused line.
        if (crlf || this.#bareLf === 'accept') this.#discarding = false;
        else this.#droppedCr = false;
        continue;
      }
      if (lf < 0) {
        const piece = chunk.subarray(this.#offset);
        this.#dropChunk();
        // Even the shortest terminator would carry the line over the limit: refuse it now.
        if (this.#pendingLength + piece.length + 1 > this.#maxLineLength) {
          return this.#refuse(
            'too-long',
            piece,
            this.#maxLineLength,
            piece[piece.length - 1] === CR,
          );
        }
        this.#pending.push(piece);
        this.#pendingLength += piece.length;
        continue;
      }
      if (this.#pending.length === 0 && lf > this.#offset && chunk[lf - 1] === CR) {
        // The common line: whole in this chunk and ended by CRLF. One view, no second scan.
        const line = this.#crlfLine(chunk, lf);
        this.#advance(chunk, lf + 1);
        return line;
      }
      const piece = chunk.subarray(this.#offset, lf);
      this.#advance(chunk, lf + 1);
      // A bare LF under `reject` does not end the line: it goes on to the next CRLF.
      const open = this.#bareLf === 'reject' && !this.#endsWithCr(piece);
      if (this.#pendingLength + piece.length + 1 > this.#maxLineLength) {
        if (open) return this.#refuse('too-long', piece, this.#maxLineLength, false);
        const event = this.#invalid('too-long', piece, this.#maxLineLength);
        this.#clearPending();
        return event;
      }
      if (open) return this.#refuse('bare-lf', piece, this.#pendingLength + piece.length, false);
      let line: Uint8Array;
      if (this.#pending.length === 0) line = piece;
      else {
        this.#pending.push(piece);
        line = concatBytes(this.#pending);
        this.#clearPending();
      }
      return this.#classify(line);
    }
  }

  /**
   * Hands back every byte received and not consumed (a partial line included) and empties the
   * reader: call it when the session switches to DATA or BDAT, and feed the bytes to that reader.
   * Zero-copy when the rest lies in one chunk.
   */
  takeRest(): Uint8Array {
    const queue = this.#queue;
    if (this.#pending.length === 0 && queue.length - this.#head <= 1) {
      // All of it in one chunk (or nothing): a view of it, no list of pieces.
      const first = queue[this.#head];
      const rest =
        first === undefined ? EMPTY : this.#offset === 0 ? first : first.subarray(this.#offset);
      this.#reset();
      return rest;
    }
    const pieces = [...this.#pending];
    const first = this.#queue[this.#head];
    if (first !== undefined) pieces.push(first.subarray(this.#offset));
    for (let i = this.#head + 1; i < this.#queue.length; i++)
      pieces.push(this.#queue[i] as Uint8Array);
    this.#reset();
    return pieces.length === 0 ? new Uint8Array(0) : concatBytes(pieces);
  }

  /**
   * Throws away every byte received and not consumed and returns how many there were: call it on
   * STARTTLS (RFC 3207 §4.2), so plaintext pipelined behind the command is never taken as if it had
   * come over TLS.
   */
  discardRest(): number {
    const count = this.bufferedLength;
    this.#reset();
    return count;
  }

  /** Whether the line so far (the pending pieces, then `piece`) ends with CR. */
  #endsWithCr(piece: Uint8Array): boolean {
    if (piece.length > 0) return piece[piece.length - 1] === CR;
    const last = this.#pending[this.#pending.length - 1];
    return last !== undefined && last[last.length - 1] === CR;
  }

  /**
   * Refuses the line read so far (the pending pieces, then `piece`) and drops the rest of it as it
   * arrives; `afterCr` when the last byte read was CR.
   */
  #refuse(fault: LineFault, piece: Uint8Array, known: number, afterCr: boolean): LineEvent {
    const event = this.#invalid(fault, piece, known);
    this.#clearPending();
    this.#discarding = true;
    this.#droppedCr = afterCr;
    return event;
  }

  /** An `invalid` event whose head is copied from the first `known` octets of the line so far. */
  #invalid(fault: LineFault, piece: Uint8Array, known: number): LineEvent {
    const head = new Uint8Array(Math.min(LINE_HEAD_LENGTH, known));
    let at = 0;
    for (const p of this.#pending) {
      if (at === head.length) break;
      const take = Math.min(head.length - at, p.length);
      head.set(p.subarray(0, take), at);
      at += take;
    }
    if (at < head.length) head.set(piece.subarray(0, head.length - at), at);
    return { type: 'invalid', fault, head };
  }

  /**
   * The line from the offset to `lf` in `chunk`, with nothing pending and a CR before `lf`: what
   * {@link LineReader.#classify} makes of it, without the view of the line with its CR.
   */
  #crlfLine(chunk: Uint8Array, lf: number): LineEvent {
    const start = this.#offset;
    const end = lf - 1;
    // The line with its CRLF: the same bound as the general path's (pending + piece + LF).
    if (end - start + 2 > this.#maxLineLength) {
      return this.#invalid('too-long', chunk.subarray(start, lf), this.#maxLineLength);
    }
    if (this.#bareCr === 'reject') {
      for (let i = start; i < end; i++) {
        if (chunk[i] === CR) {
          return {
            type: 'invalid',
            fault: 'bare-cr',
            head: chunk.slice(start, Math.min(end, start + LINE_HEAD_LENGTH)),
          };
        }
      }
    }
    return { type: 'line', bytes: chunk.subarray(start, end) };
  }

  /** A line ended by CRLF, or (only under `bareLf: 'accept'`) by a bare LF. */
  #classify(line: Uint8Array): LineEvent {
    const end = line.length;
    if (end > 0 && line[end - 1] === CR) {
      const content = line.subarray(0, end - 1);
      if (this.#bareCr === 'reject' && content.indexOf(CR) >= 0) {
        return { type: 'invalid', fault: 'bare-cr', head: content.slice(0, LINE_HEAD_LENGTH) };
      }
      return { type: 'line', bytes: content };
    }
    if (this.#bareCr === 'reject' && line.indexOf(CR) >= 0) {
      return { type: 'invalid', fault: 'bare-cr', head: line.slice(0, LINE_HEAD_LENGTH) };
    }
    return { type: 'line', bytes: line };
  }

  #advance(chunk: Uint8Array, to: number): void {
    if (to >= chunk.length) this.#dropChunk();
    else this.#offset = to;
  }

  #dropChunk(): void {
    this.#queue[this.#head] = EMPTY;
    this.#head++;
    this.#offset = 0;
  }

  #compact(): void {
    if (this.#head > 0) {
      this.#queue = [];
      this.#head = 0;
    }
  }

  #clearPending(): void {
    // A new array only when there was something (setting `length` costs more than a new one).
    if (this.#pending.length > 0) this.#pending = [];
    this.#pendingLength = 0;
  }

  #reset(): void {
    this.#queue = [];
    this.#head = 0;
    this.#offset = 0;
    this.#clearPending();
    this.#discarding = false;
    this.#droppedCr = false;
  }
}

const EMPTY = new Uint8Array(0);

function checkLimit(value: number): number {
  if (!Number.isSafeInteger(value) || value < 3) {
    throw new WireError(
      'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
      `maxLineLength must be an integer of at least 3, got ${value}`,
    );
  }
  return value;
}
