import net from 'node:net';

/**
 * A tiny line-oriented test client: `send` raw bytes, `read` until a complete reply (or N
 * replies) arrived. For this package's own socket tests only.
 */
export class TestClient {
  readonly socket: net.Socket;
  #buffer = '';
  #waiters: Array<() => void> = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.#buffer += d;
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => resolve(new TestClient(socket)));
      socket.once('error', reject);
    });
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  send(text: string | Uint8Array): void {
    this.socket.write(text);
  }

  /** Waits for `count` complete replies and returns their lines (CRLF removed). */
  async replies(count = 1, timeoutMs = 5000): Promise<string[][]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseReplies(this.#buffer);
      if (parsed.replies.length >= count) {
        const out = parsed.replies.slice(0, count);
        this.#buffer = this.#buffer.slice(parsed.offsets[count - 1]);
        return out;
      }
      if (this.closed) throw new Error(`closed; buffer: ${JSON.stringify(this.#buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; buffer: ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The reply codes of the next `count` replies. */
  async codes(count = 1): Promise<number[]> {
    return (await this.replies(count)).map((r) => Number((r[r.length - 1] as string).slice(0, 3)));
  }

  /** Resolves when the server closed the connection. */
  async waitClosed(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('not closed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.#buffer;
  }

  close(): void {
    this.socket.destroy();
  }
}

function parseReplies(text: string): { replies: string[][]; offsets: number[] } {
  const replies: string[][] = [];
  const offsets: number[] = [];
  let current: string[] = [];
  let pos = 0;
  for (;;) {
    const end = text.indexOf('\r\n', pos);
    if (end === -1) break;
    const line = text.slice(pos, end);
    pos = end + 2;
    current.push(line);
    if (line.charAt(3) !== '-') {
      replies.push(current);
      offsets.push(pos);
      current = [];
    }
  }
  return { replies, offsets };
}
