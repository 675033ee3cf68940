// System calls per message: the sink, the library (for-await data hook; and with async MAIL and
// RCPT hooks too, "smtpkit hooks") and the node:net floor
// (and, with SMTPKIT_BENCH_BASELINE, the sink of another checkout) under `strace -c -f` while a
// bounded load runs: smtp-source (no pipelining: one command, one reply) and a pipelining client
// (RFC 2920: MAIL, RCPT, DATA in one write; the body, its end and a last QUIT in one more), one
// message per connection and connections reused. Tracing slows every process a lot: these are
// counts, never timings.
//
//   pnpm bench:syscalls                          (in packages/server; build first, as for pnpm bench)
//   SMTPKIT_BENCH_SERVERS=... SMTPKIT_BENCH_BASELINE=DIR   as for pnpm bench
//   SMTPKIT_SYSCALL_MESSAGES=2000                messages per load (default 2000)
import {
  countSyscalls,
  type RunningServer,
  runPipelinedLoad,
  runSmtpLoad,
  smtpSourceSkipReason,
  straceSkipReason,
} from '@smtpkit/testing';
import { servers } from './bench-servers.js';

const LOAD_TIMEOUT_MS = 180_000;
const messagesEnv = Number(process.env['SMTPKIT_SYSCALL_MESSAGES'] ?? '2000');
const MESSAGES = Number.isInteger(messagesEnv) && messagesEnv >= 20 ? messagesEnv : 2000;

interface Load {
  readonly name: string;
  run(port: number, messages: number): Promise<unknown>;
}

const smtpSource = (sessions: number, perConnection: number): Load['run'] => {
  return (port, messages) =>
    runSmtpLoad({
      port,
      sessions,
      messagesPerSession: perConnection,
      messageSize: 1024,
      totalMessages: messages,
      timeoutMs: LOAD_TIMEOUT_MS,
    });
};
const pipelined = (sessions: number, perConnection: number): Load['run'] => {
  return (port, messages) =>
    runPipelinedLoad({
      port,
      sessions,
      messagesPerSession: perConnection,
      messageSize: 1024,
      totalMessages: messages,
      timeoutMs: LOAD_TIMEOUT_MS,
    });
};

const loads: readonly Load[] = [
  { name: 'smtp-source 1 KB, 1 msg/conn, 20 sessions', run: smtpSource(20, 1) },
  { name: 'smtp-source 1 KB, 20 conns reused', run: smtpSource(20, 100) },
  { name: 'pipelined 1 KB, 1 msg/conn, 20 sessions', run: pipelined(20, 1) },
  { name: 'pipelined 1 KB, 20 conns reused', run: pipelined(20, 100) },
];

const WRITES = ['write', 'writev', 'sendmsg', 'sendto', 'sendmmsg'];
const READS = ['read', 'readv', 'recvmsg', 'recvfrom'];
const POLLS = ['epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'epoll_ctl'];

const defaults = ['smtpkit sink', 'sink baseline', 'smtpkit', 'smtpkit hooks', 'node:net floor'];

async function main(): Promise<void> {
  const skip = straceSkipReason() ?? smtpSourceSkipReason();
  if (skip !== undefined) {
    console.log(`cannot count system calls: ${skip}`);
    return;
  }
  const wanted = process.env['SMTPKIT_BENCH_SERVERS']?.split(',') ?? defaults;
  const running: Array<{ name: string; server: RunningServer }> = [];
  const line = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;
  try {
    for (const entry of servers) {
      if (!wanted.includes(entry.name) || entry.skip() !== undefined) continue;
      running.push({ name: entry.name, server: await entry.start() });
    }
    console.log(
      `system calls per message (strace -c -f on the server process), ${MESSAGES} messages per load\n`,
    );
    const head = ['load', 'server', 'all', 'writes', 'reads', 'epoll', 'other (largest)'];
    console.log(line(head));
    console.log(line(head.map(() => '---')));
    for (const load of loads) {
      for (const { name, server } of running) {
        // Unmeasured first: lazy initialisation and the JIT's first compilations.
        await load.run(server.port, Math.min(MESSAGES, 200));
        const counts = await countSyscalls(server.pid, LOAD_TIMEOUT_MS + 30_000, () =>
          load.run(server.port, MESSAGES),
        );
        const sum = (names: readonly string[]): number =>
          names.reduce((n, s) => n + (counts.calls.get(s) ?? 0), 0);
        const per = (n: number): string => (n / MESSAGES).toFixed(2);
        const known = new Set([...WRITES, ...READS, ...POLLS]);
        const others = [...counts.calls]
          .filter(([s]) => !known.has(s))
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([s, n]) => `${s} ${per(n)}`)
          .join(', ');
        console.log(
          line([
            load.name,
            name,
            per(counts.total),
            per(sum(WRITES)),
            per(sum(READS)),
            per(sum(POLLS)),
            others,
          ]),
        );
      }
    }
  } finally {
    for (const { server } of running) await server.stop();
  }
}

await main();
