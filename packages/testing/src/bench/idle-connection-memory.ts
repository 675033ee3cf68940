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
  /**
   * Idle connections opened and held *before* the first RSS reading (default 0). A server whose
   * heap has free room left by its start-up fills that room first and shows almost no RSS growth;
   * holding some connections first measures the marginal cost instead.
   */
  readonly warmupConnections?: number;
  /** Runs before each RSS reading, e.g. `server.collectGarbage` so a GC'd server shows live memory. */
  readonly beforeReading?: () => Promise<void>;
}

/** What holding idle connections cost the server. */
export interface IdleMemoryResult {
  readonly connections: number;
  readonly warmupConnections: number;
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
  const warmup = options.warmupConnections ?? 0;
  if (
    !Number.isInteger(options.connections) ||
    !Number.isInteger(warmup) ||
    options.connections < 1 ||
    warmup < 0 ||
    options.connections + warmup > MAX_CONNECTIONS
  ) {
    throw new PeerError(
      'ERR_PEER_USAGE',
      `connections (1 or more) plus warmupConnections must be an integer of at most ${MAX_CONNECTIONS}`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const batch = options.batch ?? 100;
  const sockets = new Set<Socket>();
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, options.settleMs ?? 500));
  let rssBeforeKb = Number.NaN;
  let timer: NodeJS.Timeout | undefined;
  const openMany = async (count: number): Promise<void> => {
    for (let opened = 0; opened < count; opened += batch) {
      const n = Math.min(batch, count - opened);
      await Promise.all(Array.from({ length: n }, () => openIdle(host, options.port, sockets)));
    }
  };
  try {
    const open = (async () => {
      if (warmup > 0) {
        await openMany(warmup);
        await settle();
      }
      await options.beforeReading?.();
      rssBeforeKb = measureProcessRssKb(options.pid);
      await openMany(options.connections);
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
    await settle();
    await options.beforeReading?.();
    const rssAfterKb = measureProcessRssKb(options.pid);
    return {
      connections: options.connections,
      warmupConnections: warmup,
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
