// Starts `node dist/cli.js` the way other tools drive the sink: read `listening on HOST:PORT` from
// stdout, send mail, SIGTERM by PID, read `messages=N bytes=B`.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;

/** How a finished sink process ended. */
export interface SinkExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running sink. */
export interface SinkProcess {
  readonly pid: number;
  /** The `HOST:PORT` of each `listening on` line, in order. */
  readonly listening: readonly string[];
  /** The port of the first listener. */
  readonly port: number;
  /** SIGTERM by PID; SIGKILL by PID if it has not exited within the bound. */
  stop(signal?: NodeJS.Signals): Promise<SinkExit>;
  output(): { stdout: string; stderr: string };
}

function portOf(hostPort: string): number {
  return Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
}

function watch(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
  });
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  const exited = new Promise<SinkExit>((resolve) => {
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  return { exited, output: () => ({ stdout, stderr }) };
}

function killByPid(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs the CLI to completion (usage errors, --help), bounded in time. */
export async function runSinkCli(args: readonly string[], timeoutMs = 10_000): Promise<SinkExit> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited } = watch(child);
  const timer = setTimeout(() => killByPid(child), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A sink process started without waiting for anything: for start-up that is still pending. */
export interface SpawnedSink {
  readonly pid: number;
  /** Resolves when it exits (SIGKILL by PID after `timeoutMs` if it is still running). */
  readonly exited: Promise<SinkExit>;
  output(): { stdout: string; stderr: string };
}

/** Spawns the CLI and returns at once, bounded in time like {@link runSinkCli}. */
export function spawnSinkCli(args: readonly string[], timeoutMs = 20_000): SpawnedSink {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start the sink');
  const { exited, output } = watch(child);
  const timer = setTimeout(() => killByPid(child), timeoutMs);
  return { pid: child.pid, exited: exited.finally(() => clearTimeout(timer)), output };
}

/** Starts the sink and resolves once it printed `listeners` lines `listening on …`. */
export async function startSinkProcess(
  args: readonly string[],
  listeners = 1,
): Promise<SinkProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start the sink');
  const pid = child.pid;
  const { exited, output } = watch(child);
  const listening = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      killByPid(child);
      reject(new Error(`sink did not print 'listening on' in time: ${output().stderr}`));
    }, START_TIMEOUT_MS);
    const check = (): void => {
      const found = [...output().stdout.matchAll(/^listening on (\S+)$/gm)].map(
        (m) => m[1] as string,
      );
      if (found.length >= listeners) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(found);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`sink exited (${e.exitCode ?? e.signal}) before listening: ${e.stderr}`));
    });
  });
  return {
    pid,
    listening,
    port: portOf(listening[0] as string),
    output,
    async stop(signal = 'SIGTERM') {
      try {
        process.kill(pid, signal);
      } catch {
        // already exited
      }
      const timer = setTimeout(() => killByPid(child), STOP_TIMEOUT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Reads `messages=N bytes=B` from the sink's stdout. */
export function counters(stdout: string): { messages: number; bytes: number } | undefined {
  const m = /^messages=(\d+) bytes=(\d+)$/m.exec(stdout);
  return m === null ? undefined : { messages: Number(m[1]), bytes: Number(m[2]) };
}
