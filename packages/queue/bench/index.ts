/**
 * Spool benchmarks (`pnpm bench`, bounded: about 2 s per case). Enqueue rate with 1 and 20
 * concurrent enqueuers, 1 KB and 100 KB messages, fsync on: the journal with group commit, and
 * one file per message (Postfix's way) as the baseline; fsyncs per message for each. Then the
 * cost of `lease` with 10,000 messages queued.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSpool } from '../src/node/index.js';
import { filePerMessage } from './file-per-message.js';

const SECONDS = Number(process.env['QUEUE_BENCH_SECONDS'] ?? 2);
const MAX_MESSAGES = 200_000;

function envelope(i: number) {
  return {
    sender: 'sender@example.com',
    recipients: [{ address: `user${i}@example.net`, destination: `d${i % 50}.example` }],
    receivedAt: Date.now(),
  };
}

/** Runs `concurrency` loops of `enqueue` for SECONDS; returns messages per second. */
async function drive(concurrency: number, enqueue: (i: number) => Promise<unknown>) {
  const end = performance.now() + SECONDS * 1000;
  let count = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && count < MAX_MESSAGES) await enqueue(count++);
    }),
  );
  return { count, rate: count / ((performance.now() - start) / 1000) };
}

const rows: string[][] = [];
for (const size of [1024, 100 * 1024]) {
  const body = new Uint8Array(size).fill(0x61);
  for (const concurrency of [1, 20]) {
    const label = `${size / 1024} KB x ${concurrency}`;
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-bench-'));
    try {
      const spool = await openSpool({ dir, control: false });
      const journal = await drive(concurrency, (i) => spool.enqueue(envelope(i), body));
      const stats = spool.journalStats();
      await spool.close();
      const files = filePerMessage(mkdtempSync(join(dir, 'files-')));
      const baseline = await drive(concurrency, () => files.enqueue(body));
      rows.push([
        label,
        journal.rate.toFixed(0),
        (stats.fsyncs / journal.count).toFixed(3),
        baseline.rate.toFixed(0),
        (files.fsyncs / baseline.count).toFixed(3),
        (journal.rate / baseline.rate).toFixed(2),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
console.log('enqueue, fsync on (durable before resolve):');
console.log(
  ['case', 'journal msg/s', 'fsync/msg', 'file-per-msg msg/s', 'fsync/msg', 'ratio'].join('\t'),
);
for (const r of rows) console.log(r.join('\t'));

// lease() with 10,000 messages queued over 50 destinations (20 per destination at most).
{
  const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-bench-'));
  try {
    const spool = await openSpool({ dir, control: false, fsync: false });
    const body = new Uint8Array(1024);
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => spool.enqueue(envelope(i), body)));
    const now = Date.now() + 1000;
    let leased = 0;
    let leaseMs = 0;
    let calls = 0;
    for (; calls < 1000; calls++) {
      const t = performance.now();
      const leases = await spool.lease({
        owner: 'b',
        limit: 100,
        leaseMs: 60_000,
        now,
        maxPerDestination: 20,
      });
      leaseMs += performance.now() - t;
      leased += leases.length;
      await Promise.all(leases.map((l) => spool.settle(l, [{ index: 0, outcome: 'delivered' }])));
      if (leases.length === 0) break;
    }
    console.log(
      `\nlease() over 10,000 queued messages, 50 destinations, 100 per call: ${leased} leases in ${calls} calls, ${((leaseMs * 1000) / calls).toFixed(0)} µs per call (${((leaseMs * 1000) / leased).toFixed(1)} µs per lease)`,
    );
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
