// MTA benchmark (issue 13): Postfix's smtp-source submits to the smtpkit MTA, which relays
// everything to Postfix's smtp-sink, beside a private Postfix doing the same job with its default
// durability; messages per second accepted and delivered, CPU per message and memory, for 1 KB and
// 100 KB messages with 1 session and with 20. Each figure is the median of RUNS interleaved runs
// after a warm-up of the very load. Every load is bounded in count and time; only processes
// started here are stopped, by PID, and the private Postfix with `postfix -c DIR stop`.
// How to read it: bench/README.md.
//
//   pnpm turbo run bench --filter=@smtpkit/mta   (from the root: builds the MTA and its packages first)
//   pnpm bench                                   (in apps/mta; rebuilds the app when dist is stale)
//   SMTPKIT_BENCH_RUNS=5 pnpm bench              measured runs per cell (default 3)
//   SMTPKIT_BENCH_SCALE=0.25 pnpm bench          scales the messages per run (2,000 at 1 KB, 500 at 100 KB)
//   SMTPKIT_BENCH_CONFIGS=2 pnpm bench           only those loads (1: 1 KB × 1, 2: 1 KB × 20, 3: 100 KB × 1, 4: 100 KB × 20)
//   SMTPKIT_BENCH_SYSTEMS=MTA pnpm bench         only those systems (MTA, Postfix, "MTA baseline")
//   SMTPKIT_BENCH_PLACE=free pnpm bench          no CPU placement (default: the system alone on the last CPU)
//   SMTPKIT_BENCH_BASELINE=DIR pnpm bench        adds "MTA baseline": DIR/apps/mta/dist/cli.js of another
//                                                built checkout (git worktree add DIR REV; build it), an A/B in one run
//   SMTPKIT_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' pnpm bench   node options of the MTA processes
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildAppIfStale,
  pinProcess,
  smtpSinkSkipReason,
  smtpSourceSkipReason,
} from '@smtpkit/testing';
import { describePlacement, type Load, loads, placement, RUNS } from './loads.js';
import { measureRun, type RunResult } from './measure-run.js';
import { median, type Results, report } from './report.js';
import { type SystemUnderTest, systems } from './systems.js';

/** Pause between runs: the previous system settles its queue (records, unlinks) unmeasured. */
const SETTLE_MS = 500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Warm-up, unmeasured, of the very load: a quarter of a run (at least 100 messages), and for a
 * JIT-compiled system (the MTA) at least 4,000 messages at 1 KB and 2,000 at 100 KB. V8 is still
 * optimising the MTA's code after a few thousand messages: `--trace-opt` counted about 600
 * functions optimised in the first 2,000 messages of 1 KB × 20, 144 in the next 2,000, 17 in the
 * fifth.
 */
function warmupCount(load: Load, jit: boolean): number {
  const quarter = Math.max(100, Math.round(load.messages / 4));
  return jit ? Math.max(quarter, load.size > 10_000 ? 2000 : 4000) : quarter;
}

function summary(runs: readonly RunResult[]): string {
  const pick = (f: (r: RunResult) => number): number => median(runs.map(f));
  return (
    `accepted ${Math.round(pick((r) => r.acceptedRate))} msg/s, ` +
    `delivered ${Math.round(pick((r) => r.deliveredRate))} msg/s, ` +
    `${pick((r) => r.cpuMsPerMessage).toFixed(3)} CPU ms/msg, ` +
    `PSS ${(pick((r) => r.pssKb) / 1024).toFixed(1)} MB`
  );
}

async function main(): Promise<void> {
  const peerMissing = smtpSourceSkipReason() ?? smtpSinkSkipReason();
  if (peerMissing !== undefined) {
    console.log(`cannot run the MTA benchmark: ${peerMissing}`);
    return;
  }
  buildAppIfStale(join(dirname(fileURLToPath(import.meta.url)), '..'));
  const wanted = process.env['SMTPKIT_BENCH_SYSTEMS']?.split(',').map((s) => s.trim());
  // This process polls the sink counters and samples memory: it belongs with the load.
  if (placement !== undefined) pinProcess(process.pid, placement.load);
  console.log(`placement: ${describePlacement(placement)}`);

  const running: SystemUnderTest[] = [];
  const results: Results = new Map();
  const stopAll = async (): Promise<void> => {
    for (const system of running.splice(0)) {
      await system.stop().catch((e: Error) => console.log(`stopping ${system.name}: ${e.message}`));
    }
  };
  // Interrupted: the MTA processes, the sinks and the private Postfix are stopped all the same.
  const onSignal = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: stopping what this benchmark started`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const entries = systems.filter((entry) => {
    if (wanted !== undefined && !wanted.includes(entry.name)) return false;
    const reason = entry.skip();
    if (reason !== undefined) console.log(`skipping ${entry.name}: ${reason}`);
    return reason === undefined;
  });
  try {
    // Every load starts the systems afresh, so that neither the MTA's heap grown by an earlier
    // load nor Postfix's daemons still idle from one (max_idle = 100 s) count in its memory.
    for (const [index, load] of loads.entries()) {
      console.log(`# ${load.name}, ${load.messages} messages a run`);
      for (const entry of entries) {
        const system = await entry.start();
        running.push(system);
        if (placement !== undefined) {
          pinProcess(system.pid, placement.system);
          pinProcess(system.sink.pid, placement.load);
        }
        if (index === 0) console.log(`  ${system.name}: ${system.description}`);
      }
      const row = new Map<string, RunResult[]>();
      results.set(load.name, row);
      for (const [i, system] of running.entries()) {
        const count = warmupCount(load, entries[i]?.jit === true);
        try {
          await measureRun(system, load, count, placement);
        } catch (e) {
          console.log(`  ${system.name} warm-up failed: ${(e as Error).message.slice(0, 300)}`);
        }
        await sleep(SETTLE_MS);
      }
      // Interleaved, the order turned every run: a burst of outside load on this shared machine
      // then hits every system alike.
      for (let run = 0; run < RUNS; run++) {
        const order = run % 2 === 0 ? running : [...running].reverse();
        for (const system of order) {
          try {
            const r = await measureRun(system, load, load.messages, placement);
            row.set(system.name, [...(row.get(system.name) ?? []), r]);
          } catch (e) {
            console.log(`  ${system.name} run failed: ${(e as Error).message.slice(0, 300)}`);
          }
          await sleep(SETTLE_MS);
        }
      }
      for (const system of running) {
        const runs = row.get(system.name) ?? [];
        if (runs.length > 0) console.log(`  ${system.name}: ${summary(runs)}`);
      }
      await stopAll();
    }
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const met = report(loads, results);
  console.log(`\nall goals met: ${met ? 'yes' : 'no'}`);
}

await main();
