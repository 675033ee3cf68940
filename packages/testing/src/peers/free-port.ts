import { createConnection, createServer } from 'node:net';
import { PeerError } from './peer-error.js';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: listen on port 0, read the port, close.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Options of {@link waitForPort}. */
export interface WaitForPortOptions {
  readonly host?: string;
  readonly timeoutMs: number;
  /** Pause between attempts, default 50 ms. */
  readonly intervalMs?: number;
  /** The server's exit: when it settles first, waiting stops at once (the server died). */
  readonly exited?: Promise<unknown>;
}

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once something accepts TCP connections on `host:port`; rejects with ERR_PEER_START after
 * `timeoutMs`. Note that connecting counts as a session for servers that count them.
 *
 * @example
 * ```ts
 * await waitForPort(port, { timeoutMs: 5000 });
 * ```
 */
export async function waitForPort(port: number, options: WaitForPortOptions): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  const deadline = performance.now() + options.timeoutMs;
  let died = false;
  void options.exited?.then(() => {
    died = true;
  });
  for (;;) {
    if (await tryConnect(host, port)) return;
    if (died)
      throw new PeerError(
        'ERR_PEER_START',
        `the server exited before listening on ${host}:${port}`,
      );
    if (performance.now() > deadline) {
      throw new PeerError(
        'ERR_PEER_START',
        `nothing listens on ${host}:${port} after ${options.timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
