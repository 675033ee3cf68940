import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalReader } from '../journal-reader.js';
import type { QueueStore } from '../queue-store.js';
import { queueStoreContract, readAll } from '../queue-store-contract.test-support.js';
import { openSpool } from './open-spool.js';

for (const options of [
  { title: 'openSpool', extra: {} },
  // Tiny segments and chunks: rotation, chunk records and compaction on every test.
  {
    title: 'openSpool (64 KiB segments, 1 KiB chunks)',
    extra: { segmentBytes: 65_536, chunkBytes: 1024 },
  },
]) {
  queueStoreContract(options.title, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-'));
    let store: QueueStore = await openSpool({ dir, control: false, ...options.extra });
    return {
      store,
      async reopen() {
        await store.close();
        store = await openSpool({ dir, control: false, ...options.extra });
        return store;
      },
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

describe('openSpool recovery', () => {
  const env = {
    sender: 'a@example.com',
    recipients: [{ address: 'b@example.net', destination: 'example.net' }],
    receivedAt: 1000,
  };

  it('finds no torn record after a clean close (the zeros ahead are not one)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-'));
    try {
      const spool = await openSpool({ dir, control: false });
      await spool.enqueue(env, new Uint8Array(100));
      await spool.close();
      const again = await openSpool({ dir, control: false });
      expect(again.journalStats().discarded).toEqual({ tails: 0, orphanChunks: 0 });
      expect((await again.stats()).messages).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a torn last record and keeps every record before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-'));
    try {
      const spool = await openSpool({ dir, control: false });
      const first = await spool.enqueue(env, new TextEncoder().encode('first'));
      await spool.enqueue(env, new TextEncoder().encode('second'));
      await spool.close();
      // Flip the last byte of the last record, as a write torn by a crash would leave it.
      const [name] = readdirSync(join(dir, 'journal'));
      const path = join(dir, 'journal', name as string);
      const bytes = readFileSync(path);
      const reader = new JournalReader();
      reader.push(bytes);
      let end = 0;
      for (let s = reader.next(); s.kind === 'record'; s = reader.next()) end = s.offset + s.length;
      bytes[end - 1] = (bytes[end - 1] as number) ^ 0xff;
      writeFileSync(path, bytes);
      const again = await openSpool({ dir, control: false });
      expect(again.journalStats().discarded.tails).toBe(1);
      expect((await again.list()[Symbol.asyncIterator]().next()).value?.id).toBe(first);
      expect((await again.stats()).messages).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openSpool segments', () => {
  it('deletes dead segments and compacts sparse ones, keeping live messages whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-'));
    const env = (destination: string) => ({
      sender: 'a@example.com',
      recipients: [{ address: `b@${destination}`, destination }],
      receivedAt: 1000,
    });
    const options = { dir, control: false, segmentBytes: 32 * 1024, chunkBytes: 2048 };
    try {
      const spool = await openSpool(options);
      const keep = new Map<string, Uint8Array>();
      for (let i = 0; i < 200; i++) {
        const body = new Uint8Array(1000 + (i % 7) * 700).fill(i & 0xff);
        const id = await spool.enqueue(env(i % 10 === 0 ? 'keep.example' : 'drop.example'), body);
        if (i % 10 === 0) keep.set(id, body);
      }
      const before = spool.journalStats().segments;
      expect(await spool.remove({ destination: 'drop.example' })).toBe(180);
      // Maintenance runs in the background: wait for the segment count to settle.
      for (let i = 0; i < 200 && spool.journalStats().segments > before / 4; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(spool.journalStats().segments).toBeLessThanOrEqual(before / 4);
      await spool.close();
      const again = await openSpool(options);
      expect((await again.stats()).messages).toBe(keep.size);
      for (const [id, body] of keep) expect(Buffer.compare(await readAll(again, id), body)).toBe(0);
      await again.close();
      expect(readdirSync(join(dir, 'journal')).length).toBeLessThanOrEqual(before / 4 + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
