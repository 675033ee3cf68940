import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { PeerError } from './peer-error.js';

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  /** Hard limit: past it the child is killed by PID with SIGKILL and the promise rejects. */
  readonly timeoutMs: number;
  /** Bytes or text written to the child's stdin, which is then closed. */
  readonly input?: string | Uint8Array;
  readonly cwd?: string;
  /** Extra environment variables, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Resolve even on a non-zero exit (the caller reads `exitCode`). Default false: reject with ERR_PEER_EXIT. */
  readonly allowFailure?: boolean;
  /**
   * The child's stdout goes to this file (created or truncated), read back into `stdout` after
   * its exit, instead of a pipe. For a program that writes as it goes (smtp-source's per-message
   * counter): through a pipe, every write wakes this process, which then competes for the CPU
   * with what is being measured.
   */
  readonly stdoutFile?: string;
}

/** What a finished child process did. */
export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from the child's 'spawn' event (running) to its exit, in milliseconds. */
  readonly elapsedMs: number;
}

function killByPid(child: ChildProcess): void {
  // Only the child we spawned, by its own PID; never by name.
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Runs a program to completion, bounded by `timeoutMs`; on timeout it is killed by PID.
 *
 * @example
 * ```ts
 * const r = await runProcess('swaks', ['--version'], { timeoutMs: 5000 });
 * console.log(r.stdout);
 * ```
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  if (!(options.timeoutMs > 0)) {
    return Promise.reject(new PeerError('ERR_PEER_USAGE', 'runProcess needs a positive timeoutMs'));
  }
  return new Promise((resolve, reject) => {
    let started = performance.now();
    const stdoutFd =
      options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, 'w');
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env === undefined ? process.env : { ...process.env, ...options.env },
      stdio: ['pipe', stdoutFd ?? 'pipe', 'pipe'],
    });
    // The child has its own copy of the descriptor now.
    if (stdoutFd !== undefined) closeSync(stdoutFd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    // Time from the 'spawn' event (the program is running) so the fork/exec cost of the parent is
    // not counted as the program's time.
    child.once('spawn', () => {
      started = performance.now();
    });
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      timedOut = true;
      killByPid(child);
    }, options.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = e.code === 'ENOENT' ? 'ERR_PEER_MISSING' : 'ERR_PEER_START';
      reject(new PeerError(code, `${command}: ${e.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const result: ProcessResult = {
        exitCode,
        signal,
        stdout:
          options.stdoutFile === undefined
            ? Buffer.concat(out).toString('utf8')
            : readFileSync(options.stdoutFile, 'utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        elapsedMs: performance.now() - started,
      };
      if (timedOut) {
        reject(
          new PeerError(
            'ERR_PEER_TIMEOUT',
            `${command} did not finish within ${options.timeoutMs} ms; killed`,
            result,
          ),
        );
      } else if (exitCode !== 0 && options.allowFailure !== true) {
        reject(
          new PeerError(
            'ERR_PEER_EXIT',
            `${command} exited with ${exitCode ?? signal}: ${result.stderr.trim().slice(-2000)}`,
            result,
          ),
        );
      } else {
        resolve(result);
      }
    });
    child.stdin?.on('error', () => {
      // the child may exit before reading its stdin; its exit status tells the story
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** A long-running child (a server under test) that the caller stops by PID. */
export interface ManagedProcess {
  readonly pid: number;
  /** Everything printed so far on stdout and stderr (bounded to the last 64 KiB each). */
  output(): { stdout: string; stderr: string };
  /** Resolves when the child has exited (for whatever reason). */
  readonly exited: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;
  /**
   * `signal` (default SIGTERM) by PID, then SIGKILL after `graceMs` (default 2000); resolves once
   * it has exited.
   */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The child's stdout goes to this file (created or truncated) instead of a pipe, and `output()`
   * reads the file's tail. For a server that writes as it goes (smtp-sink's `-c` counters, a log
   * line per message): through a pipe every write wakes this process, which then competes for
   * the CPU with what is being measured.
   */
  readonly stdoutFile?: string;
  /** The same for stderr. */
  readonly stderrFile?: string;
}

const OUTPUT_CAP = 64 * 1024;

/** The last OUTPUT_CAP bytes of a file, as text ('' when it cannot be read). */
function fileTail(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, OUTPUT_CAP);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, size - length);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Starts a long-running program (a server) and returns a handle that stops it by PID.
 *
 * @example
 * ```ts
 * const p = startProcess('smtp-sink', ['-u', 'nobody', '127.0.0.1:2525', '100']);
 * await waitForPort(2525, { timeoutMs: 5000 });
 * await p.stop();
 * ```
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartProcessOptions = {},
): ManagedProcess {
  const stdoutFd = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, 'w');
  const stderrFd = options.stderrFile === undefined ? undefined : openSync(options.stderrFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env === undefined ? process.env : { ...process.env, ...options.env },
      stdio: ['ignore', stdoutFd ?? 'pipe', stderrFd ?? 'pipe'],
    });
  } finally {
    // The child has its own copies of the descriptors now.
    if (stdoutFd !== undefined) closeSync(stdoutFd);
    if (stderrFd !== undefined) closeSync(stderrFd);
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => {
    stdout = (stdout + b.toString('utf8')).slice(-OUTPUT_CAP);
  });
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString('utf8')).slice(-OUTPUT_CAP);
  });
  let spawnError: Error | undefined;
  const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => {
      child.on('error', (e) => {
        spawnError = e;
        resolve({ exitCode: null, signal: null });
      });
      child.on('exit', (exitCode, signal) => resolve({ exitCode, signal }));
    },
  );
  if (child.pid === undefined) {
    // spawn failed synchronously to get a PID (ENOENT is reported through 'error' right after)
    throw new PeerError('ERR_PEER_MISSING', `${command}: could not be started`);
  }
  const pid = child.pid;
  return {
    pid,
    output: () => {
      const out = options.stdoutFile === undefined ? stdout : fileTail(options.stdoutFile);
      const err = options.stderrFile === undefined ? stderr : fileTail(options.stderrFile);
      return { stdout: out, stderr: spawnError ? `${err}${spawnError.message}` : err };
    },
    exited,
    async stop(graceMs = 2000, signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(pid, signal);
      } catch {
        return;
      }
      const timer = setTimeout(() => killByPid(child), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
