import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerError } from '../peers/peer-error.js';
import { startProcess } from '../peers/run-process.js';
import { findPeer } from '../peers.js';

export const STRACE = '/usr/bin/strace';

/** System calls a process made, by name, from `strace -c`. */
export interface SyscallCounts {
  /** Calls per system call name (errors included). */
  readonly calls: ReadonlyMap<string, number>;
  /** All calls. */
  readonly total: number;
}

/**
 * Why strace cannot count system calls here, or undefined. A benchmark tool, not a peer the
 * tests talk to: missing, it is a skip even under CI.
 *
 * @example
 * ```ts
 * if (straceSkipReason() === undefined) await countSyscalls(pid, 30_000, () => load());
 * ```
 */
export function straceSkipReason(): string | undefined {
  return findPeer(STRACE, ['-V']) ? undefined : `'${STRACE}' is not installed`;
}

// A row of strace -c's table: % time, seconds, usecs/call, calls, [errors], syscall.
const ROW = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/;

/**
 * Reads the summary table `strace -c` writes (`-o FILE`): one row per system call, its calls in
 * the fourth column; the total row and the headers are left out.
 *
 * @example
 * ```ts
 * parseStraceSummary(' 4.30    0.073845          10      7005           write\n').calls.get('write'); // 7005
 * ```
 */
export function parseStraceSummary(text: string): SyscallCounts {
  const calls = new Map<string, number>();
  let total = 0;
  for (const row of text.split('\n')) {
    const m = ROW.exec(row);
    if (m === null || m[2] === 'total') continue;
    const n = Number(m[1]);
    calls.set(m[2] as string, (calls.get(m[2] as string) ?? 0) + n);
    total += n;
  }
  return { calls, total };
}

/** Whether a process is being traced (TracerPid in /proc/PID/status). */
function traced(pid: number): boolean {
  const m = /^TracerPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m !== null && m[1] !== '0';
}

/**
 * Counts the system calls of a running process (every thread: `strace -c -f -p PID`) while
 * `work` runs, then detaches (SIGINT to strace, by its PID). Tracing slows the process a lot:
 * count calls with it, never time. Bounded: strace is stopped after `timeoutMs` whatever `work`
 * does.
 *
 * @example
 * ```ts
 * const counts = await countSyscalls(server.pid, 60_000, () => runSmtpLoad({ ... }));
 * console.log(counts.calls.get('write'));
 * ```
 */
export async function countSyscalls(
  pid: number,
  timeoutMs: number,
  work: () => Promise<unknown>,
): Promise<SyscallCounts> {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'strace-'));
  const out = join(dir, 'summary');
  const strace = startProcess(STRACE, ['-c', '-f', '-qq', '-o', out, '-p', String(pid)]);
  const deadline = setTimeout(() => void strace.stop(2000, 'SIGINT'), timeoutMs);
  try {
    // Attached once the kernel names a tracer for the process.
    const attachBy = performance.now() + Math.min(timeoutMs, 10_000);
    while (!traced(pid)) {
      if (performance.now() > attachBy) {
        throw new PeerError('ERR_PEER_START', `strace did not attach: ${strace.output().stderr}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await work();
    await strace.stop(5000, 'SIGINT');
    return parseStraceSummary(existsSync(out) ? readFileSync(out, 'utf8') : '');
  } finally {
    clearTimeout(deadline);
    await strace.stop(1000, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
}
