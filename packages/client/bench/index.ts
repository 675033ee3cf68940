// Client benchmark: @smtpkit/client (one connection per message in flight, its pool, and one
// connection given every message at once), nodemailer's SMTP transport (pooled and not) and
// Postfix's smtp-source (C, the practical limit here), each sending to Postfix's smtp-sink on
// loopback, in one run. Every sender is its own process; its CPU time comes from /proc/PID/stat.
// Each figure is the median of 5 interleaved runs, after a warm-up of the very load. Every load is
// bounded in count and time; only processes started here are stopped, by PID.
//
//   pnpm bench                                  (in packages/client, after building it:
//                                                `pnpm turbo run build --filter=@smtpkit/client...`;
//                                                the root `pnpm bench` builds it first)
//   SMTPKIT_BENCH_SCALE=0.2 pnpm bench          scales the per-run message caps
//   SMTPKIT_BENCH_SECONDS=2 pnpm bench          aims each run at this long (default 2)
//   SMTPKIT_BENCH_SENDERS='smtpkit pool,nodemailer pool' pnpm bench   only those senders
//   SMTPKIT_BENCH_CONFIGS=1,3 pnpm bench        only those rows (1 KB × 1, 1 KB × 20, 100 KB × 1)
//   SMTPKIT_BENCH_PLACE=same|apart|free pnpm bench  CPU placement (default: by the row, load-configs.ts)
//   SMTPKIT_BENCH_BASELINE=DIR pnpm bench       adds our senders on another checkout's build
//                                               (git worktree add DIR REV; build it): an A/B in one run
//   SMTPKIT_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' pnpm bench   node options for the Node senders
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  pinProcess,
  type RunningServer,
  smtpSinkSkipReason,
  startSmtpSinkServer,
} from '@smtpkit/testing';
import { configs, describePlacement, type LoadConfig, placementFor } from './load-configs.js';
import { type Cell, median, type Results, RUNS, report } from './report.js';
import { type RunningSender, type RunResult, type SenderEntry, senders } from './senders.js';

const secondsEnv = Number(process.env['SMTPKIT_BENCH_SECONDS'] ?? '2');
/** Each measured run aims at about this long: a slow sender gets fewer messages. */
const TARGET_SECONDS = Number.isFinite(secondsEnv) && secondsEnv > 0 ? secondsEnv : 2;
/** Unmeasured load before the runs: the Node senders' code is optimised while it runs. */
const WARMUP_SECONDS = 3;
const WARMUP_MAX_MESSAGES = 20_000;
const MIN_MESSAGES = 30;

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');

/** Newest modification time under a directory (test files left out). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (!entry.name.includes('.test.')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Why this checkout's build cannot be measured (missing, or older than src/), or undefined. */
function staleBuild(): string | undefined {
  let built: number;
  try {
    built = statSync(join(packageDir, 'dist', 'index.js')).mtimeMs;
  } catch {
    return 'packages/client/dist is missing';
  }
  if (built < newest(join(packageDir, 'src'))) return 'packages/client/dist is older than src/';
  return undefined;
}

const rateOf = (r: RunResult): number => r.messages / (r.elapsedMs / 1000);
const clamp = (n: number, low: number, high: number): number =>
  Math.max(low, Math.min(high, Math.round(n)));

/**
 * Warms a sender up on a row's load, then sizes its runs: ~TARGET_SECONDS at the warmed rate,
 * within the row's cap. The Node senders are measured in their steady state, so each first gets
 * WARMUP_SECONDS of the very load (at most WARMUP_MAX_MESSAGES), unmeasured; smtp-source too.
 */
async function warmAndSize(sender: RunningSender, config: LoadConfig): Promise<number> {
  const placement = placementFor(config);
  const probe = await sender.run(
    config,
    Math.min(config.maxMessages, Math.max(20, 2 * config.inflight)),
    placement,
  );
  const warm = await sender.run(
    config,
    clamp(
      rateOf(probe) * WARMUP_SECONDS,
      MIN_MESSAGES,
      Math.min(WARMUP_MAX_MESSAGES, config.maxMessages),
    ),
    placement,
  );
  return clamp(rateOf(warm) * TARGET_SECONDS, MIN_MESSAGES, config.maxMessages);
}

