// The client benchmark's loads (the three rows) and where each runs.
import { cpus } from 'node:os';
import { pinSkipReason } from '@smtpkit/testing';

/** One row of the table: messages of one size, so many sends in flight. */
export interface LoadConfig {
  readonly name: string;
  /** Octets of body per message (smtp-source `-l`; a few header lines come on top). */
  readonly messageSize: number;
  /** Sends outstanding at once (smtp-source `-s`). */
  readonly inflight: number;
  /** Messages in one measured run at most. */
  readonly maxMessages: number;
}

const scaleEnv = Number(process.env['SMTPKIT_BENCH_SCALE'] ?? '1');
const scale = Number.isFinite(scaleEnv) && scaleEnv > 0 ? scaleEnv : 1;
const count = (n: number): number => Math.max(30, Math.round(n * scale));

const allConfigs: readonly LoadConfig[] = [
  { name: '1 KB × 1 in flight', messageSize: 1024, inflight: 1, maxMessages: count(40_000) },
  { name: '1 KB × 20 in flight', messageSize: 1024, inflight: 20, maxMessages: count(60_000) },
  { name: '100 KB × 1 in flight', messageSize: 100 * 1024, inflight: 1, maxMessages: count(8000) },
];

// SMTPKIT_BENCH_CONFIGS=1,3 runs only those rows (1-based, in the order above).
const picked = process.env['SMTPKIT_BENCH_CONFIGS']?.split(',').map(Number);
export const configs =
  picked === undefined ? allConfigs : allConfigs.filter((_, i) => picked.includes(i + 1));

/**
 * Where the processes run, as in the server benchmark (packages/server/bench/load-configs.ts): on
 * this small virtual machine a wakeup across CPUs costs more than either side's work per reply,
 * and left to the scheduler one-session rates swing with where it happened to put the processes.
 * So every sender is placed the same way, by the kind of load:
 * - one in flight (a ping-pong: sender and receiver take turns): the sender and smtp-sink on the
 *   last CPU, so the rate measures the work both do per message;
 * - several in flight: smtp-sink alone on the last CPU, the sender on the others.
 * SMTPKIT_BENCH_PLACE=same or =apart runs every row one way; =free leaves it to the scheduler.
 */
export interface Placement {
  readonly receiver: string;
  readonly sender: string;
  readonly all: string;
}

const placeMode = process.env['SMTPKIT_BENCH_PLACE'] ?? 'auto';
const lastCpu = cpus().length - 1;
const canPlace = placeMode !== 'free' && lastCpu >= 1 && pinSkipReason() === undefined;

export function placementFor(config: LoadConfig): Placement | undefined {
  if (!canPlace) return undefined;
  const all = `0-${lastCpu}`;
  const same = placeMode === 'same' || (placeMode === 'auto' && config.inflight === 1);
  const cpu = String(lastCpu);
  if (same) return { receiver: cpu, sender: cpu, all };
  return { receiver: cpu, sender: lastCpu === 1 ? '0' : `0-${lastCpu - 1}`, all };
}

export function describePlacement(p: Placement | undefined): string {
  if (p === undefined) return 'placed by the scheduler';
  return p.receiver === p.sender
    ? `sender and smtp-sink on CPU ${p.sender}`
    : `smtp-sink alone on CPU ${p.receiver}, sender on CPU ${p.sender}`;
}
