// A small line-by-line SMTP client for the sink's own tests, so they run where no real peer is
// installed (the interop tests in packages/server/test/interop use swaks, smtplib, curl …).
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** A reply as read off the wire: the code and the text of each line. */
export interface WireReply {
  readonly code: number;
  readonly lines: readonly string[];
}

const TIMEOUT_MS = 10_000;

// RFC 5321 §4.5.2: a line of the message that starts with "." gets one more "." in front.
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

/** One SMTP session: write a line, read the reply, with every read bounded in time. */
export class SmtpDialogue {
  #socket: Socket;
  #buffer = '';
  #lines: string[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  static async connect(
    port: number,
    options: { host?: string; implicitTls?: boolean } = {},
  ): Promise<SmtpDialogue> {
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
    return new SmtpDialogue(socket);
  }

  #attach(socket: Socket): void {
    socket.on('data', (b: Buffer) => {
      this.#buffer += b.toString('latin1');
      for (;;) {
        const i = this.#buffer.indexOf('\r\n');
        if (i === -1) break;
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

  async #line(): Promise<string> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (this.#lines.length === 0) {
      if (this.#closed) throw new Error('connection closed while waiting for a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  end(): void {
    this.#socket.destroy();
  }
}