/** Pins the receiver and the long-lived senders for a row (or back to every CPU). */
function place(sink: RunningServer, running: Running[], receiver: string, sender: string): void {
  pinProcess(sink.pid, receiver);
  for (const { sender: s } of running) if (s.pid !== undefined) pinProcess(s.pid, sender);
}

interface Running {
  readonly entry: SenderEntry;
  readonly sender: RunningSender;
}

async function main(): Promise<void> {
  const sinkSkip = smtpSinkSkipReason();
  if (sinkSkip !== undefined) {
    console.log(`cannot run the client benchmark: ${sinkSkip}`);
    return;
  }
  const stale = staleBuild();
  if (stale !== undefined) {
    console.error(
      `cannot run the client benchmark: ${stale}; build it first: pnpm turbo run build --filter=@smtpkit/client... (the root pnpm bench does)`,
    );
    process.exitCode = 1;
    return;
  }
  const wanted = process.env['SMTPKIT_BENCH_SENDERS']?.split(',').map((s) => s.trim());
  const sink = await startSmtpSinkServer();
  const receiver = { host: sink.host, port: sink.port };
  console.log(`receiver: Postfix smtp-sink on ${sink.host}:${sink.port} (pid ${sink.pid})`);
  const running: Running[] = [];
  const results: Results = new Map();
  try {
    for (const entry of senders) {
      if (wanted !== undefined && !wanted.includes(entry.name)) continue;
      const reason = entry.skip();
      if (reason !== undefined) {
        console.log(`skipping ${entry.name}: ${reason}`);
        continue;
      }
      try {
        running.push({ entry, sender: await entry.start(receiver) });
      } catch (e) {
        console.log(`skipping ${entry.name}: ${(e as Error).message.slice(0, 300)}`);
      }
    }
    for (const config of configs) {
      const placement = placementFor(config);
      console.log(`# ${config.name} (${describePlacement(placement)})`);
      const row = new Map<string, Cell>();
      results.set(config.name, row);
      const active = running.filter(({ entry }) => entry.applies(config));
      if (placement !== undefined) place(sink, running, placement.receiver, placement.sender);
      try {
        const sizes = new Map<string, number>();
        for (const { entry, sender } of active) {
          try {
            sizes.set(entry.name, await warmAndSize(sender, config));
          } catch (e) {
            console.log(`  ${entry.name} failed: ${(e as Error).message.slice(0, 300)}`);
          }
        }
        const rates = new Map<string, number[]>();
        const cpus = new Map<string, number[]>();
        // Interleaved: run 1 of every sender, then run 2, … A burst of outside load then hits
        // every sender alike instead of spoiling one column.
        for (let run = 0; run < RUNS; run++) {
          for (const { entry, sender } of active) {
            const count = sizes.get(entry.name);
            if (count === undefined) continue;
            try {
              const r = await sender.run(config, count, placement);
              rates.set(entry.name, [...(rates.get(entry.name) ?? []), rateOf(r)]);
              cpus.set(entry.name, [...(cpus.get(entry.name) ?? []), r.cpuMs / r.messages]);
            } catch (e) {
              console.log(`  ${entry.name} failed: ${(e as Error).message.slice(0, 300)}`);
            }
          }
        }
        for (const { entry } of active) {
          const r = rates.get(entry.name);
          if (r === undefined || r.length === 0) continue;
          const cell: Cell = {
            rates: r,
            cpuMsPerMessage: cpus.get(entry.name) ?? [],
            messages: sizes.get(entry.name) ?? 0,
          };
          row.set(entry.name, cell);
          console.log(
            `  ${entry.name.padEnd(28)} ${median(r).toFixed(0).padStart(7)} msg/s  ${median(cell.cpuMsPerMessage).toFixed(3)} CPU ms/msg  [${cell.messages} msgs/run; runs ${Math.min(...r).toFixed(0)}–${Math.max(...r).toFixed(0)} msg/s]`,
          );
        }
      } finally {
        if (placement !== undefined) place(sink, running, placement.all, placement.all);
      }
    }
  } finally {
    for (const { sender } of running) await sender.stop();
    await sink.stop();
  }
  report(
    results,
    running.map(({ entry }) => entry),
  );
}

await main();
