import { execFileSync } from 'node:child_process';
import { childPids } from './process-cpu.js';

/**
 * Confines a running process, every thread of it and its direct children (a cluster's workers),
 * to the CPUs of a `taskset -c` list such as `'1'` or `'0-1'`, through util-linux taskset.
 *
 * On a small virtual machine a wakeup that crosses CPUs can cost more than the work it wakes, so
 * a ping-pong load (one SMTP session: the client waits for every reply) runs at very different
 * rates depending on where the scheduler happened to put the two processes. The benchmark
 * places the server and the load generator itself, the same way for every server.
 *
 * @example
 * ```ts
 * pinProcess(server.pid, '1');
 * await runSmtpLoad({ port, sessions: 1, messagesPerSession: 100, messageSize: 1024,
 *   totalMessages: 3000, timeoutMs: 60_000, cpus: '1' });
 * ```
 */
export function pinProcess(pid: number, cpus: string): void {
  for (const p of [pid, ...childPids(pid)]) {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(p)], { stdio: 'ignore' });
  }
}

/** Why CPU placement cannot be used here, or undefined when taskset works. */
export function pinSkipReason(): string | undefined {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return undefined;
  } catch (e) {
    return `taskset (util-linux) does not work here: ${(e as Error).message}`;
  }
}
