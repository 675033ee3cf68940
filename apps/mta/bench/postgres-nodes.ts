/**
 * Delivered messages per second of the MTA with its queue in the filesystem spool (one node) and
 * in one PostgreSQL database shared by 1, 2 and 3 nodes, in one run (`pnpm bench:postgres` in
 * apps/mta, after `pnpm build`). Each case: smtp-source sends MESSAGES messages of 1 KB over 20
 * sessions spread across the nodes, which relay everything to one next hop (a capture server in
 * this process); the clock stops when the last message has arrived there. Also the CPU per
 * message of the nodes and of the database server. On a 2-core machine the nodes, the database,
 * smtp-source and the next hop share two cores: see docs/scaling.md for what the figures say
 * about a fleet. SMTPKIT_BENCH_MESSAGES sets MESSAGES (default 3000).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  measureProcessCpu,
  type PostgresServer,
  runSmtpSource,
  startCaptureSmtpServer,
  startPostgres,
} from '@smtpkit/testing';
import { type MtaProcess, startMtaProcess } from '../test/support/mta-process.js';

const MESSAGES = Number(process.env['SMTPKIT_BENCH_MESSAGES'] ?? 3000);
const SESSIONS = 20;

function clusterCpuMs(server: PostgresServer): number {
  const postmaster = Number(
    readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  let total = measureProcessCpu(postmaster).totalMs;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) {
        const cpu = measureProcessCpu(Number(entry));
        total += cpu.userMs + cpu.systemMs;
      }
    } catch {}
  }
  return total;
}

/** Transactions the database has committed or rolled back (each statement of the store is one). */
async function transactions(database: string): Promise<number> {
  // pg_stat_database is updated by each backend at the end of a transaction, at most every 0.5 s.
  await new Promise((r) => setTimeout(r, 600));
  const out = await pg.psql(
    `SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '${database}'`,
  );
  return Number(out.trim());
}

const nodeCpuMs = (nodes: readonly MtaProcess[]) =>
  nodes.reduce((sum, n) => {
    const cpu = measureProcessCpu(n.pid);
    return sum + cpu.userMs + cpu.systemMs;
  }, 0);

const capture = await startCaptureSmtpServer();
const pg = await startPostgres({ settings: { max_connections: '200' } });
const rows: string[][] = [];
let databases = 0;
try {
  for (const [label, nodes] of [
    ['spool, 1 node', 0],
    ['PostgreSQL, 1 node', 1],
    ['PostgreSQL, 2 nodes', 2],
    ['PostgreSQL, 3 nodes', 3],
  ] as const) {
    const spool = nodes === 0 ? await makeTempDir('bench-spool') : undefined;
    let queue = spool?.path;
    const name = `bench_${++databases}`;
    if (queue === undefined) {
      await pg.psql(`CREATE DATABASE ${name}`);
      queue = pg.url(name);
    }
    const ports = await Promise.all(Array.from({ length: Math.max(1, nodes) }, () => freePort()));
    const running = await Promise.all(
      ports.map((port) =>
        startMtaProcess({
          config: {
            listen: { mx: [`127.0.0.1:${port}`], submission: [], submissions: [] },
            metrics: false,
            queue,
            localDomains: ['nodes.test'],
            delivery: { relay: `127.0.0.1:${capture.port}` },
            retry: { pollInterval: 200 },
            log: { level: 'warn' },
          },
        }),
      ),
    );
    try {
      const before = capture.messages.length;
      const dbBefore = clusterCpuMs(pg);
      const xactsBefore = nodes === 0 ? 0 : await transactions(name);
      const nodesBefore = nodeCpuMs(running);
      const start = performance.now();
      const sent = await Promise.all(
        ports.map((port, i) =>
          runSmtpSource({
            port,
            sessions: Math.ceil(SESSIONS / ports.length),
            messages: Math.floor(MESSAGES / ports.length) + (i === 0 ? MESSAGES % ports.length : 0),
            size: 1024,
            to: `bench${i}@relay.example`,
            timeoutMs: 300_000,
          }),
        ),
      );
      const acceptedMs = performance.now() - start;
      await capture.waitForMessages(before + MESSAGES, 300_000);
      const deliveredMs = performance.now() - start;
      const db = nodes === 0 ? undefined : (clusterCpuMs(pg) - dbBefore) / MESSAGES;
      const xacts = nodes === 0 ? undefined : ((await transactions(name)) - xactsBefore) / MESSAGES;
      const node = (nodeCpuMs(running) - nodesBefore) / MESSAGES;
      rows.push([
        label,
        String(sent.reduce((s, r) => s + r.messages, 0)),
        ((MESSAGES / acceptedMs) * 1000).toFixed(0),
        ((MESSAGES / deliveredMs) * 1000).toFixed(0),
        node.toFixed(2),
        db === undefined ? '-' : db.toFixed(2),
        xacts === undefined ? '-' : xacts.toFixed(2),
      ]);
    } finally {
      await Promise.all(running.map((n) => n.stop()));
      await Promise.all(running.map((n) => n.remove()));
      await spool?.remove();
    }
  }
} finally {
  await capture.close();
  await pg.remove();
}

const header = [
  'queue',
  'messages',
  'accepted msg/s',
  'delivered msg/s',
  'MTA CPU ms/msg',
  'DB CPU ms/msg',
  'DB transactions/msg',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: readonly string[]) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
