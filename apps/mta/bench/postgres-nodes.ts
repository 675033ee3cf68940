/**
 * Delivered messages per second of the MTA with its queue in the filesystem spool (one node) and
 * in one PostgreSQL database shared by 1, 2 and 3 nodes, beside a private Postfix with its
 * default durability, in one run (`pnpm bench:postgres` in apps/mta; `pnpm bench` runs it after
 * bench/index.ts). Every row gets the same load: smtp-source, MESSAGES messages of 1 KB over 20
 * sessions (split across the nodes), relayed to one smtp-sink whose `-c` counter says when the
 * last has arrived. Also CPU per message of the system (the MTA nodes, or Postfix's master and
 * every daemon) and of the database server, and the nodes' database statements per message.
 * Each row starts afresh for each run, is warmed up on WARMUP messages, then measured; RUNS
 * rounds, the order turned every round; median (min–max). Placement as in bench/loads.ts: the
 * system under test (the MTA nodes with their database, or Postfix) on the last CPU, the load on
 * the others. bench/README.md has the method, docs/scaling.md what the figures mean for a fleet.
 *
 *   SMTPKIT_BENCH_MESSAGES=3000 (warm-up a quarter), SMTPKIT_BENCH_RUNS=3, SMTPKIT_BENCH_PLACE=free
 *
 * Bounded: every smtp-source and wait for the sink by RUN_TIMEOUT_MS, every start by its own
 * timeout. Only processes started here are stopped, by PID (Postfix by `postfix -c DIR stop`),
 * also on SIGINT and SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildAppIfStale,
  measureProcessTreeCpuMs,
  type PostgresServer,
  pinProcess,
  postgresSkipReason,
  readSmtpSinkCount,
  runSmtpSource,
  smtpSinkSkipReason,
  smtpSourceSkipReason,
  startPostgres,
} from '@smtpkit/testing';
import { placement, RUNS } from './loads.js';
import { startNodes } from './mta-nodes.js';
import { median } from './report.js';
import { startCountingSink, systems } from './systems.js';

const MESSAGES = Math.max(100, Number(process.env['SMTPKIT_BENCH_MESSAGES'] ?? 3000) || 3000);
const WARMUP = Math.max(100, Math.round(MESSAGES / 4));
const SESSIONS = 20;
const SIZE = 1024;
/** Bound on one load (submission and delivery together). */
const RUN_TIMEOUT_MS = 300_000;
/** How often the sink's counter file is read. */
const POLL_MS = 10;
/** Pause after a warm-up and after each run: the queue settles its last records unmeasured. */
const SETTLE_MS = 500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One row: the spool (one node), 1-3 nodes on one database, or Postfix. */
interface Case {
  readonly label: string;
  readonly kind: 'spool' | 'postgres' | 'postfix';
  readonly nodes: number;
}

const cases: readonly Case[] = [
  { label: 'MTA, spool, 1 node', kind: 'spool', nodes: 1 },
  { label: 'MTA, PostgreSQL, 1 node', kind: 'postgres', nodes: 1 },
  { label: 'MTA, PostgreSQL, 2 nodes', kind: 'postgres', nodes: 2 },
  { label: 'MTA, PostgreSQL, 3 nodes', kind: 'postgres', nodes: 3 },
  { label: 'Postfix', kind: 'postfix', nodes: 1 },
];

/** A started row: where smtp-source submits, where the next hop counts, what is measured. */
interface Running {
  readonly ports: readonly number[];
  readonly counterFile: string;
  /** CPU so far of the system's processes (MTA nodes, or Postfix's tree), ms. */
  systemCpuMs(): number;
  /** The PostgreSQL database of the nodes, if any. */
  readonly database?: string;
  stop(): Promise<void>;
}

/** What one measured run gave. */
interface Sample {
  readonly accepted: number;
  readonly delivered: number;
  readonly systemCpu: number;
  readonly dbCpu?: number;
  readonly statements?: number;
}

/** `total` spread over `parts` as evenly as integers allow; the first ones take the remainder. */
const share = (total: number, parts: number, i: number): number =>
  Math.floor(total / parts) + (i < total % parts ? 1 : 0);

/** The cluster's postmaster: the root of its process tree (backends, WAL writer, checkpointer…). */
async function postmasterPid(server: PostgresServer): Promise<number> {
  const text = await readFile(join(server.dir, 'data', 'postmaster.pid'), 'utf8');
  return Number(text.split('\n')[0]);
}

/**
 * Top-level statements run in `database` so far, from pg_stat_statements (loaded by the cluster
 * this benchmark starts). Each statement of the store is one transaction in autocommit, and one
 * round trip. Not pg_stat_database's transaction counters: PostgreSQL 15 flushes a backend's
 * counters at most once a second and, for a backend left idle, only after 10 s (measured here:
 * 3,000 commits of 10 idle connections were missing 6 s later and counted at 11 s), so they mixed
 * a warm-up's transactions into the run and left out the run's tail. pg_stat_statements counts
 * at the end of each statement, in shared memory.
 */
