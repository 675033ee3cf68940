// The one raw SMTP client of smtpkit's tests. It writes exactly the bytes it is given (no
// dot-stuffing, no CRLF fixing, no command grouping unless asked), reads replies strictly, and
// bounds every wait, so a test can say what a real client cannot: a pause inside a transaction, a
// split inside a command, pipelined bytes after STARTTLS, a half-close, a burst the server must
// not read.
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { dotStuff } from './dot-stuff.js';
import { type RawReply, RawReplyReader } from './raw-reply.js';

/**
 * Options of {@link RawSmtpClient.connect}.
 *
 * @example
 * ```ts
 * await RawSmtpClient.connect(port, { host: '::1', implicitTls: true, timeoutMs: 10_000 });
 * ```
 */
export interface RawSmtpClientOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Source address, e.g. `127.0.0.2` to look like a second peer on loopback. */
  readonly localAddress?: string;
  /** TLS from the first byte (RFC 8314), certificate not checked. */
  readonly implicitTls?: boolean;
  /** SNI name sent with implicit TLS; none unless given. */
  readonly servername?: string;
  /**
   * Bound on connecting (and the TLS handshake), and the default bound of every later wait on this
   * connection: reads, {@link RawSmtpClient.waitClose}, {@link RawSmtpClient.upgradeTls}. Default 5 s.
   */
  readonly timeoutMs?: number;
}

/** Options of {@link RawSmtpClient.greeted}: those of `connect`, and the EHLO name. */
export interface RawSmtpGreetedOptions extends RawSmtpClientOptions {
  /** Default `client.example`. */
  readonly ehloName?: string;
}

/** What went wrong in a {@link RawSmtpClientError}. */
export type RawSmtpClientErrorCode = 'ERR_RAW_TIMEOUT' | 'ERR_RAW_CLOSED' | 'ERR_RAW_REPLY_SYNTAX';

/**
 * Thrown when what the peer did is not what the test waited for: nothing came in time
 * (`ERR_RAW_TIMEOUT`), the connection closed first (`ERR_RAW_CLOSED`), or a reply line broke
 * RFC 5321 §4.2 (`ERR_RAW_REPLY_SYNTAX`; every later read throws it too).
 *
 * @example
 * ```ts
 * await expect(c.readReply(200)).rejects.toMatchObject({ code: 'ERR_RAW_TIMEOUT' });
 * ```
 */
