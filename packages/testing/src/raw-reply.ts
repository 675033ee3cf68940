// This package depends on no smtpkit package (they depend on it), so replies are parsed here and
// shaped like @smtpkit/reply's `Reply`: a test can pass a received reply wherever a `Reply` is
// expected and compare it with the catalogue (`replyStatus(r) === replyStatus(replies.R250_…)`).

/** RFC 3463 §2: `status-code = class "." subject "." detail`, shaped like `EnhancedStatus`. */
export interface RawEnhancedStatus {
  readonly class: 2 | 4 | 5;
  readonly subject: number;
  readonly detail: number;
}

/**
 * A reply as a test client received it: the `Reply` of @smtpkit/reply (`code`, `enhanced`,
 * `lines`) plus every line exactly as it came (`raw`, CRLF removed).
 *
 * @example
 * ```ts
 * // 250-mx.example\r\n250 2.0.0 Ok\r\n is read as
 * const r: RawReply = {
 *   code: 250,
 *   lines: ['mx.example', '2.0.0 Ok'], // not every line starts with the status: no `enhanced`
 *   raw: ['250-mx.example', '250 2.0.0 Ok'],
 * };
 * ```
 */
export interface RawReply {
  readonly code: number;
  /** Present when every line starts with the same status of the code's class (RFC 2034 §4). */
  readonly enhanced?: RawEnhancedStatus;
  /** The text of each line, after the code, the separator and (when `enhanced` is set) the status. */
  readonly lines: readonly string[];
  /** Each line as received, code included, CRLF removed (`250-SIZE 1000`). */
  readonly raw: readonly string[];
}

/** What {@link RawReplyReader.next} returns: a reply, a malformed line, or "need more data". */
export type RawReplyEvent =
  | { readonly type: 'reply'; readonly reply: RawReply }
  | { readonly type: 'syntax-error'; readonly line: string; readonly reason: string }
  | { readonly type: 'need-data' };

/** RFC 3463 §2 `status-code` at the start of a text, followed by SP or the end of the line. */
const STATUS = /^([245])\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?: |$)/;
/** RFC 5321 §4.2: `Reply-code = %x32-35 %x30-35 %x30-39`. */
const REPLY_CODE = /^[2-5][0-5][0-9]/;
const CRLF = Buffer.from('\r\n');

function withStatus(code: number, texts: readonly string[], raw: readonly string[]): RawReply {
  let token: string | undefined;
  let status: RawEnhancedStatus | undefined;
  const stripped: string[] = [];
  for (const text of texts) {
    const m = STATUS.exec(text);
    if (m === null || (token !== undefined && m[0].trimEnd() !== token)) {
      status = undefined;
      break;
    }
    token = m[0].trimEnd();
    status = {
      class: Number(m[1]) as RawEnhancedStatus['class'],
      subject: Number(m[2]),
      detail: Number(m[3]),
    };
    stripped.push(text.slice(m[0].length));
  }
  if (status !== undefined && status.class === Math.floor(code / 100)) {
    return { code, enhanced: status, lines: stripped, raw };
  }
  return { code, lines: [...texts], raw };
}

/**
 * Reads SMTP replies out of received bytes, strictly: a line ends with CRLF only, and a bare CR,
 * a bare LF or a NUL inside it, a line that does not start with a reply code and a separator, or
 * a continuation line with another code is a syntax error (RFC 5321 §4.2, §4.2.1). A server under
 * test must never send one, so the test client does not forgive what a real client would.
 *
 * @example
 * ```ts
 * const reader = new RawReplyReader();
 * reader.push(Buffer.from('250-mx.example\r\n250 SIZE 1000\r\n'));
 * reader.next(); // { type: 'reply', reply: { code: 250, lines: ['mx.example', 'SIZE 1000'], raw: [...] } }
 * reader.next(); // { type: 'need-data' }
 * ```
 */
export class RawReplyReader {
  #buffer: Buffer = Buffer.alloc(0);
  #code = -1;
  #texts: string[] = [];
  #raw: string[] = [];

  /** Adds received bytes. */
  push(bytes: Uint8Array): void {
    this.#buffer =
      this.#buffer.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.#buffer, bytes]);
  }

  /** Bytes received and not yet part of a whole line, as text (for error messages). */
  get unparsed(): string {
    return this.#buffer.toString('latin1');
  }

  /** The next complete reply, a syntax error, or `need-data`. */
  next(): RawReplyEvent {
    for (;;) {
      const end = this.#buffer.indexOf(CRLF);
      if (end < 0) return { type: 'need-data' };
      const bytes = this.#buffer.subarray(0, end);
      this.#buffer = this.#buffer.subarray(end + 2);
      const line = bytes.toString('utf8');
      const fault = lineFault(bytes, line);
      if (fault !== undefined) return this.#refuse(line, fault);
      const code = Number(line.slice(0, 3));
      if (this.#code >= 0 && code !== this.#code) {
        return this.#refuse(line, `code ${code} inside a ${this.#code} reply`);
      }
      this.#code = code;
      this.#texts.push(line.slice(4));
      this.#raw.push(line);
      if (line.charAt(3) === '-') continue;
      const reply = withStatus(code, this.#texts, this.#raw);
      this.#reset();
      return { type: 'reply', reply };
    }
  }

  #refuse(line: string, reason: string): RawReplyEvent {
    this.#reset();
    return { type: 'syntax-error', line, reason };
  }

  #reset(): void {
    this.#code = -1;
    this.#texts = [];
    this.#raw = [];
  }
}

function lineFault(bytes: Buffer, line: string): string | undefined {
  if (bytes.indexOf(0x0d) >= 0) return 'bare CR';
  if (bytes.indexOf(0x0a) >= 0) return 'bare LF';
  if (bytes.indexOf(0) >= 0) return 'NUL';
  if (!REPLY_CODE.test(line)) return 'no reply code';
  // RFC 5321 §4.2: the last line may be the code alone.
  if (line.length > 3 && line[3] !== ' ' && line[3] !== '-') return 'no SP or "-" after the code';
  return undefined;
}

/**
 * `"552 5.3.4"` or `"250"`: the code and enhanced status of a reply, for readable assertions.
 * Takes a received reply and a catalogue `Reply` of @smtpkit/reply alike.
 *
 * @example
 * ```ts
 * expect(replyStatus(await c.readReply())).toBe(replyStatus(replies.R552_5_3_4_MessageTooBig));
 * ```
 */
export function replyStatus(
  reply: { readonly code: number; readonly enhanced?: RawEnhancedStatus } | undefined,
): string {
  if (reply === undefined) return '(none)';
  const e = reply.enhanced;
  return e === undefined ? String(reply.code) : `${reply.code} ${e.class}.${e.subject}.${e.detail}`;
}

/**
 * The EHLO keywords (upper case) of an EHLO reply: the first word of every line after the first
 * (RFC 5321 §4.1.1.1: `ehlo-line = ehlo-keyword *( SP ehlo-param )`).
 *
 * @example
 * ```ts
 * expect(ehloKeywords(await c.command('EHLO client.example'))).toContain('STARTTLS');
 * ```
 */
export function ehloKeywords(reply: { readonly lines: readonly string[] }): string[] {
  return reply.lines.slice(1).map((line) => (line.split(' ')[0] ?? '').toUpperCase());
}