async function statements(server: PostgresServer, database: string): Promise<number> {
  const out = await server.psql(
    'SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = ' +
      `(SELECT oid FROM pg_database WHERE datname = '${database}')`,
  );
  return Number(out.trim());
}

async function startCase(c: Case, pg: PostgresServer | undefined, round: number): Promise<Running> {
  if (c.kind === 'postfix') {
    const entry = systems.find((s) => s.name === 'Postfix');
    if (entry === undefined) throw new Error('no Postfix system in systems.ts');
    const system = await entry.start();
    if (placement !== undefined) {
      pinProcess(system.pid, placement.system);
      pinProcess(system.sink.pid, placement.load);
    }
    return {
      ports: [system.port],
      counterFile: system.counterFile,
      systemCpuMs: () => measureProcessTreeCpuMs(system.pid),
      stop: () => system.stop(),
    };
  }
  const { sink, counterFile, remove } = await startCountingSink('nodes');
  if (placement !== undefined) pinProcess(sink.pid, placement.load);
  let database: string | undefined;
  try {
    if (c.kind === 'postgres') {
      if (pg === undefined) throw new Error('no PostgreSQL');
      database = `bench_${round}_${c.nodes}`;
      await pg.psql(`CREATE DATABASE ${database}`);
    }
    const nodes = await startNodes(
      c.nodes,
      database === undefined ? undefined : pg?.url(database),
      sink.port,
      placement,
    );
    const name = database;
    return {
      ports: nodes.ports,
      counterFile,
      systemCpuMs: () => nodes.pids.reduce((sum, pid) => sum + measureProcessTreeCpuMs(pid), 0),
      ...(name === undefined ? {} : { database: name }),
      async stop() {
        await nodes.stop();
        await sink.stop();
        remove();
        if (name !== undefined) await pg?.psql(`DROP DATABASE ${name}`);
      },
    };
  } catch (e) {
    await sink.stop();
    remove();
    if (database !== undefined) await pg?.psql(`DROP DATABASE IF EXISTS ${database}`);
    throw e;
  }
}

/**
 * `count` messages of the load into `ports` (sessions and messages split across them); resolves
 * with the time until every smtp-source exited (every 250 received) and until the sink had
 * counted them all, from just before the first smtp-source started.
 */
async function runLoad(
  running: Running,
  count: number,
): Promise<{ acceptedMs: number; deliveredMs: number }> {
  const base = readSmtpSinkCount(running.counterFile);
  const started = performance.now();
  const deadline = started + RUN_TIMEOUT_MS;
  let stopped = false;
  const delivered = (async (): Promise<number> => {
    // Bounded by the deadline, or by `stopped` when the submission failed.
    for (;;) {
      const got = readSmtpSinkCount(running.counterFile) - base;
      if (got >= count) return performance.now() - started;
      if (stopped) return Number.NaN;
      if (performance.now() > deadline)
        throw new Error(`${got} of ${count} delivered after ${RUN_TIMEOUT_MS} ms`);
      await sleep(POLL_MS);
    }
  })();
  const parts = running.ports.length;
  try {
    const sent = await Promise.all(
      running.ports.map((port, i) =>
        runSmtpSource({
          port,
          sessions: share(SESSIONS, parts, i),
          messages: share(count, parts, i),
          size: SIZE,
          from: 'bench@source.example',
          to: `bench${i}@relay.example`,
          timeoutMs: RUN_TIMEOUT_MS,
          ...(placement === undefined ? {} : { cpus: placement.load }),
        }),
      ),
    );
    const acceptedMs = performance.now() - started;
    const total = sent.reduce((s, r) => s + r.messages, 0);
    if (total !== count) throw new Error(`smtp-source completed ${total} of ${count} messages`);
    return { acceptedMs, deliveredMs: await delivered };
  } catch (e) {
    stopped = true;
    await delivered.catch(() => undefined);
    throw e;
  }
}

async function measure(running: Running, pg: PostgresServer | undefined): Promise<Sample> {
  await runLoad(running, WARMUP);
  await sleep(SETTLE_MS);
  const db = running.database;
  const postmaster = db === undefined || pg === undefined ? undefined : await postmasterPid(pg);
  const statementsBefore = db === undefined || pg === undefined ? 0 : await statements(pg, db);
  const dbBefore = postmaster === undefined ? 0 : measureProcessTreeCpuMs(postmaster);
  const systemBefore = running.systemCpuMs();
  const { acceptedMs, deliveredMs } = await runLoad(running, MESSAGES);
  const systemCpu = (running.systemCpuMs() - systemBefore) / MESSAGES;
  const dbCpu =
    postmaster === undefined
      ? undefined
      : (measureProcessTreeCpuMs(postmaster) - dbBefore) / MESSAGES;
  const perMessage =
    db === undefined || pg === undefined
      ? undefined
      : ((await statements(pg, db)) - statementsBefore) / MESSAGES;
  return {
    accepted: (MESSAGES / acceptedMs) * 1000,
    delivered: (MESSAGES / deliveredMs) * 1000,
    systemCpu,
    ...(dbCpu === undefined ? {} : { dbCpu }),
    ...(perMessage === undefined ? {} : { statements: perMessage }),
  };
}

