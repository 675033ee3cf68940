// A raw-socket SMTP client for the attack tests: it writes exactly the bytes it is given (no
// dot-stuffing, no CRLF fixing, no command grouping) and reads replies with a timeout. Replies are
// parsed by @smtpkit/wire's ReplyReader into @smtpkit/reply values, so tests compare them with the
// catalogue (`replies.R552_5_3_4_MessageTooBig`) instead of hand-written strings.
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { formatEnhancedStatus, type Reply } from '@smtpkit/reply';
import { ReplyReader } from '@smtpkit/wire';

/** Options of {@link RawClient.connect}. */
export interface RawConnectOptions {
  readonly host?: string;
  /** Source address, e.g. `127.0.0.2` to look like a second peer on loopback. */
  readonly localAddress?: string;
  /** Bound on the TCP connect. Default 5 s. */
  readonly timeoutMs?: number;
}

/** Thrown by the helper when what the server did is not what a read asked for. */
export class RawClientError extends Error {
  readonly code: 'ERR_RAW_TIMEOUT' | 'ERR_RAW_CLOSED' | 'ERR_RAW_REPLY_SYNTAX';
  constructor(code: RawClientError['code'], message: string) {
    super(message);
    this.name = 'RawClientError';
    this.code = code;
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * One SMTP connection driven byte by byte.
 *
 * @example
 * ```ts
 * const c = await RawClient.connect(port);
 * expect((await c.readReply()).code).toBe(220);
 * await c.write('EHLO client.example\r\n');
 * const ehlo = await c.readReply();
 * c.destroy();
 * ```
 */
export class RawClient {
  /** Every reply read so far, in order. */
  readonly replies: Reply[] = [];
  private socket: Socket | TLSSocket;
  private reader = new ReplyReader({ maxLines: 1024 });
  private queue: Reply[] = [];
  private waiters: Array<() => void> = [];
  private isClosed = false;
  private closeWaiters: Array<() => void> = [];
  private syntaxError: string | undefined;
  /** Octets received in plaintext or after TLS, as counted by the helper. */
  receivedBytes = 0;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  /** Opens a TCP connection to `port` on loopback. */
  static connect(port: number, options: RawConnectOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({
        host: options.host ?? '127.0.0.1',
        port,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RawClientError('ERR_RAW_TIMEOUT', `connect to ${port} timed out`));
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      // Each write leaves as its own segment: tests that split input mean the split.
      socket.setNoDelay(true);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Opens a connection, reads the banner and sends `EHLO name`; resolves with the EHLO reply. */
  static async greeted(port: number, name = 'client.example'): Promise<RawClient> {
    const c = await RawClient.connect(port);
    const banner = await c.readReply();
    if (banner.code !== 220) {
      c.destroy();
      throw new RawClientError('ERR_RAW_REPLY_SYNTAX', `banner ${banner.code}`);
    }
    await c.write(`EHLO ${name}\r\n`);
    const ehlo = await c.readReply();
    if (ehlo.code !== 250) {
      c.destroy();
      throw new RawClientError('ERR_RAW_REPLY_SYNTAX', `EHLO answered ${ehlo.code}`);
    }
    return c;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Replies received and not yet read. */
  get pending(): number {
    return this.queue.length;
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', this.onData);
    socket.on('error', () => {
      // A reset by the server is a close for these tests; reads report it.
    });
    socket.on('close', () => {
      this.isClosed = true;
      for (const w of this.closeWaiters.splice(0)) w();
      for (const w of this.waiters.splice(0)) w();
    });
  }

  private onData = (chunk: Buffer): void => {
    this.receivedBytes += chunk.length;
    this.reader.push(chunk);
    for (let e = this.reader.next(); e.type !== 'need-data'; e = this.reader.next()) {
      if (e.type === 'reply') {
        this.queue.push(e.reply);
        this.replies.push(e.reply);
      } else {
        this.syntaxError = `unparsable reply from the server (${e.code})`;
      }
    }
    for (const w of this.waiters.splice(0)) w();
  };

  /** Writes the exact bytes given (a string is sent as UTF-8) and waits until they are flushed. */
  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) {
        reject(new RawClientError('ERR_RAW_CLOSED', 'write on a closed connection'));
        return;
      }
      this.socket.write(data, (e) => (e ? reject(e) : resolve()));
    });
  }

  /** Writes without waiting for the flush (a burst the server cannot read fast enough). */
  writeNoWait(data: string | Uint8Array): boolean {
    return this.socket.write(data);
  }

  /** The next reply; rejects on timeout or when the connection closes first. */
  async readReply(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.syntaxError !== undefined) {
        throw new RawClientError('ERR_RAW_REPLY_SYNTAX', this.syntaxError);
      }
      const reply = this.queue.shift();
      if (reply !== undefined) return reply;
      if (this.isClosed) throw new RawClientError('ERR_RAW_CLOSED', 'closed before a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new RawClientError('ERR_RAW_TIMEOUT', `no reply in ${timeoutMs} ms`);
      await this.wake(left);
    }
  }

