/**
 * Crash safety of the spool: a child process enqueues (and delivers some messages) without pause;
 * it is killed with SIGKILL at random moments; after each kill the spool is opened again and
 * every message whose enqueue resolved (and that the child does not deliver) must be there with
 * intact bytes, every message whose
 * settle removed it must be gone, and nothing half-written may be visible.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSpool } from '../src/node/index.js';
import { readAll } from '../src/queue-store-contract.test-support.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 10;

/** Runs the child until it has printed `ready` and a random while more, then SIGKILLs it. */
function crashRound(dir: string, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'fixtures/crash-child.ts'), dir],
      {
        cwd: join(here, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      if (timer === undefined && out.includes('ready\n'))
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      err += text;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself: ${err}`));
      // Only whole lines: a line cut by the kill was not printed.
      else resolve(out.split('\n').slice(0, -1));
    });
  });
}

describe('spool crash safety (SIGKILL during enqueue and settle)', () => {
  it(`keeps every acknowledged message intact over ${ROUNDS} kills`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-crash-'));
    const stored = new Set<string>();
    const removed = new Set<string>();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const lines = await crashRound(dir, 30 + Math.floor(Math.random() * 400));
        for (const line of lines) {
          const [what, id, destination] = line.split(' ');
          // A drop.example message may be gone without its `removed` line (killed in between).
          if (what === 'stored' && destination === 'keep.example') stored.add(id as string);
          if (what === 'removed') removed.add(id as string);
        }
        const spool = await openSpool({
          dir,
          control: false,
          segmentBytes: 256 * 1024,
          chunkBytes: 4096,
        });
        try {
          const present = new Set<string>();
          for await (const m of spool.list()) {
            present.add(m.id);
            // Whatever is visible is whole: its digest matches its body.
            const bytes = Buffer.from(await readAll(spool, m.id));
            const split = bytes.indexOf('\r\n\r\n');
            const digest = bytes.subarray(10, split).toString();
            expect(
              createHash('sha256')
                .update(bytes.subarray(split + 4))
                .digest('hex'),
            ).toBe(digest);
            expect(m.size).toBe(bytes.length);
          }
          for (const id of stored) expect(present.has(id), `lost ${id}`).toBe(true);
          for (const id of removed) expect(present.has(id), `removed ${id} is back`).toBe(false);
        } finally {
          await spool.close();
        }
      }
      expect(stored.size).toBeGreaterThan(ROUNDS);
      expect(removed.size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
