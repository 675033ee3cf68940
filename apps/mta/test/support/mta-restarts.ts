// Restarts of the MTA for the crash-safety test: a crash while it starts (it opens the spool and
// replays it before it listens, and a second crash there must lose nothing either), and a restart
// that rides out a rebuild of the shared checkout's dist/ folders (other work rebuilds them
// while this long test runs: a start then fails with "Cannot find module" for a moment).
import { spawn } from 'node:child_process';
import { CLI, type MtaProcess } from './mta-process.js';

const REBUILDING = /Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError/;

/**
 * Starts the MTA of `mta` (which must not be running) from its configuration file and SIGKILLs
 * it `afterMs` later, or when it says `ready`, whichever comes first. Resolves with whether it
 * was already ready, when the kill was sent (ms since the epoch), and how it ended on its own
 * before the kill, if it did (`rebuilding` when its modules were missing).
 *
 * @example
 * ```ts
 * await mta.kill();
 * await killDuringStart(mta, 120); // killed while recovering the spool
 * mta = await restartMta(mta);
 * ```
 */
export function killDuringStart(
  mta: MtaProcess,
  afterMs: number,
): Promise<{
  readonly ready: boolean;
  readonly killedAt: number;
  readonly exit: { readonly code: number | null; readonly rebuilding: boolean } | undefined;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '-c', mta.configFile], {
      cwd: mta.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ready = false;
    let killedAt = 0;
    const kill = (): void => {
      if (killedAt === 0 && child.exitCode === null && child.signalCode === null) {
        killedAt = Date.now();
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(kill, afterMs);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready$/m.test(out)) {
        ready = true;
        kill();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 100_000) err += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({
        ready,
        killedAt: killedAt === 0 ? Date.now() : killedAt,
        exit: killedAt === 0 ? { code, rebuilding: REBUILDING.test(err) } : undefined,
      });
    });
  });
}

/**
 * `mta.restart()`, tried again (up to `attempts` times, 2 s apart) while the start fails because
 * the built files are being rewritten; any other failure is thrown at once.
 *
 * @example
 * ```ts
 * mta = await restartMta(mta);
 * ```
 */
export async function restartMta(mta: MtaProcess, attempts = 5): Promise<MtaProcess> {
  for (let i = 1; ; i++) {
    try {
      return await mta.restart();
    } catch (e) {
      if (i >= attempts || !REBUILDING.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