  /** The next reply, or undefined when the connection closes (or nothing comes) first. */
  async readReplyOrClose(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Reply | undefined> {
    try {
      return await this.readReply(timeoutMs);
    } catch (e) {
      if (e instanceof RawClientError && e.code !== 'ERR_RAW_REPLY_SYNTAX') return undefined;
      throw e;
    }
  }

  /** `n` replies in order. */
  async readReplies(n: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Reply[]> {
    const out: Reply[] = [];
    for (let i = 0; i < n; i++) out.push(await this.readReply(timeoutMs));
    return out;
  }

  /**
   * Every reply that arrives until the line has been quiet for `quietMs` (or it closes), bounded
   * by `maxMs` in all: how a test proves that no *extra* reply was sent.
   */
  async drain(quietMs = 300, maxMs = DEFAULT_TIMEOUT_MS): Promise<Reply[]> {
    const out: Reply[] = [];
    const end = Date.now() + maxMs;
    for (;;) {
      const reply = this.queue.shift();
      if (reply !== undefined) {
        out.push(reply);
        continue;
      }
      if (this.isClosed || Date.now() >= end) return out;
      const before = this.queue.length;
      await this.wake(Math.min(quietMs, end - Date.now()));
      if (this.queue.length === before && !this.isClosed) return out;
    }
  }

  /** Resolves true when the server closes the connection within `timeoutMs`, else false. */
  waitClose(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<boolean> {
    if (this.isClosed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.isClosed), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Starts TLS on this connection (after the server's 220 to STARTTLS) with a client that accepts
   * the test's self-signed certificate. Replies already parsed stay readable; bytes that reach the
   * socket from now on are TLS records.
   */
  upgradeTls(options: { servername?: string; timeoutMs?: number } = {}): Promise<TLSSocket> {
    const plain = this.socket as Socket;
    plain.removeListener('data', this.onData);
    this.reader = new ReplyReader({ maxLines: 1024 });
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({
        socket: plain,
        rejectUnauthorized: false,
        servername: options.servername ?? 'localhost',
      });
      const timer = setTimeout(() => {
        secure.destroy();
        reject(new RawClientError('ERR_RAW_TIMEOUT', 'TLS handshake timed out'));
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.removeListener('error', reject);
        this.socket = secure;
        this.attach(secure);
        resolve(secure);
      });
      secure.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Ends our side; the server sees EOF. */
  end(): void {
    this.socket.end();
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private wake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }
}

/** `"552 5.3.4"` or `"250"`: code and enhanced status of a reply, for readable assertions. */
export function status(reply: Reply | undefined): string {
  if (reply === undefined) return '(none)';
  return reply.enhanced === undefined
    ? String(reply.code)
    : `${reply.code} ${formatEnhancedStatus(reply.enhanced)}`;
}

/** The EHLO keywords (upper case) of an EHLO reply: every line after the first, first word. */
export function ehloKeywords(reply: Reply): string[] {
  return reply.lines.slice(1).map((line) => (line.split(' ')[0] ?? '').toUpperCase());
}
