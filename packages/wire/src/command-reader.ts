import type { Reply } from '@smtpkit/reply';
import type { Command } from './command.js';
import { type BareLinePolicy, type LineFault, LineReader } from './line-reader.js';
import { type CommandParseOptions, parseCommand } from './parse-command.js';
import { WireError, type WireErrorCode } from './wire-error.js';
import { wireReplies } from './wire-replies.js';

/**
 * RFC 5321 §4.5.3.1.4: "The maximum total length of a command line including the command word
 * and the <CRLF> is 512 octets." Extensions raise it (RFC 1869 §4.1.2, RFC 6531 §3.4).
 *
 * @example
 * ```ts
 * new CommandReader({ maxLineLength: DEFAULT_COMMAND_LINE_LENGTH + 26 }); // SIZE raises it by 26 (RFC 1870)
 * ```
 */
export const DEFAULT_COMMAND_LINE_LENGTH = 512;

/**
 * Options of {@link CommandReader}.
 *
 * @example
 * ```ts
 * const reader = new CommandReader({ maxLineLength: 1024, bareLf: 'reject', smtputf8: true });
 * ```
 */
export interface CommandReaderOptions extends CommandParseOptions {
  /** Longest command line, CRLF included; {@link DEFAULT_COMMAND_LINE_LENGTH} unless said. */
  readonly maxLineLength?: number;
  /**
   * A bare LF: `reject` (default, RFC 5321 §2.3.8: the line up to the next CRLF is refused as one,
   * and nothing after the LF is read as a command) or `accept` (the LF ends the command line).
   */
  readonly bareLf?: BareLinePolicy;
  /** A CR inside a command line: `reject` (default, RFC 5321 §2.3.8) or `accept`. */
  readonly bareCr?: BareLinePolicy;
}

/**
 * An event of {@link CommandReader.next}: a parsed command; an error the server answers with
 * `reply` (the reader has already skipped the bad line and goes on with the next one); or
 * `need-data`.
 *
 * @example
 * ```ts
 * const e: CommandEvent = reader.next();
 * if (e.type === 'error') socket.write(formatReply(e.reply));
 * ```
 */
export type CommandEvent =
  | { readonly type: 'command'; readonly command: Command }
  | {
      readonly type: 'error';
      readonly code: WireErrorCode;
      readonly reply: Reply;
      readonly error: WireError;
    }
  | { readonly type: 'need-data' };

const faults: Record<LineFault, { code: WireErrorCode; reply: Reply; message: string }> = {
  'too-long': {
    code: 'ERR_WIRE_LINE_TOO_LONG',
    reply: wireReplies.R500_5_5_2_LineTooLong,
    message: 'command line too long',
  },
  'bare-lf': {
    code: 'ERR_WIRE_BARE_LF',
    reply: wireReplies.R500_5_5_2_BareLf,
    message: 'bare LF in a command line',
  },
  'bare-cr': {
    code: 'ERR_WIRE_BARE_CR',
    reply: wireReplies.R500_5_5_2_BareCr,
    message: 'bare CR in a command line',
  },
};

function errorEvent(error: WireError): CommandEvent {
  const reply = error.reply ?? wireReplies.R500_5_5_2_SyntaxError;
  return { type: 'error', code: error.code, reply, error };
}

/**
 * The server's incremental, sans-IO command reader (pull style, like h11): `push(bytes)` what the
 * socket delivered, then call `next()` until it returns `{ type: 'need-data' }`. One chunk may hold
 * many pipelined commands (RFC 2920); they come out one per `next()` call, in order, so the session
 * can stop after DATA, BDAT or STARTTLS and take the rest of the buffer with `takeRest()` (for the
 * data reader) or throw it away with `discardRest()` (STARTTLS, RFC 3207 §4.2: plaintext sent
 * before the handshake must never be read as if it came over TLS).
 *
 * Limits: a line over `maxLineLength` gives one `ERR_WIRE_LINE_TOO_LONG` event and is dropped
 * while it streams in, so memory stays bounded whatever the peer sends; the reader picks up again
 * after the next line end. A line with a bare LF or bare CR gives one `ERR_WIRE_BARE_LF` /
 * `ERR_WIRE_BARE_CR` event for the whole line up to its CRLF (see {@link LineReader}): a command
 * hidden behind a bare LF is never run. Lines decode as UTF-8 (fatal: invalid UTF-8 is an error
 * event).
 *
 * @example
 * ```ts
 * import { CommandReader } from '@smtpkit/wire';
 * const reader = new CommandReader();
 * reader.push(new TextEncoder().encode('EHLO client.example\r\nMAIL FROM:<>\r\n'));
 * for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
 *   if (e.type === 'command') console.log(e.command.verb); // EHLO, then MAIL
 *   else console.log(e.reply);                             // answer errors with their reply
 * }
 * ```
 */
export class CommandReader {
  readonly #lines: LineReader;
  #options: CommandParseOptions;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(options: CommandReaderOptions = {}) {
    const { maxLineLength, bareLf, bareCr, ...parse } = options;
    this.#lines = new LineReader({
      maxLineLength: maxLineLength ?? DEFAULT_COMMAND_LINE_LENGTH,
      bareLf: bareLf ?? 'reject',
      bareCr: bareCr ?? 'reject',
    });
    this.#options = parse;
  }

  /** The current command-line limit (CRLF included). */
  get maxLineLength(): number {
    return this.#lines.maxLineLength;
  }

  /** Raises or lowers the command-line limit for lines still to come (RFC 1869 §4.1.2). */
  set maxLineLength(value: number) {
    this.#lines.maxLineLength = value;
  }

  /** Replaces the parse options (for example `smtputf8: true` once SMTPUTF8 is advertised). */
  setParseOptions(options: CommandParseOptions): void {
    this.#options = options;
  }

  /** Bytes received and not yet consumed. */
  get bufferedLength(): number {
    return this.#lines.bufferedLength;
  }

  /** Queues bytes received from the client. */
  push(bytes: Uint8Array): void {
    this.#lines.push(bytes);
  }

  /** The next command, error, or `need-data`. Never throws for peer input. */
  next(): CommandEvent {
    const event = this.#lines.next();
    if (event.type === 'need-data') return event;
    if (event.type === 'invalid') {
      const fault = faults[event.fault];
      return errorEvent(new WireError(fault.code, fault.message, { reply: fault.reply }));
    }
    let line: string;
    try {
      line = this.#decoder.decode(event.bytes);
    } catch (cause) {
      return errorEvent(
        new WireError('ERR_WIRE_INVALID_UTF8', 'command line is not valid UTF-8', {
          reply: wireReplies.R500_5_5_2_InvalidUtf8,
          cause,
        }),
      );
    }
    try {
      return { type: 'command', command: parseCommand(line, this.#options) };
    } catch (error) {
      if (error instanceof WireError) return errorEvent(error);
      throw error;
    }
  }

  /** Hands back the unconsumed bytes (zero-copy when possible) and empties the reader. */
  takeRest(): Uint8Array {
    return this.#lines.takeRest();
  }

  /** Throws the unconsumed bytes away and returns how many there were. */
  discardRest(): number {
    return this.#lines.discardRest();
  }
}
