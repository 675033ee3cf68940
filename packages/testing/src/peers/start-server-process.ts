import { waitForPort } from './free-port.js';
import { PeerError } from './peer-error.js';
import { type ManagedProcess, type StartProcessOptions, startProcess } from './run-process.js';

/** Options of {@link startServerProcess}. */
export interface StartServerProcessOptions extends StartProcessOptions {
  /** Where the server must listen; default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
  /** How long it may take to listen. */
  readonly timeoutMs: number;
  /** Run when it does not start, after the process is stopped (e.g. remove its temp dir). */
  readonly cleanup?: () => Promise<void>;
}

/**
 * Starts a server program and resolves once it accepts connections on `host:port`. If it exits or
 * does not listen in time, it is stopped by PID, `cleanup` runs, and the promise rejects with
 * `ERR_PEER_START` naming the server and quoting its stderr.
 *
 * @example
 * ```ts
 * const p = await startServerProcess('smtp-sink', SMTP_SINK, ['127.0.0.1:2525', '100'], {
 *   port: 2525,
 *   timeoutMs: 10_000,
 * });
 * await p.stop();
 * ```
 */
export async function startServerProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartServerProcessOptions,
): Promise<ManagedProcess> {
  const { host, port, timeoutMs, cleanup, ...processOptions } = options;
  const process = startProcess(command, args, processOptions);
  try {
    await waitForPort(port, {
      ...(host === undefined ? {} : { host }),
      timeoutMs,
      exited: process.exited,
    });
  } catch (e) {
    await process.stop();
    await cleanup?.();
    throw new PeerError(
      'ERR_PEER_START',
      `${name} did not start: ${(e as Error).message} ${process.output().stderr}`,
    );
  }
  return process;
}
