import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueError } from '../queue-error.js';

/** The owner's pid file in a spool directory. */
export const LOCK_FILE = 'owner.pid';

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process holding the spool, or undefined when none does. */
export async function spoolOwner(dir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, LOCK_FILE), 'latin1');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/** A held spool lock. */
export interface SpoolLock {
  release(): Promise<void>;
}

/**
 * Takes the spool: links `owner.pid` into place (link(2) fails when it exists) with this process's pid. A pid file left by a
 * dead process (kill -9, power loss) is moved aside and removed; one of a live process makes the
 * call wait up to `waitMs`, then fail with `ERR_QUEUE_LOCKED`.
 */
export async function acquireSpoolLock(dir: string, waitMs: number): Promise<SpoolLock> {
  const path = join(dir, LOCK_FILE);
  const deadline = performance.now() + waitMs;
  for (let round = 0; ; round++) {
    // Written aside, then linked into place: the pid file never exists without its pid.
    const mine = `${path}.${process.pid}.tmp`;
    await writeFile(mine, `${process.pid}\n`);
    try {
      await link(mine, path);
      await unlink(mine);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      await unlink(mine).catch(() => {});
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = await readFile(path, 'latin1').catch(() => '');
    const pid = Number.parseInt(text, 10);
    if (Number.isSafeInteger(pid) && pid > 0 && !alive(pid)) {
      // Moved aside first: of two processes finding the same stale file, one renames it.
      const aside = `${path}.stale.${process.pid}`;
      if (
        await rename(path, aside).then(
          () => true,
          () => false,
        )
      ) {
        // Another process may have taken the stale file away and linked its own in between:
        // what we moved is then a live lock, and goes back.
        const moved = Number.parseInt(await readFile(aside, 'latin1').catch(() => ''), 10);
        if (moved !== pid) await link(aside, path).catch(() => {});
        await unlink(aside).catch(() => {});
      }
      continue;
    }
    if (performance.now() >= deadline || round > 100_000)
      throw new QueueError(
        'ERR_QUEUE_LOCKED',
        `the spool ${dir} is held by process ${Number.isNaN(pid) ? '(unknown)' : pid}`,
      );
    await sleep(50);
  }
}
