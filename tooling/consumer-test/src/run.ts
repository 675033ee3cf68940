/** Child processes with a deadline: every step of the consumer test ends in bounded time. */
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly command: string;
  /** Exit code; null when killed (by the deadline or a signal). */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `file args` without a shell; never rejects for a failing command, only reports it. */
export function run(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const command = [file, ...args].join(' ');
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({
        command,
        code: null,
        timedOut,
        stdout,
        stderr: `${stderr}${error.message}`,
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ command, code, timedOut, stdout, stderr });
    });
  });
}

/** A one-paragraph account of a run, for assertion messages. */
export function describeRun(result: RunResult): string {
  const how = result.timedOut ? 'timed out' : `exited ${result.code}`;
  return `${result.command} ${how}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/**
 * The environment for npm in the throw-away projects: the caller's, without the `npm_*` variables
 * a package manager sets for its scripts (they would configure npm as pnpm's child), except an
 * explicitly configured registry.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith('npm_') && key.toLowerCase() !== 'npm_config_registry')
      continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false' };
}

/** Whether this run is CI's: there the consumer test must not skip. */
export const inCi = (): boolean => {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
};
