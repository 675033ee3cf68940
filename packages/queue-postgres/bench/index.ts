/**
 * PostgreSQL queue benchmarks (`pnpm bench`; a private cluster started here, fsync on, about
 * 3 s a case). What one message costs the database: enqueue with 1 and 20 concurrent enqueuers
 * (this package's grouped commits, one transaction per enqueue on 20 connections as PostgreSQL
 * groups them itself, and the same with commit_delay), then the delivery side (lease in batches
 * of 100, one settle per message). For each: messages per second, round trips, WAL flushes and
 * WAL bytes per message, and CPU per message of the database server and of this client.
 * QUEUE_BENCH_SECONDS sets the seconds per case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '@smtpkit/queue';
import { measureProcessCpu, type PostgresServer, startPostgres } from '@smtpkit/testing';
import pg from 'pg';
import { openPostgresQueue, type PostgresQueueOptions } from '../src/node/index.js';

const SECONDS = Number(process.env['QUEUE_BENCH_SECONDS'] ?? 3);
const MAX_MESSAGES = 100_000;

/** CPU milliseconds of the whole cluster: the postmaster, its live children, those it reaped. */
function clusterCpuMs(server: PostgresServer): number {
  const postmaster = Number(
    readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  let total = measureProcessCpu(postmaster).totalMs;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) {
        const cpu = measureProcessCpu(Number(entry));
        total += cpu.userMs + cpu.systemMs;
      }
    } catch {}
  }
  return total;
}

interface Snapshot {
  readonly at: number;
  readonly dbCpuMs: number;
  readonly clientCpuMs: number;
  readonly walSyncs: number;
  readonly walBytes: number;
}

async function snapshot(server: PostgresServer, admin: pg.Pool): Promise<Snapshot> {
  const { rows } = await admin.query<{ wal_sync: string; wal_bytes: string }>(
    'SELECT wal_sync, wal_bytes FROM pg_stat_wal',
  );
  const cpu = process.cpuUsage();
  return {
    at: performance.now(),
    dbCpuMs: clusterCpuMs(server),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    walSyncs: Number(rows[0]?.wal_sync ?? 0),
    walBytes: Number(rows[0]?.wal_bytes ?? 0),
  };
}

function row(label: string, count: number, trips: number, a: Snapshot, b: Snapshot): string[] {
  const seconds = (b.at - a.at) / 1000;
  return [
    label,
    (count / seconds).toFixed(0),
    (trips / count).toFixed(3),
    ((b.walSyncs - a.walSyncs) / count).toFixed(3),
    ((b.walBytes - a.walBytes) / count).toFixed(0),
    ((b.dbCpuMs - a.dbCpuMs) / count).toFixed(3),
    ((b.clientCpuMs - a.clientCpuMs) / count).toFixed(3),
  ];
}

const envelope = (i: number) => ({
  sender: 'sender@example.com',
  recipients: [{ address: `user${i}@example.net`, destination: `d${i % 50}.example` }],
  receivedAt: Date.now(),
});

const server = await startPostgres({ settings: { max_connections: '100' } });
const admin = new pg.Pool({ connectionString: server.url(), max: 1 });
const rows: string[][] = [];
const body = new Uint8Array(1024).fill(0x61);
let schemas = 0;
try {
  const cases: [string, number, Partial<PostgresQueueOptions>][] = [
    ['enqueue x 1, grouped', 1, {}],
    ['enqueue x 20, grouped (2 in flight)', 20, {}],
    ['enqueue x 20, grouped (1 in flight)', 20, { groupCommit: { maxInFlight: 1 } }],
    [
      'enqueue x 20, 1 transaction each',
      20,
      { poolSize: 20, groupCommit: { maxMessages: 1, maxInFlight: 20 } },
    ],
    [
      'enqueue x 20, 1 each, commit_delay 1 ms',
      20,
      {
        poolSize: 20,
        groupCommit: { maxMessages: 1, maxInFlight: 20 },
        pool: { options: '-c commit_delay=1000 -c commit_siblings=5' },
      },
    ],
  ];
  for (const [label, concurrency, options] of cases) {
    const queue = await openPostgresQueue({
      url: server.url(),
      schema: `bench_${++schemas}`,
      ...options,
    });
    const trips0 = queue.counters().roundTrips;
    const before = await snapshot(server, admin);
    const end = performance.now() + SECONDS * 1000;
    let count = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end && count < MAX_MESSAGES)
          await queue.enqueue(envelope(count++), body);
      }),
    );
    const after = await snapshot(server, admin);
    rows.push(row(label, count, queue.counters().roundTrips - trips0, before, after));

    if (concurrency === 20 && options.groupCommit === undefined) {
      // The delivery side on what this case queued: lease 100 at a time, then settle each
      // (20 at once), measured apart.
      const trips1 = queue.counters().roundTrips;
      const start = await snapshot(server, admin);
      const leased: Lease[] = [];
      for (let round = 0; round < 10_000; round++) {
        const leases = await queue.lease({
          owner: 'bench',
          limit: 100,
          leaseMs: 60_000,
          now: Date.now(),
          maxPerDestination: 1000,
        });
        if (leases.length === 0) break;
        leased.push(...leases);
      }
      const trips2 = queue.counters().roundTrips;
      const mid = await snapshot(server, admin);
      rows.push(row('lease, 100 a call', leased.length, trips2 - trips1, start, mid));
      const work = [...leased];
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (let l = work.pop(); l !== undefined; l = work.pop())
            await queue.settle(l, [{ index: 0, outcome: 'delivered' }]);
        }),
      );
      const done = await snapshot(server, admin);
      rows.push(
        row(
          'settle x 20 (delivered: removed)',
          leased.length,
          queue.counters().roundTrips - trips2,
          mid,
          done,
        ),
      );
    }
    await queue.close();
  }
} finally {
  await admin.end();
  await server.remove();
}

const header = [
  'case (1 KB)',
  'msg/s',
  'round trips/msg',
  'WAL flushes/msg',
  'WAL bytes/msg',
  'DB CPU ms/msg',
  'client CPU ms/msg',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: readonly string[]) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
