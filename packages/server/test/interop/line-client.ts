// A minimal line-by-line SMTP client for interop tests that need exact timing between commands
// (real clients cannot pause inside a transaction). Every read is bounded.
import { connect, type Socket } from 'node:net';

const TIMEOUT_MS = 10_000;

// RFC 5321 §4.5.2: a line that starts with "." is sent with one more "." in front.
export function dotStuffForTest(message: Buffer): Buffer {
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

/** One connection: write lines, read (multi-line) replies as code and texts. */
export class LineClient {
  readonly #socket: Socket;
  #buffer = '';
  readonly #lines: string[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (b: Buffer) => {
      this.#buffer += b.toString('latin1');
      for (let i = this.#buffer.indexOf('\r\n'); i !== -1; i = this.#buffer.indexOf('\r\n')) {
        this.#lines.push(this.#buffer.slice(0, i));
        this.#buffer = this.#buffer.slice(i + 2);
      }
      this.#wake?.();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timed out'));
      }, TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new LineClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  async #line(): Promise<string> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (this.#lines.length === 0) {
      if (this.#closed) throw new Error('connection closed while waiting for a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          this.#wake = undefined;
          resolve();
        };
      });
    }
    return this.#lines.shift() as string;
  }

  async reply(): Promise<{ code: number; lines: string[] }> {
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

  async command(line: string): Promise<{ code: number; lines: string[] }> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  end(): void {
    this.#socket.destroy();
  }
}
