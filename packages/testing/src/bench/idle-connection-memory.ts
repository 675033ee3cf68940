import { createConnection, type Socket } from 'node:net';
import { PeerError } from '../peers/peer-error.js';
import { measureProcessRssKb } from './process-cpu.js';

/** Options of {@link measureIdleConnectionMemory}. */
export interface IdleMemoryOptions {
  readonly host?: string;
  readonly port: number;
  /** The server process whose RSS is read. */
  readonly pid: number;
  /** Idle connections to hold, at most 5,000. */
  readonly connections: number;
  /** Bound on opening all connections and reading their banners. */
  readonly timeoutMs: number;
  /** Pause after the last banner before reading RSS again. Default 500 ms. */
  readonly settleMs?: number;
  /** Connections opened at once while ramping up. Default 100. */
  readonly batch?: number;
}

/** What holding idle connections cost the server. */
export interface IdleMemoryResult {
  readonly connections: number;
  readonly rssBeforeKb: number;
  readonly rssAfterKb: number;
  /** (after − before) / connections, in KiB. */
  readonly kbPerConnection: number;
}

const MAX_CONNECTIONS = 5000;

function openIdle(host: string, port: number, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    sockets.add(socket);
    // Read the banner, then sit: nothing more is sent.
    socket.once('data', () => resolve());
    socket.once('error', (e) => reject(e));
    socket.once('close', () =>
      reject(new PeerError('ERR_PEER_OUTPUT', 'server closed an idle connection')),
    );
  });
}

/**
 * Opens N connections that read the banner and then sit idle, and reports how much the server's
 * resident memory (VmRSS) grew per connection. All sockets are closed before it returns.
 *
 * @example
 * ```ts
 * const m = await measureIdleConnectionMemory({ port: server.port, pid: server.pid,
 *   connections: 1000, timeoutMs: 30_000 });
 * console.log(`${m.kbPerConnection.toFixed(1)} KiB per idle connection`);
 * ```
 */
export async function measureIdleConnectionMemory(
  options: IdleMemoryOptions,
): Promise<IdleMemoryResult> {
  if (
    !Number.isInteger(options.connections) ||
    options.connections < 1 ||
    options.connections > MAX_CONNECTIONS
  ) {
    throw new PeerError(
      'ERR_PEER_USAGE',
      `connections must be an integer from 1 to ${MAX_CONNECTIONS}`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const batch = options.batch ?? 100;
  const sockets = new Set<Socket>();
  const rssBeforeKb = measureProcessRssKb(options.pid);
  let timer: NodeJS.Timeout | undefined;
  try {
    const open = (async () => {
      for (let opened = 0; opened < options.connections; opened += batch) {
        const n = Math.min(batch, options.connections - opened);
        await Promise.all(Array.from({ length: n }, () => openIdle(host, options.port, sockets)));
      }
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PeerError(
              'ERR_PEER_TIMEOUT',
              `idle connections not all open after ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
    });
    await Promise.race([open, timeout]);
    await new Promise((r) => setTimeout(r, options.settleMs ?? 500));
    const rssAfterKb = measureProcessRssKb(options.pid);
    return {
      connections: options.connections,
      rssBeforeKb,
      rssAfterKb,
      kbPerConnection: (rssAfterKb - rssBeforeKb) / options.connections,
    };
  } finally {
    clearTimeout(timer);
    for (const s of sockets) {
      s.removeAllListeners('close');
      s.on('error', () => {});
      s.destroy();
    }
  }
}
