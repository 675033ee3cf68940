// The server benchmark's load configurations and where each runs.
import { cpus } from 'node:os';
import { pinSkipReason } from '@smtpkit/testing';

/**
 * One smtp-source load. `totalMessages` caps a run; each server's runs are sized to about 3 s of
 * its warmed-up rate below that cap (index.ts), so the caps are set above what the fastest server
 * does in 3 s: every server is measured over about the same time.
 */
export interface LoadConfig {
  readonly name: string;
  readonly sessions: number;
  readonly messagesPerSession: number;
  readonly messageSize: number;
  readonly totalMessages: number;
}

const scaleEnv = Number(process.env['SMTPKIT_BENCH_SCALE'] ?? '1');
const scale = Number.isFinite(scaleEnv) && scaleEnv > 0 ? scaleEnv : 1;
const count = (n: number): number => Math.max(10, Math.round(n * scale));

/**
 * Where the processes run. A wakeup across the CPUs of this small virtual machine costs more than
 * a server's work per reply (the node:net floor, 1 KB x 100 per connection: 12.2k msg/s with it
 * and smtp-source on one CPU, 3.8k on two), and left to the scheduler one-session rates swung up
 * to three times from run to run with where it happened to put the two processes. So the
 * benchmark places them, the same way for every server, by the kind of load:
 * - one session (a ping-pong: client and server never run at the same time): both on the last
 *   CPU, so the rate measures the work both sides do per message rather than the hypervisor's
 *   cross-CPU wakeup, which costs every server the same and even a C sink ~70 µs of CPU per
 *   message (smtp-sink, 1 KB x 100: 17 µs/msg on one CPU, 87 µs/msg on two);
 * - parallel sessions: the server alone on the last CPU, smtp-source on the others, so the server
 *   has a CPU of its own to show what it does with concurrent clients.
 * SMTPKIT_BENCH_PLACE=same or =apart runs every load one way; =free leaves it to the scheduler.
 */
export type Placement = { readonly server: string; readonly load: string; readonly all: string };
const placeMode = process.env['SMTPKIT_BENCH_PLACE'] ?? 'auto';
const lastCpu = cpus().length - 1;
const canPlace = placeMode !== 'free' && lastCpu >= 1 && pinSkipReason() === undefined;

export function placementFor(config: LoadConfig): Placement | undefined {
  if (!canPlace) return undefined;
  const all = `0-${lastCpu}`;
  const same = placeMode === 'same' || (placeMode === 'auto' && config.sessions === 1);
  if (same) return { server: String(lastCpu), load: String(lastCpu), all };
  return { server: String(lastCpu), load: lastCpu === 1 ? '0' : `0-${lastCpu - 1}`, all };
}

export function describePlacement(p: Placement | undefined): string {
  if (p === undefined) return 'placed by the scheduler';
  return p.server === p.load
    ? `server and smtp-source on CPU ${p.server}`
    : `server on CPU ${p.server}, smtp-source on CPU ${p.load}`;
}

const allConfigs: readonly LoadConfig[] = [
  {
    name: '1 KB, 1 msg/conn',
    sessions: 1,
    messagesPerSession: 1,
    messageSize: 1024,
    totalMessages: count(8000),
  },
  {
    name: '1 KB, 1 msg/conn, 20 sessions',
    sessions: 20,
    messagesPerSession: 1,
    messageSize: 1024,
    totalMessages: count(12000),
  },
  {
    name: '1 KB, conn reused',
    sessions: 1,
    messagesPerSession: 100,
    messageSize: 1024,
    totalMessages: count(15000),
  },
  {
    name: '1 KB, 20 conns reused',
    sessions: 20,
    messagesPerSession: 100,
    messageSize: 1024,
    totalMessages: count(40000),
  },
  {
    name: '100 KB, 1 msg/conn',
    sessions: 1,
    messagesPerSession: 1,
    messageSize: 100 * 1024,
    totalMessages: count(6000),
  },
];

// SMTPKIT_BENCH_CONFIGS=1,2 runs only those configurations (1-based, in the order above; 6 is the
// idle-memory test).
const pickedConfigs = process.env['SMTPKIT_BENCH_CONFIGS']?.split(',').map(Number);
export const configs =
  pickedConfigs === undefined
    ? allConfigs
    : allConfigs.filter((_, i) => pickedConfigs.includes(i + 1));
export const skipIdle =
  pickedConfigs !== undefined && !pickedConfigs.includes(allConfigs.length + 1);
