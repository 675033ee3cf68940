// A small line-by-line SMTP client for tests that need exact control over each command (real
// clients cannot pause inside a transaction) or run where no real peer is installed. Every read is
// bounded in time.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** A reply as read off the wire: the code and the text of each line. */
export interface WireReply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** Options of {@link SmtpLineClient.connect}. */
export interface SmtpLineClientOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Connect with TLS from the first byte (RFC 8314), certificate not checked. */
  readonly implicitTls?: boolean;
}

const TIMEOUT_MS = 10_000;

/**
 * RFC 5321 §4.5.2: "Before sending a line of mail text, the SMTP client checks the first character
 * of the line. If it is a period, one additional period is inserted at the beginning of the line."
 *
 * @example
 * ```ts
 * dotStuff(Buffer.from('.hidden\r\nseen\r\n')).toString(); // '..hidden\r\nseen\r\n'
 * ```
 */
export function dotStuff(message: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < message.length) {
    const next = message.indexOf('\r\n', start);
    const end = next === -1 ? message.length : next + 2;
    if (message[start] === 0x2e) parts.push(Buffer.from('.'));
    parts.push(message.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}

/**
 * One SMTP session over 127.0.0.1 (or `host`): write a line, read the reply.
 *
 * @example
 * ```ts
 * const c = await SmtpLineClient.connect(port);
 * await c.reply();                        // { code: 220, lines: [...] }
 * await c.command('EHLO client.example'); // { code: 250, lines: [...] }
 * c.end();
 * ```
 */
export class SmtpLineClient {
  #socket: Socket;
  #buffer = '';
  readonly #lines: string[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  /** Connects; rejects if the connection (or the TLS handshake) is not up within 10 s. */
  static async connect(port: number, options: SmtpLineClientOptions = {}): Promise<SmtpLineClient> {
    const host = options.host ?? '127.0.0.1';
    const socket: Socket = await new Promise((resolve, reject) => {
      const s =
        options.implicitTls === true
          ? tlsConnect({ host, port, rejectUnauthorized: false })
          : netConnect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect ${host}:${port} timed out`));
      }, TIMEOUT_MS);
      s.once(options.implicitTls === true ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    return new SmtpLineClient(socket);
  }

  #attach(socket: Socket): void {
    socket.on('data', (b: Buffer) => {
      this.#buffer += b.toString('latin1');
      for (let i = this.#buffer.indexOf('\r\n'); i !== -1; i = this.#buffer.indexOf('\r\n')) {
        this.#lines.push(this.#buffer.slice(0, i));
        this.#buffer = this.#buffer.slice(i + 2);
      }
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  /** Waits up to `ms` for data or close. */
  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async #line(): Promise<string> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (this.#lines.length === 0) {
      if (this.#closed) throw new Error('connection closed while waiting for a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await this.#pause(left);
    }
    return this.#lines.shift() as string;
  }

  /** Reads one (possibly multi-line) reply, RFC 5321 §4.2.1. */
  async reply(): Promise<WireReply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.#line();
      lines.push(line.slice(4));
      if (line.charAt(3) !== '-') return { code: Number(line.slice(0, 3)), lines };
    }
  }

  /** Writes raw bytes (no CRLF added). */
  write(bytes: string | Buffer): void {
    this.#socket.write(bytes);
  }

  /** Sends one command line and reads its reply. */
  async command(line: string): Promise<WireReply> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** DATA, the dot-stuffed message and the terminator; resolves with the reply after `.`. */
  async data(message: Buffer): Promise<WireReply> {
    const go = await this.command('DATA');
    if (go.code !== 354) return go;
    this.write(Buffer.concat([dotStuff(message), Buffer.from('.\r\n')]));
    return this.reply();
  }

  /** STARTTLS (RFC 3207) and the TLS handshake, certificate not checked. */
  async startTls(): Promise<WireReply> {
    const r = await this.command('STARTTLS');
    if (r.code !== 220) return r;
    const plain = this.#socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    this.#socket = await new Promise<Socket>((resolve, reject) => {
      const s = tlsConnect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
    this.#attach(this.#socket);
    return r;
  }

  /** Resolves when the server has closed the connection (bounded). */
  async closed(): Promise<void> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (!this.#closed) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await this.#pause(50);
    }
  }

  /** Destroys the socket. */
  end(): void {
    this.#socket.destroy();
  }
}