export class RawSmtpClientError extends Error {
  readonly code: RawSmtpClientErrorCode;
  constructor(code: RawSmtpClientErrorCode, message: string) {
    super(message);
    this.name = 'RawSmtpClientError';
    this.code = code;
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * One SMTP connection over TCP or TLS, driven byte by byte: `write` the exact bytes (awaiting the
 * flush) or `writeNoWait`, read whole replies (multi-line ones as one, RFC 5321 §4.2.1), `command`
 * and `data` for the plain steps, `startTls`/`upgradeTls` (RFC 3207), `end` to half-close and
 * `waitClose` to see the server close. Replies are {@link RawReply} values, shaped like
 * @smtpkit/reply's `Reply`, with the lines as received in `raw`.
 *
 * @example
 * ```ts
 * import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
 *
 * const c = await RawSmtpClient.connect(port);
 * expect((await c.readReply()).code).toBe(220);
 * await c.write('EHLO client.example\r\nMAIL FROM:<a@example.com>\r\n'); // pipelined
 * expect(await c.readCodes(2)).toEqual([250, 250]);
 * expect((await c.command('RCPT TO:<b@example.com>')).code).toBe(250);
 * expect((await c.data(Buffer.from('Subject: hi\r\n\r\n.dot\r\n'))).code).toBe(250);
 * c.end(); // half-close: the server reads EOF and may still answer
 * expect(await c.waitClose()).toBe(true);
 * ```
 */
export class RawSmtpClient {
  /** Every reply received so far, read or not, in order. */
  readonly replies: RawReply[] = [];
  /** Octets received, before TLS and (decrypted) after. */
  receivedBytes = 0;
  #socket: Socket | TLSSocket;
  #reader = new RawReplyReader();
  readonly #queue: RawReply[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly #timeoutMs: number;
  #closed = false;
  #syntaxError: string | undefined;

  private constructor(socket: Socket | TLSSocket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#attach(socket);
  }

  /** Connects to `port` on loopback (or `host`); rejects if not up within `timeoutMs`. */
  static connect(port: number, options: RawSmtpClientOptions = {}): Promise<RawSmtpClient> {
    const host = options.host ?? '127.0.0.1';
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const local = options.localAddress === undefined ? {} : { localAddress: options.localAddress };
    return new Promise((resolve, reject) => {
      const socket =
        options.implicitTls === true
          ? tlsConnect({
              host,
              port,
              ...local,
              rejectUnauthorized: false,
              ...(options.servername === undefined ? {} : { servername: options.servername }),
            })
          : netConnect({ host, port, ...local });
      // Each write leaves as its own segment: tests that split input mean the split.
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RawSmtpClientError('ERR_RAW_TIMEOUT', `connect to ${host}:${port} timed out`));
      }, timeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once('error', fail);
      socket.once(options.implicitTls === true ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', fail);
        resolve(new RawSmtpClient(socket, timeoutMs));
      });
    });
  }

  /** Connects, reads the 220 banner and sends EHLO; rejects unless they are 220 and 250. */
  static async greeted(port: number, options: RawSmtpGreetedOptions = {}): Promise<RawSmtpClient> {
    const c = await RawSmtpClient.connect(port, options);
    const banner = await c.readReply();
    if (banner.code !== 220) {
      c.destroy();
      throw new RawSmtpClientError('ERR_RAW_REPLY_SYNTAX', `banner ${banner.code}`);
    }
    const ehlo = await c.command(`EHLO ${options.ehloName ?? 'client.example'}`);
    if (ehlo.code !== 250) {
      c.destroy();
      throw new RawSmtpClientError('ERR_RAW_REPLY_SYNTAX', `EHLO answered ${ehlo.code}`);
    }
    return c;
  }

  /** The socket in use: the TLS one after {@link upgradeTls}. */
  get socket(): Socket | TLSSocket {
    return this.#socket;
  }

  /** Whether the connection has closed (either side). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Replies received and not yet read. */
  get pending(): number {
    return this.#queue.length;
  }

  #attach(socket: Socket | TLSSocket): void {
    socket.on('data', this.#onData);
    // A reset by the server is a close for these tests; reads and waitClose report it.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  readonly #onData = (chunk: Buffer): void => {
    this.receivedBytes += chunk.length;
    this.#reader.push(chunk);
    for (let e = this.#reader.next(); e.type !== 'need-data'; e = this.#reader.next()) {
      if (e.type === 'reply') {
        this.#queue.push(e.reply);
        this.replies.push(e.reply);
      } else {
        this.#syntaxError ??= `unparsable reply line (${e.reason}): ${JSON.stringify(e.line)}`;
      }
    }
    this.#wake();
  };

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves on the next data or close, or after `ms`. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const i = this.#waiters.indexOf(done);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.push(done);
    });
  }

  /** Writes the exact bytes given (a string as UTF-8); resolves once they are flushed. */
  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#socket.destroyed) {
        reject(new RawSmtpClientError('ERR_RAW_CLOSED', 'write on a closed connection'));
        return;
      }
      this.#socket.write(data, (e) => (e ? reject(e) : resolve()));
    });
  }

  /**
   * Writes without waiting for the flush: a burst the server will not read, or bytes sent on a
   * connection the server may already be closing. Returns what `socket.write` returns.
   */
  writeNoWait(data: string | Uint8Array): boolean {
    return this.#socket.write(data);
  }

  /** Sends one command line (CRLF added) and reads its reply. */
  command(line: string, timeoutMs = this.#timeoutMs): Promise<RawReply> {
    this.writeNoWait(`${line}\r\n`);
    return this.readReply(timeoutMs);
  }

  /**
   * DATA, then the message dot-stuffed (RFC 5321 §4.5.2) and `.` CRLF; resolves with the reply
   * after the dot, or with the reply to DATA when it is not 354.
   */
  async data(message: Buffer, timeoutMs = this.#timeoutMs): Promise<RawReply> {
    const go = await this.command('DATA', timeoutMs);
    if (go.code !== 354) return go;
    this.writeNoWait(Buffer.concat([dotStuff(message), Buffer.from('.\r\n')]));
    return this.readReply(timeoutMs);
  }

  /** The next reply; rejects on timeout, when the connection closes first, or on a syntax error. */
  async readReply(timeoutMs = this.#timeoutMs): Promise<RawReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#syntaxError !== undefined) {
        throw new RawSmtpClientError('ERR_RAW_REPLY_SYNTAX', this.#syntaxError);
      }
      const reply = this.#queue.shift();
      if (reply !== undefined) return reply;
      const unparsed = JSON.stringify(this.#reader.unparsed);
      if (this.#closed) {
        throw new RawSmtpClientError(
          'ERR_RAW_CLOSED',
          `closed before a reply; unparsed ${unparsed}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new RawSmtpClientError(
          'ERR_RAW_TIMEOUT',
          `no reply in ${timeoutMs} ms; unparsed ${unparsed}`,
        );
      }
      await this.#pause(left);
    }
  }

  /** The next reply, or undefined when the connection closes (or nothing comes) first. */
  async readReplyOrClose(timeoutMs = this.#timeoutMs): Promise<RawReply | undefined> {
    try {
      return await this.readReply(timeoutMs);
    } catch (e) {
      if (e instanceof RawSmtpClientError && e.code !== 'ERR_RAW_REPLY_SYNTAX') return undefined;
      throw e;
    }
  }

  /** `n` replies in order, each bounded by `timeoutMs`. */
  async readReplies(n: number, timeoutMs = this.#timeoutMs): Promise<RawReply[]> {
    const out: RawReply[] = [];
    for (let i = 0; i < n; i++) out.push(await this.readReply(timeoutMs));
    return out;
  }

  /** The codes of the next `n` replies (default 1). */
  async readCodes(n = 1, timeoutMs = this.#timeoutMs): Promise<number[]> {
    return (await this.readReplies(n, timeoutMs)).map((r) => r.code);
  }

  /**
   * Every reply that arrives until the line has been quiet for `quietMs` (or it closes), bounded
   * by `maxMs` in all: how a test proves that no *extra* reply was sent.
   */
  async drain(quietMs = 300, maxMs = this.#timeoutMs): Promise<RawReply[]> {
    const out: RawReply[] = [];
    const end = Date.now() + maxMs;
    for (;;) {
      const reply = this.#queue.shift();
      if (reply !== undefined) {
        out.push(reply);
        continue;
      }
      if (this.#closed || Date.now() >= end) return out;
      const before = this.#queue.length;
      await this.#pause(Math.min(quietMs, end - Date.now()));
      if (this.#queue.length === before && !this.#closed) return out;
    }
  }

  /** Resolves true when the connection closes within `timeoutMs`, else false. */
  async waitClose(timeoutMs = this.#timeoutMs): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.#pause(left);
    }
    return true;
  }

  /**
   * Starts TLS on this connection (after the server's 220 to STARTTLS, RFC 3207 §4) with a client
   * that accepts the test's self-signed certificate. Replies already parsed stay readable; bytes
   * received before the handshake and not yet a whole reply are dropped. Default SNI `localhost`.
   */
  upgradeTls(options: { servername?: string; timeoutMs?: number } = {}): Promise<TLSSocket> {
    const plain = this.#socket;
    plain.removeListener('data', this.#onData);
    this.#reader = new RawReplyReader();
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({
        socket: plain,
        rejectUnauthorized: false,
        servername: options.servername ?? 'localhost',
      });
      const timer = setTimeout(() => {
        secure.destroy();
        reject(new RawSmtpClientError('ERR_RAW_TIMEOUT', 'TLS handshake timed out'));
      }, options.timeoutMs ?? this.#timeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(e);
      };
      secure.once('error', fail);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.removeListener('error', fail);
        this.#socket = secure;
        this.#attach(secure);
        resolve(secure);
      });
    });
  }

  /**
   * STARTTLS and, when the server answers 220, the TLS handshake ({@link upgradeTls}); resolves
   * with the server's reply to STARTTLS either way.
   */
  async startTls(): Promise<RawReply> {
    const r = await this.command('STARTTLS');
    if (r.code === 220) await this.upgradeTls();
    return r;
  }

  /** Half-closes: sends FIN (`socket.end()`); the server reads EOF and replies can still arrive. */
  end(): void {
    this.#socket.end();
  }

  /** Closes the connection at once (`socket.destroy()`). */
  destroy(): void {
    this.#socket.destroy();
  }
}
