// Server benchmark: @smtpkit/server as a sink (the apps/sink binary, "smtpkit sink", and the
// library with a `for await` data hook, bench/smtpkit-sink.mjs, "smtpkit"), side by side with a
// node:net responder that parses nothing (the floor for any Node server here), nodemailer's
// smtp-server as it ships and without its 100 ms greeting wait, Haraka and Postfix's smtp-sink (C),
// in one run on loopback, with Postfix's smtp-source as the load. Every server runs in its own
// process; CPU time comes from /proc/PID/task/*/schedstat (to the nanosecond) and memory from
// /proc/PID/status. Each figure is the median of 5 interleaved runs. Every load is bounded in
// count and time; only processes started here are stopped, by PID. How to read it and how to make
// a before/after table: bench/README.md.
//
//   pnpm bench                                   (in packages/server; builds nothing: run
//                                                 `pnpm turbo run build --filter=@smtpkit/server... --filter=@smtpkit/sink` first)
//   SMTPKIT_BENCH_SCALE=0.2 pnpm bench           scales the per-run message caps
//   SMTPKIT_BENCH_RUNS=3 pnpm bench              interleaved runs per cell (default 5)
//   SMTPKIT_BENCH_SERVERS=smtpkit,smtp-sink ...  picks servers by name (smtpkit sink, smtpkit, smtp-server,
//                                                "smtp-server no wait", Haraka, smtp-sink, "node:net floor";
//                                                "smtpkit hooks" runs only when named)
//   SMTPKIT_BENCH_MICRO=0 pnpm bench             skips the session/SASL/PROXY micro-benchmarks at the end
//   SMTPKIT_BENCH_CONFIGS=1,2 pnpm bench         only those load configurations (6: idle memory)
//   SMTPKIT_BENCH_PLACE=same|apart|free pnpm bench  CPU placement (default: by the kind of load, load-configs.ts)
//   SMTPKIT_BENCH_BASELINE=DIR pnpm bench        adds "sink baseline": the sink of another built checkout
//                                                (git worktree add DIR REV; build it), for an A/B in one run
import {
  measureIdleConnectionMemory,
  measureProcessRunMs,
  pinProcess,
  type RunningServer,
  runSmtpLoad,
  type SmtpLoadResult,
  smtpSourceSkipReason,
} from '@smtpkit/testing';
import { type ServerEntry, servers } from './bench-servers.js';
import {
  configs,
  describePlacement,
  type LoadConfig,
  placementFor,
  skipIdle,
} from './load-configs.js';
import { type Cell, IDLE_CONNECTIONS, median, RUNS, report, type ServerResults } from './report.js';

/** Each run aims at about this long; a slow server gets fewer messages (CPU ms/msg stays comparable). */
const TARGET_SECONDS = 3;
const MIN_MESSAGES = 30;
const WARMUP_SECONDS = 4;
const WARMUP_MESSAGES = 6000;
const LOAD_TIMEOUT_MS = 120_000;

/**
 * Warms a server up in a configuration, then sizes its runs: ~TARGET_SECONDS at the warmed rate,
 * capped, whole rounds when connections are kept. A JIT-compiled server is measured in its steady
 * state: this sink's per-connection code was still being optimised after 4,000 connections (1 KB,
 * one message per connection, both on one CPU: 2.3k msg/s in the first 1,000, 6.8k from the
 * 5,000th on), so every server gets up to WARMUP_SECONDS (at most WARMUP_MESSAGES) of the very load
 * it is then measured with, unmeasured. The warm-up goes in steps, each sized from the rate of the
 * one before (a first short probe, then up to a second's worth): a burst of outside load during
 * the probe no longer cuts the whole warm-up short (a server measured cold after 500 messages).
 */
async function warmAndSize(server: RunningServer, config: LoadConfig): Promise<number> {
  const round =
    config.messagesPerSession > 1 ? config.sessions * config.messagesPerSession : config.sessions;
  const wholeRounds = (n: number): number => Math.max(round, Math.ceil(n / round) * round);
  const started = performance.now();
  let warmed = 0;
  let last = await placedLoad(server, config, Math.min(config.totalMessages, Math.max(round, 20)));
  warmed += last.load.messages;
  const rates = [last.load.rate];
  while (warmed < WARMUP_MESSAGES && performance.now() - started < WARMUP_SECONDS * 1000) {
    const step = wholeRounds(
      Math.min(WARMUP_MESSAGES - warmed, Math.max(MIN_MESSAGES, last.load.rate)),
    );
    last = await placedLoad(server, config, step);
    warmed += last.load.messages;
    rates.push(last.load.rate);
  }
  // The best step's rate: outside load only ever slows a step down.
  const rate = Math.max(...rates);
  return wholeRounds(Math.min(config.totalMessages, Math.max(MIN_MESSAGES, rate * TARGET_SECONDS)));
}

/** One load of `config` on `server`, both placed for the configuration, and the server's CPU time. */
async function placedLoad(
  server: RunningServer,
  config: LoadConfig,
  totalMessages: number,
): Promise<{ load: SmtpLoadResult; cpuMs: number }> {
  const placement = placementFor(config);
  if (placement !== undefined) pinProcess(server.pid, placement.server);
  try {
    const before = measureProcessRunMs(server.pid);
    const load = await runSmtpLoad({
      port: server.port,
      ...config,
      totalMessages,
      timeoutMs: LOAD_TIMEOUT_MS,
      ...(placement === undefined ? {} : { cpus: placement.load }),
    });
    return { load, cpuMs: measureProcessRunMs(server.pid) - before };
  } finally {
    if (placement !== undefined) pinProcess(server.pid, placement.all);
  }
}

