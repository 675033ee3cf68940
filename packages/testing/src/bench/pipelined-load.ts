import { createConnection, type Socket } from 'node:net';
import { PeerError } from '../peers/peer-error.js';

/** Options of {@link runPipelinedLoad}. */
export interface PipelinedLoadOptions {
  readonly host?: string;
  readonly port: number;
  /** Connections open at once. */
  readonly sessions: number;
  /** Messages per connection before its QUIT (the last connection may carry fewer). */
  readonly messagesPerSession: number;
  /** Body bytes per message, headers included (rounded to whole 78-octet lines). */
  readonly messageSize: number;
  /** Messages in the whole load. */
  readonly totalMessages: number;
  /** Bound on the whole load; every socket is destroyed past it. */
  readonly timeoutMs: number;
}

/** What a pipelined load achieved. */
export interface PipelinedLoadResult {
  /** Messages the server accepted (any other reply fails the load). */
  readonly messages: number;
  readonly connections: number;
  readonly seconds: number;
  readonly rate: number;
}

/** One complete reply: its code and its lines' text. */
interface ReadReply {
  readonly code: number;
  readonly text: string;
}

/**
 * Reads replies off a socket: RFC 5321 §4.2, a reply is lines of `code-text` ending with one of
 * `code text` (or the bare code).
 */
class ReplyReader {
  #buffer = '';
  #lines: string[] = [];
  readonly #replies: ReadReply[] = [];
  #waiter: { n: number; resolve: (r: ReadReply[]) => void; reject: (e: Error) => void } | undefined;
  #failure: Error | undefined;

  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.#read(text));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new PeerError('ERR_PEER_OUTPUT', 'connection closed')));
  }

  /** The next `n` replies. */
  take(n: number): Promise<ReadReply[]> {
    if (this.#replies.length >= n) return Promise.resolve(this.#replies.splice(0, n));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiter = { n, resolve, reject };
    });
  }

  fail(error: Error): void {
    this.#failure ??= error;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(this.#failure);
  }

  #read(text: string): void {
    this.#buffer += text;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n');
      if (end < 0) break;
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#lines.push(line);
      if (line.length === 3 || line[3] === ' ') {
        this.#replies.push({ code: Number(line.slice(0, 3)), text: this.#lines.join('\n') });
        this.#lines = [];
      }
    }
    const w = this.#waiter;
    if (w !== undefined && this.#replies.length >= w.n) {
      this.#waiter = undefined;
      w.resolve(this.#replies.splice(0, w.n));
    }
  }
}

/** A message body of about `size` octets: a few headers, then 78-octet lines that need no stuffing. */
function messageBody(size: number): Buffer {
  const head = 'From: <load@example.com>\r\nTo: <sink@example.com>\r\nSubject: load\r\n\r\n';
  const line = `${'x'.repeat(76)}\r\n`;
  const lines = Math.max(1, Math.round((size - head.length) / line.length));
  return Buffer.from(`${head}${line.repeat(lines)}.\r\n`, 'latin1');
}

function expectCodes(replies: readonly ReadReply[], codes: readonly number[]): void {
  for (let i = 0; i < codes.length; i++) {
    const r = replies[i];
    if (r?.code !== codes[i]) {
      throw new PeerError(
        'ERR_PEER_OUTPUT',
        `expected ${codes[i]}, got ${r === undefined ? 'nothing' : JSON.stringify(r.text)}`,
      );
    }
  }
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new PeerError('ERR_PEER_USAGE', `runPipelinedLoad ${name} must be a positive integer`);
  }
}

const ENVELOPE = Buffer.from(
  'MAIL FROM:<load@example.com>\r\nRCPT TO:<sink@example.com>\r\nDATA\r\n',
  'latin1',
);
const QUIT = Buffer.from('QUIT\r\n', 'latin1');

/**
 * A load that pipelines, as Postfix's smtp client does and smtp-source does not (its man page:
 * "No SMTP command pipelining support"): after EHLO (the server must offer PIPELINING), each
 * message is one group `MAIL`, `RCPT`, `DATA` in one write (RFC 2920 §3.1: DATA may end a group),
 * then the body with its end-of-data line, and after a connection's last message its `QUIT`, in
 * one write. Runs in this process, for counting what a server does per message (its system calls
 * under `strace -c`), not for rates: the load's own CPU is this process's.
 *
 * @example
 * ```ts
 * const r = await runPipelinedLoad({ port, sessions: 20, messagesPerSession: 100,
 *   messageSize: 1024, totalMessages: 2000, timeoutMs: 60_000 });
 * console.log(r.messages, r.connections);
 * ```
 */
export async function runPipelinedLoad(
  options: PipelinedLoadOptions,
): Promise<PipelinedLoadResult> {
  checkCount('sessions', options.sessions);
  checkCount('messagesPerSession', options.messagesPerSession);
  checkCount('totalMessages', options.totalMessages);
  checkCount('messageSize', options.messageSize);
  const host = options.host ?? '127.0.0.1';
  const body = messageBody(options.messageSize);
  const bodyAndQuit = Buffer.concat([body, QUIT]);
  const sockets = new Set<Socket>();
  let unassigned = options.totalMessages;
  let accepted = 0;
  let connections = 0;
  let timedOut = false;

  async function connection(messages: number): Promise<void> {
    const socket = createConnection({ host, port: options.port, noDelay: true });
    sockets.add(socket);
    connections += 1;
    const replies = new ReplyReader(socket);
    try {
      expectCodes(await replies.take(1), [220]);
      socket.write('EHLO load.example\r\n');
      const [ehlo] = await replies.take(1);
      expectCodes(ehlo === undefined ? [] : [ehlo], [250]);
      if (!/^250[- ]PIPELINING$/im.test(ehlo?.text ?? '')) {
        throw new PeerError('ERR_PEER_OUTPUT', 'the server does not offer PIPELINING');
      }
      for (let i = 0; i < messages; i++) {
        socket.write(ENVELOPE);
        expectCodes(await replies.take(3), [250, 250, 354]);
        const last = i === messages - 1;
        socket.write(last ? bodyAndQuit : body);
        expectCodes(await replies.take(last ? 2 : 1), last ? [250, 221] : [250]);
        accepted += 1;
      }
      await new Promise<void>((resolve) => {
        if (socket.destroyed) resolve();
        else socket.once('close', () => resolve());
        socket.end();
      });
    } finally {
      socket.destroy();
      sockets.delete(socket);
    }
  }

  async function session(): Promise<void> {
    while (unassigned > 0 && !timedOut) {
      const n = Math.min(options.messagesPerSession, unassigned);
      unassigned -= n;
      await connection(n);
    }
  }

  const started = performance.now();
  const timer = setTimeout(() => {
    timedOut = true;
    for (const s of sockets) s.destroy(new PeerError('ERR_PEER_TIMEOUT', 'load timed out'));
  }, options.timeoutMs);
  try {
    await Promise.all(Array.from({ length: options.sessions }, () => session()));
  } catch (e) {
    for (const s of sockets) s.destroy();
    throw timedOut
      ? new PeerError('ERR_PEER_TIMEOUT', `load not finished within ${options.timeoutMs} ms`)
      : e;
  } finally {
    clearTimeout(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  return { messages: accepted, connections, seconds, rate: accepted / seconds };
}
