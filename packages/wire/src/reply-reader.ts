import { type EnhancedStatus, parseEnhancedStatus, type Reply } from '@smtpkit/reply';
import { type BareLinePolicy, type LineFault, LineReader } from './line-reader.js';
import { WireError, type WireErrorCode } from './wire-error.js';

/**
 * Longest reply line accepted by default, CRLF included (RFC 5321 §4.5.3.1.5 says 512; servers exceed it).
 *
 * @example
 * ```ts
 * new ReplyReader({ maxLineLength: DEFAULT_REPLY_LINE_LENGTH * 2 });
 * ```
 */
export const DEFAULT_REPLY_LINE_LENGTH = 2048;
/**
 * Most lines in one reply accepted by default (an EHLO reply has a few dozen).
 *
 * @example
 * ```ts
 * new ReplyReader({ maxLines: DEFAULT_REPLY_MAX_LINES });
 * ```
 */
export const DEFAULT_REPLY_MAX_LINES = 256;

/**
 * Options of {@link ReplyReader}.
 *
 * @example
 * ```ts
 * new ReplyReader({ maxLineLength: 4096, maxLines: 1000, bareLf: 'reject' });
 * ```
 */
export interface ReplyReaderOptions {
  /** Longest reply line, CRLF included; {@link DEFAULT_REPLY_LINE_LENGTH} unless said. */
  readonly maxLineLength?: number;
  /** Most lines in one reply; {@link DEFAULT_REPLY_MAX_LINES} unless said. */
  readonly maxLines?: number;
  /**
   * A bare LF in a reply line: `reject` by default, `accept` to take it as a line end (for old
   * servers that end lines with LF alone). RFC 5321 §2.3.8 and §4.2: a reply line ends with CRLF.
   * Refused, a bare LF refuses its reply, and the text after it up to the CRLF is never read as a
   * reply line of its own: a client that ended lines there would read a different sequence of
   * replies from the same bytes than the server meant, and with pipelining (RFC 2920) pair every
   * later reply with the wrong command.
   */
  readonly bareLf?: BareLinePolicy;
  /** A CR inside a reply line: `reject` (default) or `accept`. */
  readonly bareCr?: BareLinePolicy;
}

/**
 * An event of {@link ReplyReader.next}: a complete reply, a protocol error, or `need-data`.
 *
 * @example
 * ```ts
 * const e: ReplyEvent = reader.next();
 * if (e.type === 'reply' && e.reply.code >= 400) {} // failure
 * ```
 */
export type ReplyEvent =
  | { readonly type: 'reply'; readonly reply: Reply }
  | { readonly type: 'error'; readonly code: WireErrorCode; readonly error: WireError }
  | { readonly type: 'need-data' };

const lineFaults: Record<LineFault, WireErrorCode> = {
  'too-long': 'ERR_WIRE_REPLY_LINE_TOO_LONG',
  'bare-lf': 'ERR_WIRE_REPLY_SYNTAX',
  'bare-cr': 'ERR_WIRE_REPLY_SYNTAX',
};

function errorEvent(code: WireErrorCode, message: string): ReplyEvent {
  return { type: 'error', code, error: new WireError(code, message) };
}

/** The code of a reply line and whether it is the last line of its reply. */
interface LineShape {
  readonly code: number;
  readonly last: boolean;
}

/**
 * RFC 5321 §4.2: `Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ]
 * CRLF` and `Reply-code = %x32-35 %x30-35 %x30-39`. Reads the code and the separator from the
 * first octets of a line; `whole` when `bytes` is the whole line (then the code alone is a last
 * line), not just the head of a refused one. Undefined when they are not there.
 */