async function measureIdle(entry: ServerEntry): Promise<number> {
  const perConnection: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh process each run: RSS does not shrink back after connections close.
    const server = await entry.start();
    try {
      await runSmtpLoad({
        port: server.port,
        sessions: 1,
        messagesPerSession: 1,
        messageSize: 1024,
        totalMessages: 10,
        timeoutMs: 30_000,
      });
      const m = await measureIdleConnectionMemory({
        port: server.port,
        pid: server.pid,
        connections: IDLE_CONNECTIONS,
        warmupConnections: 100,
        timeoutMs: 60_000,
        settleMs: 1000,
        ...(server.collectGarbage === undefined ? {} : { beforeReading: server.collectGarbage }),
      });
      perConnection.push(m.kbPerConnection);
    } finally {
      await server.stop();
    }
  }
  return median(perConnection);
}

async function main(): Promise<void> {
  const loadSkip = smtpSourceSkipReason();
  if (loadSkip !== undefined) {
    console.log(`cannot run the server benchmark: ${loadSkip}`);
    return;
  }
  const wanted = process.env['SMTPKIT_BENCH_SERVERS']?.split(',');
  const results = new Map<string, ServerResults>();
  // All servers run at once (idle ones cost nothing) and the runs are interleaved: run 1 of every
  // server, then run 2, … On a shared machine a burst of outside load then hits every server
  // alike instead of spoiling one server's column.
  const running: Array<{ entry: ServerEntry; server: RunningServer }> = [];
  try {
    for (const entry of servers) {
      if (wanted === undefined ? entry.onlyWhenNamed === true : !wanted.includes(entry.name)) {
        continue;
      }
      const reason = entry.skip();
      if (reason !== undefined) {
        console.log(`skipping ${entry.name}: ${reason}`);
        continue;
      }
      try {
        const server = await entry.start();
        // Warm-up (JIT, caches, lazy initialisation), not measured.
        await runSmtpLoad({
          port: server.port,
          sessions: 2,
          messagesPerSession: 1,
          messageSize: 1024,
          totalMessages: 200,
          timeoutMs: 60_000,
        });
        running.push({ entry, server });
        results.set(entry.name, { loads: new Map(), idleKb: Number.NaN });
      } catch (e) {
        console.log(`skipping ${entry.name}: ${(e as Error).message.slice(0, 300)}`);
      }
    }
    for (const config of configs) {
      const placement = placementFor(config);
      console.log(`# ${config.name} (${describePlacement(placement)})`);
      const sizes = new Map<string, number>();
      const rates = new Map<string, number[]>();
      const cpus = new Map<string, number[]>();
      for (const { entry, server } of running) {
        sizes.set(entry.name, await warmAndSize(server, config));
      }
      for (let run = 0; run < RUNS; run++) {
        for (const { entry, server } of running) {
          const totalMessages = sizes.get(entry.name) ?? MIN_MESSAGES;
          try {
            const { load, cpuMs } = await placedLoad(server, config, totalMessages);
            rates.set(entry.name, [...(rates.get(entry.name) ?? []), load.rate]);
            cpus.set(entry.name, [...(cpus.get(entry.name) ?? []), cpuMs / load.messages]);
          } catch (e) {
            console.log(`  ${entry.name} failed under load: ${(e as Error).message.slice(0, 300)}`);
          }
        }
      }
      for (const { entry } of running) {
        const r = rates.get(entry.name);
        if (r === undefined || r.length === 0) continue;
        const cell: Cell = {
          rate: median(r),
          cpuMsPerMessage: median(cpus.get(entry.name) ?? []),
          messages: sizes.get(entry.name) ?? 0,
        };
        results.get(entry.name)?.loads.set(config.name, cell);
        // The spread of the runs beside the median: what a difference between servers must beat.
        console.log(
          `  ${entry.name.padEnd(16)} ${cell.rate.toFixed(0).padStart(7)} msg/s  ${cell.cpuMsPerMessage.toFixed(3)} CPU ms/msg  [${cell.messages} msgs/run; runs ${Math.min(...r).toFixed(0)}–${Math.max(...r).toFixed(0)} msg/s]`,
        );
      }
    }
  } finally {
    for (const { server } of running) await server.stop();
  }
  console.log(`# idle memory, ${IDLE_CONNECTIONS} connections`);
  for (const { entry } of skipIdle ? [] : running) {
    try {
      const idleKb = await measureIdle(entry);
      const cell = results.get(entry.name);
      if (cell !== undefined) cell.idleKb = idleKb;
      console.log(`  ${entry.name.padEnd(16)} ${idleKb.toFixed(1)} KiB/conn`);
    } catch (e) {
      console.log(`  ${entry.name} idle-memory test failed: ${(e as Error).message.slice(0, 300)}`);
    }
  }
  report(results);
  if (process.env['SMTPKIT_BENCH_MICRO'] !== '0') {
    console.log('\n# ServerSession (sans-IO) micro-benchmarks');
    const { runSessionBench } = await import('./session.js');
    await runSessionBench();
    console.log('\n# SASL and PROXY micro-benchmarks');
    await import('./sasl-proxy.js');
  }
}

await main();
