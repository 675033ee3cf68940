import { readdirSync, readFileSync } from 'node:fs';
import { measureProcessCpu } from './process-cpu.js';

/**
 * A process and every live descendant (children, their children, …), the root first, read from
 * the parent field of every /proc/N/stat. A server made of many processes (Postfix's master and
 * the smtpd, cleanup, qmgr, smtp, trivial-rewrite … it starts on demand) is measured over its
 * whole tree. Empty when the root is gone.
 *
 * @example
 * ```ts
 * processTree(postfix.pid); // [masterPid, qmgrPid, pickupPid, smtpdPid, ...]
 * ```
 */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  let rootAlive = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const pid = Number(entry);
    if (pid === rootPid) rootAlive = true;
    // field 4 (ppid) is the second field after the ")" that closes the command name
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid);
    if (list === undefined) children.set(ppid, [pid]);
    else list.push(pid);
  }
  if (!rootAlive) return [];
  const tree = [rootPid];
  // Bounded: every PID is visited once (a PID has one parent).
  for (let i = 0; i < tree.length; i++) {
    for (const child of children.get(tree[i] as number) ?? []) tree.push(child);
  }
  return tree;
}

/** Resident and proportional set size of one process, in KiB. */
export interface ProcessMemory {
  /** Pages of the process in RAM, shared ones counted whole (the `Rss:` of smaps_rollup). */
  readonly rssKb: number;
  /**
   * Proportional set size: each shared page divided by the number of processes mapping it
   * (`Pss:`). Summed over processes that share libraries, PSS counts each page once; RSS would
   * count the C library once per process.
   */
  readonly pssKb: number;
}

/**
 * The `Rss:` and `Pss:` values (kB) of a /proc/PID/smaps_rollup text; NaN for a field that is
 * absent (a zombie's file is empty).
 *
 * @example
 * ```ts
 * parseSmapsRollup('55-7f ---p 0 00:00 0 [rollup]\nRss:  4012 kB\nPss:  828 kB\n');
 * // { rssKb: 4012, pssKb: 828 }
 * ```
 */
export function parseSmapsRollup(text: string): ProcessMemory {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s*(\\d+)\\s*kB$`, 'm').exec(text);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]);
  };
  return { rssKb: field('Rss'), pssKb: field('Pss') };
}

/**
 * RSS and PSS of a process now, from /proc/PID/smaps_rollup (Linux 4.14+); undefined when the
 * process is gone or the file cannot be read.
 *
 * @example
 * ```ts
 * measureProcessMemory(process.pid); // { rssKb: 52344, pssKb: 49810 }
 * ```
 */
export function measureProcessMemory(pid: number): ProcessMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  const m = parseSmapsRollup(text);
  return Number.isNaN(m.rssKb) || Number.isNaN(m.pssKb) ? undefined : m;
}

/**
 * CPU time used so far by a process tree: user + system time of every live process in it, each
 * with its waited-for children (so a process that exited and was reaped still counts, at its
 * parent). Take it before and after a load; 10 ms resolution per process.
 *
 * @example
 * ```ts
 * const before = measureProcessTreeCpuMs(postfix.pid);
 * await load();
 * const cpuMs = measureProcessTreeCpuMs(postfix.pid) - before;
 * ```
 */
export function measureProcessTreeCpuMs(rootPid: number): number {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      total += measureProcessCpu(pid).totalMs;
    } catch {
      // exited meanwhile: its time moves to its parent once reaped
    }
  }
  return total;
}

/** The peaks of a {@link sampleProcessTreeMemory} sampling. */
export interface ProcessTreeMemoryPeak {
  /** Highest sum of RSS over the tree seen in one sample. */
  readonly rssKb: number;
  /** Highest sum of PSS over the tree seen in one sample. */
  readonly pssKb: number;
  /** Most processes seen in the tree in one sample. */
  readonly processes: number;
  readonly samples: number;
}

/** A running {@link sampleProcessTreeMemory}. */
export interface ProcessTreeMemorySampler {
  /** Takes a last sample, stops the timer and gives the peaks. */
  stop(): ProcessTreeMemoryPeak;
}

/**
 * Samples the memory of a process tree every `intervalMs` (default 100) until `stop()`: the sums
 * of RSS and of PSS over the root and its descendants at each sample, and their peaks. Processes
 * that live shorter than the interval can be missed; a long run gives the steady peak.
 *
 * @example
 * ```ts
 * const sampler = sampleProcessTreeMemory(postfix.pid);
 * await load();
 * const peak = sampler.stop(); // { rssKb, pssKb, processes, samples }
 * ```
 */
export function sampleProcessTreeMemory(
  rootPid: number,
  options: { readonly intervalMs?: number } = {},
): ProcessTreeMemorySampler {
  let rssKb = 0;
  let pssKb = 0;
  let processes = 0;
  let samples = 0;
  const sample = (): void => {
    let rss = 0;
    let pss = 0;
    let count = 0;
    for (const pid of processTree(rootPid)) {
      const m = measureProcessMemory(pid);
      if (m === undefined) continue;
      rss += m.rssKb;
      pss += m.pssKb;
      count++;
    }
    rssKb = Math.max(rssKb, rss);
    pssKb = Math.max(pssKb, pss);
    processes = Math.max(processes, count);
    samples++;
  };
  sample();
  const timer = setInterval(sample, options.intervalMs ?? 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { rssKb, pssKb, processes, samples };
    },
  };
}
