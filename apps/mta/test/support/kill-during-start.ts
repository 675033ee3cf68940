// A crash while the MTA starts: it opens the spool and replays it (recovery) before it listens,
// and a second crash there must lose nothing either.
import { spawn } from 'node:child_process';
import { CLI, type MtaProcess } from './mta-process.js';

/**
 * Starts the MTA of `mta` (which must not be running) from its configuration file and SIGKILLs
 * it `afterMs` later, or when it says `ready`, whichever comes first. Resolves with whether it
 * was already ready, when the kill was sent (ms since the epoch), and the exit code when it
 * exited on its own before the kill (null when the kill ended it).
 *
 * @example
 * ```ts
 * await mta.kill();
 * await killDuringStart(mta, 120); // killed while recovering the spool
 * mta = await mta.restart();
 * ```
 */
export function killDuringStart(
  mta: MtaProcess,
  afterMs: number,
): Promise<{
  readonly ready: boolean;
  readonly killedAt: number;
  readonly exitCode: number | null;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '-c', mta.configFile], {
      cwd: mta.dir,
      stdio: ['ignore', 'pipe', 'ignore'],
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
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready$/m.test(out)) {
        ready = true;
        kill();
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ready, killedAt: killedAt === 0 ? Date.now() : killedAt, exitCode: code });
    });
  });
}
