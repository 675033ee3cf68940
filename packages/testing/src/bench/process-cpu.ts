import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticks: number | undefined;

/**
 * Clock ticks per second used by /proc/PID/stat times (`getconf CLK_TCK`, usually 100).
 *
 * @example
 * ```ts
 * clockTicksPerSecond(); // 100
 * ```
 */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    const text = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim();
    const value = Number(text);
    ticks = Number.isInteger(value) && value > 0 ? value : 100;
  }
  return ticks;
}

/** CPU time a process has used so far, from /proc/PID/stat. */
export interface ProcessCpu {
  /** utime, in milliseconds. */
  readonly userMs: number;
  /** stime, in milliseconds. */
  readonly systemMs: number;
  /** utime + stime of the process itself, plus cutime + cstime of children it has waited for. */
  readonly totalMs: number;
}

/**
 * Parses the text of /proc/PID/stat. The command name (field 2) is in parentheses and may contain
 * spaces or parentheses, so fields are counted from the last ")". Fields 14–17 (1-based) are
 * utime, stime, cutime and cstime, in clock ticks (proc(5)).
 *
 * @example
 * ```ts
 * parseProcStat('42 (smtp-sink) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0', 100).totalMs; // 3000
 * ```
 */
export function parseProcStat(text: string, ticksPerSecond: number): ProcessCpu {
  const close = text.lastIndexOf(')');
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const read = (n: number): number => {
    const value = Number(fields[n - 3]);
    return Number.isFinite(value) ? value : 0;
  };
  const perTick = 1000 / ticksPerSecond;
  const userMs = read(14) * perTick;
  const systemMs = read(15) * perTick;
  return { userMs, systemMs, totalMs: userMs + systemMs + (read(16) + read(17)) * perTick };
}

/**
 * Reads a process's CPU time so far (Linux /proc). Take it before and after a load; the difference
 * is the CPU the server spent on it. Resolution is one clock tick (10 ms at 100 Hz), so measure
 * loads of a second or more.
 *
 * @example
 * ```ts
 * const before = measureProcessCpu(server.pid);
 * await runSmtpLoad({ port: server.port, totalMessages: 2000, timeoutMs: 60_000 });
 * const cpuMs = measureProcessCpu(server.pid).totalMs - before.totalMs;
 * ```
 */
export function measureProcessCpu(pid: number): ProcessCpu {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicksPerSecond());
}

/**
 * The time on CPU in a `/proc/PID/task/TID/schedstat` text (its first field, nanoseconds), or NaN.
 *
 * @example
 * ```ts
 * parseSchedstatNs('192931 813580 3\n'); // 192931
 * ```
 */
export function parseSchedstatNs(text: string): number {
  const match = /^(\d+) \d+ \d+\s*$/.exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

/**
 * A process's time on CPU so far, in milliseconds to the nanosecond: the scheduler's count for
 * each of its threads (`/proc/PID/task/TID/schedstat`), summed. Unlike {@link measureProcessCpu}
 * (whole clock ticks, sampled) it resolves a short load exactly; threads that ended are no longer
 * counted, so take the difference over a span the process keeps its threads (a Node server's
 * are long-lived). Falls back to {@link measureProcessCpu} where schedstat cannot be read.
 *
 * @example
 * ```ts
 * const before = measureProcessRunMs(server.pid);
 * await runSmtpLoad({ port: server.port, sessions: 1, messagesPerSession: 1, messageSize: 1024,
 *   totalMessages: 500, timeoutMs: 60_000 });
 * const cpuMs = measureProcessRunMs(server.pid) - before;
 * ```
 */
export function measureProcessRunMs(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      } catch {
        continue; // the thread ended meanwhile
      }
      const t = parseSchedstatNs(text);
      if (Number.isNaN(t)) return measureProcessCpu(pid).totalMs;
      ns += t;
    }
  } catch {
    return measureProcessCpu(pid).totalMs;
  }
  return ns / 1e6;
}

/**
 * Resident set size of a process in KiB, from the `VmRSS:` line of /proc/PID/status.
 *
 * @example
 * ```ts
 * measureProcessRssKb(process.pid); // e.g. 52344
 * ```
 */
export function measureProcessRssKb(pid: number): number {
  return parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/**
 * The `VmRSS:` value (kB) of a /proc/PID/status text; NaN when absent (a zombie has none).
 *
 * @example
 * ```ts
 * parseVmRssKb('Name:\tx\nVmRSS:\t    8872 kB\n'); // 8872
 * ```
 */
export function parseVmRssKb(text: string): number {
  const match = /^VmRSS:\s*(\d+)\s*kB$/m.exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

/**
 * PIDs of the live direct children of `pid` (reads the parent field of every /proc/N/stat). A server
 * that does its work in children (a cluster) must be measured there, not at the parent.
 *
 * @example
 * ```ts
 * childPids(server.pid); // [] for a single-process server
 * ```
 */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // field 4 (ppid) is the second field after the ")" that closes the command name
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}