function lineShape(bytes: Uint8Array, whole: boolean): LineShape | undefined {
  if (bytes.length < 3) return undefined;
  const a = bytes[0] as number;
  const b = bytes[1] as number;
  const c = bytes[2] as number;
  if (!(a >= 0x32 && a <= 0x35 && b >= 0x30 && b <= 0x35 && c >= 0x30 && c <= 0x39)) {
    return undefined;
  }
  const code = (a - 48) * 100 + (b - 48) * 10 + (c - 48);
  const separator = bytes[3];
  if (separator === undefined) return whole ? { code, last: true } : undefined;
  if (separator === 0x20) return { code, last: true };
  if (separator === 0x2d) return { code, last: false };
  return undefined;
}

/** The RFC 3463 status code at the start of `text` when followed by SP or the end of the line. */
function leadingStatus(
  text: string,
): { status: EnhancedStatus; rest: string; token: string } | undefined {
  const space = text.indexOf(' ');
  const token = space < 0 ? text : text.slice(0, space);
  if (token.length < 5 || token.length > 11) return undefined;
  const status = parseEnhancedStatus(token);
  if (status === undefined) return undefined;
  return { status, rest: space < 0 ? '' : text.slice(space + 1), token };
}

/**
 * A reply value as received. Built directly rather than with `createReply`: a client must read what
 * real servers send, including lines longer than the 512 octets RFC 5321 §4.5.3.1.5 allows
 * (bounded here by `maxLineLength`).
 */
function replyValue(code: number, enhanced: EnhancedStatus | undefined, lines: string[]): Reply {
  const frozen = Object.freeze(lines);
  return Object.freeze(
    enhanced === undefined ? { code, lines: frozen } : { code, enhanced, lines: frozen },
  );
}

/**
 * RFC 2034 §4 / RFC 3463: a reply carries an enhanced status code when every text line starts
 * with it. Strip it into `enhanced` only when all lines agree and its class matches the reply
 * code's first digit; otherwise keep the lines as sent.
 */
function buildReply(code: number, texts: readonly string[]): Reply {
  let token: string | undefined;
  let status: EnhancedStatus | undefined;
  const stripped: string[] = [];
  for (const text of texts) {
    const found = leadingStatus(text);
    if (found === undefined || (token !== undefined && found.token !== token)) {
      status = undefined;
      break;
    }
    token = found.token;
    status = found.status;
    stripped.push(found.rest);
  }
  if (status !== undefined && status.class === Math.floor(code / 100)) {
    return replyValue(code, status, stripped);
  }
  return replyValue(code, undefined, [...texts]);
}

/**
 * The client's incremental, sans-IO reply reader: `push(bytes)`, then `next()` until `need-data`.
 *
 * RFC 5321 §4.2.1: every line but the last is `code "-" text`; the last is `code SP text` or just
 * the code (§4.2: a client SHOULD be tolerant of a missing text); every line carries the same
 * code. Lines and line counts are bounded: a reply over `maxLines` yields one
 * `ERR_WIRE_REPLY_TOO_MANY_LINES` error and the rest of it is skipped without being kept, so a
 * server sending 100,000 continuation lines costs linear time and constant memory. Non-UTF-8 text
 * is decoded with U+FFFD replacements (reply text is for humans).
 *
 * A refused line (no reply code, NUL, bare CR, bare LF, too long) gives one error and drops its
 * reply: the lines left of that reply are skipped up to its last line, told by the code and
 * separator the refused line starts with, so the next reply is read whole and the reply after a
 * refused last line is not lost.
 *
 * @example
 * ```ts
 * import { ReplyReader } from '@smtpkit/wire';
 * const reader = new ReplyReader();
 * reader.push(new TextEncoder().encode('250-mx.example\r\n250 2.0.0 OK\r\n'));
 * reader.next(); // { type: 'reply', reply: { code: 250, lines: ['mx.example', '2.0.0 OK'] } }
 * reader.next(); // { type: 'need-data' }
 * ```
 */
export class ReplyReader {
  readonly #lines: LineReader;
  readonly #maxLines: number;
  readonly #decoder = new TextDecoder('utf-8');
  #code = -1;
  #texts: string[] = [];
  /** True while skipping the rest of a reply already refused. */
  #skipping = false;

