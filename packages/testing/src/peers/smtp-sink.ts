import { peerSkipReason } from '../peers.js';
import { freePort } from './free-port.js';
import type { ManagedProcess } from './run-process.js';
import { startServerProcess } from './start-server-process.js';

/** Postfix's sink, in /usr/sbin. */
export const SMTP_SINK = '/usr/sbin/smtp-sink';

/** Options of {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  readonly host?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** The listen backlog (smtp-sink's required last argument). Default 1024. */
  readonly backlog?: number;
  /** `-u`: smtp-sink refuses to run as root without it. Default `nobody`. */
  readonly user?: string;
  /** `-d template`: dump each transaction to a file (strftime template; the dir must be writable by `user`). */
  readonly dumpTemplate?: string;
  /** `-m`: simultaneous connections served (smtp-sink's default is 256; excess ones wait in the backlog). */
  readonly maxConnections?: number;
  /**
   * `-c`: smtp-sink keeps running counters (sessions, QUITs, messages), written to this file
   * (created or truncated; best on tmpfs such as /dev/shm) instead of a pipe to this process.
   * Read the message count with {@link readSmtpSinkCount}.
   */
  readonly counterFile?: string;
  /** More options, placed before the address. */
  readonly extraArgs?: readonly string[];
  /** Bound on waiting for the port to open. Default 10 s. */
  readonly startTimeoutMs?: number;
}

/** A running server under test: its PID (for CPU and memory readings), its port, and how to stop it. */
export interface RunningServer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly process: ManagedProcess;
  /**
   * For servers with a garbage collector: asks the server process for a full collection (by a
   * signal to its PID) and resolves after it, so RSS readings count live memory.
   */
  readonly collectGarbage?: () => Promise<void>;
  stop(): Promise<void>;
}

/**
 * Why smtp-sink cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(smtpSinkSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function smtpSinkSkipReason(): string | undefined {
  return peerSkipReason(SMTP_SINK, ['-h']);
}

/**
 * Starts Postfix's smtp-sink as a reference server (`smtp-sink -u nobody 127.0.0.1:PORT backlog`)
 * and waits until it accepts connections. Stop it with `stop()` (by PID).
 *
 * @example
 * ```ts
 * const sink = await startSmtpSink();
 * await runSmtpSource({ port: sink.port, messages: 100, timeoutMs: 30_000 });
 * await sink.stop();
 * ```
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const args = ['-u', options.user ?? 'nobody'];
  if (options.dumpTemplate !== undefined) args.push('-d', options.dumpTemplate);
  if (options.maxConnections !== undefined) args.push('-m', String(options.maxConnections));
  if (options.counterFile !== undefined) args.push('-c');
  args.push(...(options.extraArgs ?? []), `${host}:${port}`, String(options.backlog ?? 1024));
  const process = await startServerProcess('smtp-sink', SMTP_SINK, args, {
    host,
    port,
    timeoutMs: options.startTimeoutMs ?? 10_000,
    ...(options.counterFile === undefined ? {} : { stdoutFile: options.counterFile }),
  });
  return { name: 'smtp-sink', host, port, pid: process.pid, process, stop: () => process.stop() };
}
