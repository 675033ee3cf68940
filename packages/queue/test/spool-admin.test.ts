/**
 * Admin actions from another process while the owner runs: the admin store goes through the
 * owner's control socket, and the owner's live state shows the result; with no owner alive, the
 * admin opens the spool itself. Two processes: this one, and a child that owns the spool.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSpool } from '../src/node/index.js';
import { isQueueError } from '../src/queue-error.js';
import { readAll } from '../src/queue-store-contract.test-support.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'smtpkit-queue-admin-'));
  dirs.push(d);
  return d;
}

/** Starts the owner child; resolves with a line reader over its stdout. */
function startOwner(dir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'fixtures/owner-child.ts'), dir],
    {
      cwd: join(here, '..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    buffer += text;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) return resolve(line);
      const t = setTimeout(() => reject(new Error('owner child said nothing')), 15_000);
      waiting.push((l) => {
        clearTimeout(t);
        resolve(l);
      });
    });
  const ask = async (command: string) => {
    child.stdin?.write(`${command}\n`);
    return JSON.parse(await next());
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, next, ask, exited };
}

describe('spool admin from another process', () => {
  it('acts through the owner while it runs, directly once it is gone', async () => {
    const dir = tempDir();
    const owner = startOwner(dir);
    const { ids } = JSON.parse(await owner.next()) as { ids: string[] };
    const [a1, a2, b] = ids as [string, string, string];

    // A second owner is refused while the first lives.
    const err = await openSpool({ dir, lockWaitMs: 0 }).catch((e: unknown) => e);
    expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_LOCKED');

    const admin = await openSpool({ dir, role: 'admin' });
    const listed: string[] = [];
    for await (const m of admin.list()) listed.push(m.id);
    expect(listed.sort()).toEqual([...ids].sort());
    expect(new TextDecoder().decode(await readAll(admin, b))).toBe('message for b.example\r\n');
    expect(await admin.get(a1)).toMatchObject({ id: a1, size: 23 });
    expect(await admin.stats()).toEqual({ messages: 3, pendingRecipients: 3, leased: 0 });
    expect(await admin.remove({ id: a2 })).toBe(1);
    expect(await admin.requestBounce({ destination: 'b.example' }, 5000)).toBe(1);
    expect(await admin.reschedule({ id: a1 }, 7000)).toBe(1);
    const work = await admin
      .lease({ owner: 'x', limit: 1, leaseMs: 1, now: 0 })
      .catch((e: unknown) => e);
    expect(isQueueError(work) && work.misuse).toBe(true);
    await admin.close();

    // The owner's own view shows the admin's actions.
    expect(await owner.ask('dump')).toEqual(
      expect.arrayContaining([
        { id: a1, bounce: false, next: 7000 },
        { id: b, bounce: true, next: 5000 },
      ]),
    );
    expect((await owner.ask('dump')).length).toBe(2);
    owner.child.stdin?.write('exit\n');
    expect(await owner.exited).toBe(0);

    // No owner now: the admin opens the spool itself and sees the same queue.
    const direct = await openSpool({ dir, role: 'admin' });
    const left = [];
    for await (const m of direct.list()) left.push([m.id, m.bounceRequested ?? false]);
    expect(left.sort()).toEqual(
      [
        [a1, false],
        [b, true],
      ].sort(),
    );
    await direct.close();
  }, 60_000);

  it('takes over a spool whose owner was killed (stale pid file)', async () => {
    const dir = tempDir();
    const owner = startOwner(dir);
    const { ids } = JSON.parse(await owner.next()) as { ids: string[] };
    owner.child.kill('SIGKILL');
    await owner.exited;
    const spool = await openSpool({ dir, lockWaitMs: 0 });
    expect((await spool.stats()).messages).toBe(ids.length);
    await spool.close();
  }, 60_000);
});