  constructor(options: ReplyReaderOptions = {}) {
    this.#lines = new LineReader({
      maxLineLength: options.maxLineLength ?? DEFAULT_REPLY_LINE_LENGTH,
      bareLf: options.bareLf ?? 'reject',
      bareCr: options.bareCr ?? 'reject',
    });
    const maxLines = options.maxLines ?? DEFAULT_REPLY_MAX_LINES;
    if (!Number.isSafeInteger(maxLines) || maxLines < 1) {
      throw new WireError(
        'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
        'maxLines must be a positive integer',
      );
    }
    this.#maxLines = maxLines;
  }

  /** Queues bytes received from the server. */
  push(bytes: Uint8Array): void {
    this.#lines.push(bytes);
  }

  /** Bytes received and not yet consumed. */
  get bufferedLength(): number {
    return this.#lines.bufferedLength;
  }

  /** Hands back the unconsumed bytes and empties the reader (a reply in progress is dropped). */
  takeRest(): Uint8Array {
    this.#resetReply();
    return this.#lines.takeRest();
  }

  /** Throws the unconsumed bytes away (RFC 3207 §4.2, after 220 to STARTTLS) and counts them. */
  discardRest(): number {
    this.#resetReply();
    return this.#lines.discardRest();
  }

  /** The next complete reply, error, or `need-data`. Never throws for peer input. */
  next(): ReplyEvent {
    for (;;) {
      const event = this.#lines.next();
      if (event.type === 'need-data') return event;
      const shape =
        event.type === 'invalid' ? lineShape(event.head, false) : lineShape(event.bytes, true);
      if (this.#skipping) {
        // A line of a reply already refused: dropped unread, refused or not, up to its last line.
        if (shape?.last === true) this.#skipping = false;
        continue;
      }
      if (event.type === 'invalid') {
        return this.#refuse(lineFaults[event.fault], `reply line refused: ${event.fault}`, shape);
      }
      if (shape === undefined) {
        return this.#refuse(
          'ERR_WIRE_REPLY_SYNTAX',
          'reply line does not start with a reply code',
          shape,
        );
      }
      // RFC 5321 §4.2: textstring = 1*(%d09 / %d32-126); a NUL never belongs in a reply.
      if (event.bytes.indexOf(0) >= 0) {
        return this.#refuse('ERR_WIRE_REPLY_SYNTAX', 'NUL in a reply line', shape);
      }
      const { code, last } = shape;
      const line = this.#decoder.decode(event.bytes);
      if (this.#code >= 0 && code !== this.#code) {
        this.#resetReply();
        this.#skipping = !last;
        return errorEvent('ERR_WIRE_REPLY_CODE_MISMATCH', 'reply lines carry different codes');
      }
      this.#code = code;
      if (this.#texts.length === this.#maxLines) {
        this.#resetReply();
        this.#skipping = !last;
        return errorEvent(
          'ERR_WIRE_REPLY_TOO_MANY_LINES',
          `reply has more than ${this.#maxLines} lines`,
        );
      }
      this.#texts.push(line.length <= 4 ? '' : line.slice(4));
      if (!last) continue;
      const texts = this.#texts;
      this.#resetReply();
      return { type: 'reply', reply: buildReply(code, texts) };
    }
  }

  /**
   * Reports a refused line and drops its reply. RFC 5321 §4.2.1: the reply goes on after a line
   * with "-" after its code and ends with the line with SP, so the lines left of it are skipped
   * only when the refused line was not its last. Without a readable code and separator, the line
   * is taken as a continuation inside a reply in progress, and as stray text between replies.
   */
  #refuse(code: WireErrorCode, message: string, shape: LineShape | undefined): ReplyEvent {
    const inReply = this.#code >= 0;
    this.#resetReply();
    this.#skipping = shape === undefined ? inReply : !shape.last;
    return errorEvent(code, message);
  }

  #resetReply(): void {
    this.#code = -1;
    this.#texts = [];
    this.#skipping = false;
  }
}
