// The MTA benchmark's loads (the four) and where each process runs.
import { cpus } from 'node:os';
import { pinSkipReason } from '@smtpkit/testing';

/** One smtp-source load: `sessions` in parallel, one message per connection. */
export interface Load {
  readonly name: string;
  readonly sessions: number;
  /** Payload bytes per message (smtp-source `-l`; its few header lines come on top). */
  readonly size: number;
  /** Messages per measured run (bounded). */
  readonly messages: number;
}

const scaleEnv = Number(process.env['SMTPKIT_BENCH_SCALE'] ?? '1');
const scale = Number.isFinite(scaleEnv) && scaleEnv > 0 ? scaleEnv : 1;
const count = (n: number): number => Math.max(20, Math.round(n * scale));

const allLoads: readonly Load[] = [
  { name: '1 KB × 1 session', sessions: 1, size: 1024, messages: count(2000) },
  { name: '1 KB × 20 sessions', sessions: 20, size: 1024, messages: count(2000) },
  { name: '100 KB × 1 session', sessions: 1, size: 100 * 1024, messages: count(500) },
  { name: '100 KB × 20 sessions', sessions: 20, size: 100 * 1024, messages: count(500) },
];

// SMTPKIT_BENCH_CONFIGS=2 or =1,3: only those loads (1-based, in the order above).
const picked = process.env['SMTPKIT_BENCH_CONFIGS']?.split(',').map(Number);
export const loads: readonly Load[] =
  picked === undefined ? allLoads : allLoads.filter((_, i) => picked.includes(i + 1));

/** Interleaved measured runs per load and system (SMTPKIT_BENCH_RUNS, default 3). */
export const RUNS = Math.max(1, Math.round(Number(process.env['SMTPKIT_BENCH_RUNS'] ?? '3')) || 3);

/**
 * Where the processes run, as `taskset -c` lists. The system under test (the MTA's one process
 * and its threads, or Postfix's master and every daemon it starts: children inherit the master's
 * CPUs) gets the last CPU to itself; the load side (smtp-source, both smtp-sinks and this
 * benchmark process, which polls the sink counters and samples memory) runs on the others. Both
 * systems are placed the same way in every row, so each has exactly one CPU for receiving,
 * queueing and delivering. On this 2-vCPU machine: the system on CPU 1, the rest on CPU 0.
 * SMTPKIT_BENCH_PLACE=free leaves everything to the scheduler.
 */
export interface Placement {
  readonly system: string;
  readonly load: string;
}

const lastCpu = cpus().length - 1;
const placeMode = process.env['SMTPKIT_BENCH_PLACE'] ?? 'apart';

/** The placement used for every row, or undefined (free, one CPU, or no taskset). */
export const placement: Placement | undefined =
  placeMode === 'free' || lastCpu < 1 || pinSkipReason() !== undefined
    ? undefined
    : { system: String(lastCpu), load: lastCpu === 1 ? '0' : `0-${lastCpu - 1}` };

export function describePlacement(p: Placement | undefined): string {
  if (p === undefined) return 'placed by the scheduler';
  return `system on CPU ${p.system}; smtp-source, smtp-sink on CPU ${p.load}`;
}
