// One measured run: smtp-source submits a bounded count of messages to a system, which relays
// them to its smtp-sink; the sink's counter says when all have been delivered.
import {
  measureProcessTreeCpuMs,
  readSmtpSinkCount,
  runSmtpSource,
  sampleProcessTreeMemory,
} from '@smtpkit/testing';
import type { Load, Placement } from './loads.js';
import type { SystemUnderTest } from './systems.js';

/** What one run measured. */
export interface RunResult {
  readonly messages: number;
  /** messages / smtp-source's wall time (its start to its exit): every 250 received. */
  readonly acceptedRate: number;
  /** messages / time from just before smtp-source started until the sink had counted them all. */
  readonly deliveredRate: number;
  /** Peak over the run of the system's summed RSS and PSS (KiB), sampled every 100 ms. */
  readonly rssKb: number;
  readonly pssKb: number;
  /** Most processes the system had at once during the run. */
  readonly processes: number;
  /** CPU time of the system's process tree over the run, per message. */
  readonly cpuMsPerMessage: number;
}

/** Bound on one run: submission and delivery together. */
const RUN_TIMEOUT_MS = 180_000;
/** How often the sink's counter file is read. */
const POLL_MS = 10;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `messages` of `load` through `system`. Rejects when smtp-source meets any reply but the
 * expected ones, or when the sink has not counted every message within the bound.
 */
export async function measureRun(
  system: SystemUnderTest,
  load: Load,
  messages: number,
  placement: Placement | undefined,
): Promise<RunResult> {
  const base = readSmtpSinkCount(system.counterFile);
  const cpuBefore = measureProcessTreeCpuMs(system.pid);
  const sampler = sampleProcessTreeMemory(system.pid, { intervalMs: 100 });
  const started = performance.now();
  const deadline = started + RUN_TIMEOUT_MS;
  let stopped = false;
  const delivered = (async (): Promise<number> => {
    // Bounded by the deadline, or by `stopped` when the submission failed.
    for (;;) {
      if (readSmtpSinkCount(system.counterFile) - base >= messages) return performance.now();
      if (stopped) return Number.NaN;
      if (performance.now() > deadline) {
        const got = readSmtpSinkCount(system.counterFile) - base;
        throw new Error(
          `${system.name}: ${got} of ${messages} delivered after ${RUN_TIMEOUT_MS} ms`,
        );
      }
      await sleep(POLL_MS);
    }
  })();
  let acceptedMs: number;
  let deliveredAt: number;
  try {
    const source = await runSmtpSource({
      port: system.port,
      sessions: load.sessions,
      messages,
      size: load.size,
      from: 'bench@source.example',
      to: 'bench@sink.example',
      timeoutMs: RUN_TIMEOUT_MS,
      ...(placement === undefined ? {} : { cpus: placement.load }),
    });
    acceptedMs = source.elapsedMs;
    deliveredAt = await delivered;
  } catch (e) {
    stopped = true;
    await delivered.catch(() => undefined);
    sampler.stop();
    throw e;
  }
  const peak = sampler.stop();
  const cpuMs = measureProcessTreeCpuMs(system.pid) - cpuBefore;
  return {
    messages,
    acceptedRate: messages / (acceptedMs / 1000),
    deliveredRate: messages / ((deliveredAt - started) / 1000),
    rssKb: peak.rssKb,
    pssKb: peak.pssKb,
    processes: peak.processes,
    cpuMsPerMessage: cpuMs / messages,
  };
}