function where(c: Case): string {
  const system =
    c.kind === 'postfix' ? 'Postfix' : c.kind === 'spool' ? 'MTA' : 'MTA nodes, PostgreSQL';
  if (placement === undefined) return `${system}, load: placed by the scheduler`;
  return `${system} on CPU ${placement.system}; load on CPU ${placement.load}`;
}

function spread(values: readonly number[], digits: number): string {
  if (values.length === 0) return '–';
  const f = (n: number): string =>
    n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (values.length === 1) return f(values[0] as number);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/** The table's measured columns: header, value of a sample (undefined: not measured), digits. */
const columns: readonly [string, (s: Sample) => number | undefined, number][] = [
  ['accepted msg/s', (s) => s.accepted, 0],
  ['delivered msg/s', (s) => s.delivered, 0],
  ['MTA / Postfix CPU ms/msg', (s) => s.systemCpu, 2],
  ['database CPU ms/msg', (s) => s.dbCpu, 2],
  ['all CPU ms/msg', (s) => s.systemCpu + (s.dbCpu ?? 0), 2],
  ['database statements/msg', (s) => s.statements, 2],
];

function report(results: ReadonlyMap<Case, readonly Sample[]>): void {
  const header = ['system', 'where it ran', ...columns.map(([h]) => h)];
  console.log(
    `\n${MESSAGES} messages of 1 KB over ${SESSIONS} sessions per run, after ${WARMUP} of warm-up; median (min–max)\n`,
  );
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const [c, samples] of results) {
    const cells = columns.map(([, f, digits]) =>
      spread(
        samples.map(f).filter((v): v is number => v !== undefined),
        digits,
      ),
    );
    console.log(`| ${[`${c.label} (${samples.length} runs)`, where(c), ...cells].join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  const missing = smtpSourceSkipReason() ?? smtpSinkSkipReason() ?? postgresSkipReason();
  if (missing !== undefined) {
    console.log(`cannot run the PostgreSQL nodes benchmark: ${missing}`);
    return;
  }
  buildAppIfStale(join(dirname(fileURLToPath(import.meta.url)), '..'));
  const postfixSkip = systems.find((s) => s.name === 'Postfix')?.skip();
  if (postfixSkip !== undefined) console.log(`no Postfix row: ${postfixSkip}`);
  const wanted = cases.filter((c) => c.kind !== 'postfix' || postfixSkip === undefined);
  // This process polls the sink's counter: it belongs with the load.
  if (placement !== undefined) pinProcess(process.pid, placement.load);

  let pg: PostgresServer | undefined;
  let current: Running | undefined;
  const cleanUp = async (): Promise<void> => {
    const running = current;
    current = undefined;
    await running?.stop().catch((e: Error) => console.log(`stopping: ${e.message}`));
    await pg?.remove().catch((e: Error) => console.log(`removing PostgreSQL: ${e.message}`));
    pg = undefined;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: stopping what this benchmark started`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results = new Map<Case, Sample[]>(wanted.map((c) => [c, []]));
  try {
    pg = await startPostgres({
      settings: { max_connections: '200', shared_preload_libraries: 'pg_stat_statements' },
    });
    await pg.psql('CREATE EXTENSION pg_stat_statements');
    if (placement !== undefined) pinProcess(await postmasterPid(pg), placement.system);
    for (let round = 0; round < RUNS; round++) {
      // The order turned every round, so a burst of outside load hits every row alike.
      const order = round % 2 === 0 ? wanted : [...wanted].reverse();
      for (const c of order) {
        try {
          current = await startCase(c, pg, round);
          const sample = await measure(current, pg);
          results.get(c)?.push(sample);
          console.log(
            `  ${c.label}: delivered ${sample.delivered.toFixed(0)} msg/s, ` +
              `${(sample.systemCpu + (sample.dbCpu ?? 0)).toFixed(2)} CPU ms/msg`,
          );
        } catch (e) {
          console.log(`  ${c.label} run failed: ${(e as Error).message.slice(0, 300)}`);
        } finally {
          const running = current;
          current = undefined;
          await running?.stop().catch((e: Error) => console.log(`stopping: ${e.message}`));
        }
        await sleep(SETTLE_MS);
      }
    }
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  report(results);
}

await main();
