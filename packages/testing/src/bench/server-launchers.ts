import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../peers/free-port.js';
import { runProcess } from '../peers/run-process.js';
import { type RunningServer, startSmtpSink } from '../peers/smtp-sink.js';
import { startServerProcess } from '../peers/start-server-process.js';
import { makeTempDir } from '../peers/temp-dir.js';
import { isCi } from '../peers.js';

export type { RunningServer } from '../peers/smtp-sink.js';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** Options shared by the benchmark server launchers. */
export interface SinkServerOptions {
  readonly host?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Bound on waiting for the server to listen. */
  readonly startTimeoutMs?: number;
}

/** SIGUSR2 to a server this module started (by PID); its handler runs a full GC. */
async function signalGc(pid: number): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
}

function missing(name: string): string | undefined {
  const reason = `'${name}' (devDependency of @smtpkit/testing) is not installed`;
  if (isCi()) throw new Error(`${reason} (CI=true: a missing peer is a failure)`);
  return reason;
}

/**
 * Why smtp-server cannot be loaded here, or undefined.
 *
 * @example
 * ```ts
 * describe.skipIf(smtpServerSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function smtpServerSkipReason(): string | undefined {
  try {
    require.resolve('smtp-server');
    return undefined;
  } catch {
    return missing('smtp-server');
  }
}

/**
 * Why Haraka cannot be loaded here, or undefined.
 *
 * @example
 * ```ts
 * describe.skipIf(harakaSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function harakaSkipReason(): string | undefined {
  try {
    require.resolve('Haraka/package.json');
    return undefined;
  } catch {
    return missing('Haraka');
  }
}

/**
 * Postfix's smtp-sink, the C reference (`smtp-sink -u nobody -m 5000 HOST:PORT 1024`): `-m` lifts
 * its default cap of 256 simultaneous connections so the idle-memory test can hold 1,000.
 *
 * @example
 * ```ts
 * const s = await startSmtpSinkServer();
 * await s.stop();
 * ```
 */
export function startSmtpSinkServer(options: SinkServerOptions = {}): Promise<RunningServer> {
  return startSmtpSink({
    maxConnections: 5000,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
  });
}

/** Options of {@link startSmtpServerSink}. */
export interface SmtpServerSinkOptions extends SinkServerOptions {
  /**
   * false: each session starts at once instead of after the fixed 100 ms smtp-server waits before
   * its greeting (its early-talker check in `SMTPConnection.init()`, not an option of its own),
   * patched at run time in the launched process. Default true: smtp-server as it ships.
   */
  readonly greetingWait?: boolean;
}

/**
 * nodemailer's smtp-server as a sink, in its own Node process (script
 * `servers/smtp-server-sink.mjs`: no AUTH, no STARTTLS, no logger, no reverse lookup), with its
 * 100 ms wait before the greeting or, `greetingWait: false`, without it (named
 * `smtp-server no wait`).
 *
 * @example
 * ```ts
 * const s = await startSmtpServerSink({ greetingWait: false });
 * console.log(s.pid, s.port);
 * await s.stop();
 * ```
 */
export async function startSmtpServerSink(
  options: SmtpServerSinkOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const script = join(here, 'servers', 'smtp-server-sink.mjs');
  const wait = options.greetingWait !== false;
  const name = wait ? 'smtp-server' : 'smtp-server no wait';
  const process = await startServerProcess(
    name,
    globalThis.process.execPath,
    ['--expose-gc', script, String(port), host, ...(wait ? [] : ['--no-greeting-wait'])],
    { host, port, timeoutMs: options.startTimeoutMs ?? 15_000 },
  );
  return {
    name,
    host,
    port,
    pid: process.pid,
    process,
    collectGarbage: () => signalGc(process.pid),
    stop: () => process.stop(),
  };
}

// The sink plugin: answers the reverse-DNS hook itself (no DNS lookup per connection on a loopback
// benchmark), accepts every recipient, and "queues" by discarding.
const HARAKA_SINK_PLUGIN = `// smtpkit benchmark sink: accept all mail and discard it.
// The benchmark asks for a full collection before reading RSS (node started with --expose-gc).
exports.register = function () {
  if (process.listenerCount('SIGUSR2') === 0) {
    const gc = require('vm').runInNewContext('typeof gc === "function" ? gc : undefined')
    if (gc) process.on('SIGUSR2', () => gc())
  }
}
exports.hook_lookup_rdns = function (next) { next(OK, 'localhost') }
exports.hook_rcpt = function (next) { next(OK) }
exports.hook_queue = function (next) { next(OK) }
`;

/**
 * Haraka configured as a sink in a temporary directory (`haraka -i DIR`, then a single plugin
 * that accepts every recipient and discards each message at the queue hook; log level CRIT; one
 * process, no cluster). The directory is removed by `stop()`.
 *
 * @example
 * ```ts
 * const s = await startHarakaSink();
 * await s.stop();
 * ```
 */
export async function startHarakaSink(options: SinkServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const harakaBin = join(dirname(require.resolve('Haraka/package.json')), 'bin', 'haraka');
  const dir = await makeTempDir('haraka');
  const config = join(dir.path, 'config');
  try {
    await runProcess(globalThis.process.execPath, [harakaBin, '-i', dir.path], {
      timeoutMs: 30_000,
    });
    await mkdir(join(dir.path, 'plugins'), { recursive: true });
    await Promise.all([
      // nodes=0: one process, no cluster. With Haraka's default (nodes unset = 1 cluster worker) the
      // work happens in a child process and the PID we hold would show neither its CPU nor its memory.
      writeFile(join(config, 'smtp.ini'), `listen=${host}:${port}\nnodes=0\n`),
      writeFile(join(config, 'plugins'), 'smtpkit_sink\n'),
      writeFile(join(config, 'log.ini'), '[main]\nlevel=crit\n'),
      writeFile(join(config, 'me'), 'haraka.bench.example\n'),
      writeFile(join(dir.path, 'plugins', 'smtpkit_sink.js'), HARAKA_SINK_PLUGIN),
    ]);
  } catch (e) {
    await dir.remove();
    throw e;
  }
  const process = await startServerProcess(
    'Haraka',
    globalThis.process.execPath,
    ['--expose-gc', harakaBin, '-c', dir.path],
    { host, port, timeoutMs: options.startTimeoutMs ?? 60_000, cleanup: () => dir.remove() },
  );
  return {
    name: 'Haraka',
    host,
    port,
    pid: process.pid,
    process,
    collectGarbage: () => signalGc(process.pid),
    async stop() {
      // Haraka shuts down on SIGINT; it ignores SIGTERM unless it is PID 1.
      await process.stop(5000, 'SIGINT');
      await dir.remove();
    },
  };
}
