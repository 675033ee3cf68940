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
