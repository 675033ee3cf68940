// The senders the client benchmark compares. Each runs in its own process: the Node ones are
// bench/senders/*.mjs, forked once and driven over IPC (their JIT stays warm between runs);
// smtp-source is started for every run. CPU time is each sender's own, from /proc.
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  measureProcessCpu,
  nodemailerSkipReason,
  runSmtpSource,
  smtpSourceSkipReason,
} from '@smtpkit/testing';
import type { LoadConfig, Placement } from './load-configs.js';

/** One measured run: the messages sent (all accepted), its wall time and the sender's CPU time. */
export interface RunResult {
  readonly messages: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
}

/** A sender ready to run loads against the receiver. */
export interface RunningSender {
  /** The process to pin for a row (undefined: a new process per run, placed when started). */
  readonly pid: number | undefined;
  run(config: LoadConfig, count: number, placement: Placement | undefined): Promise<RunResult>;
  stop(): Promise<void>;
}

/** A column of the table. */
export interface SenderEntry {
  readonly name: string;
  /** Our client (held to the goals). */
  readonly ours: boolean;
  /** What it does, for the legend. */
  readonly legend: string;
  /** Whether it has a cell in this row. */
  readonly applies: (config: LoadConfig) => boolean;
  readonly skip: () => string | undefined;
  readonly start: (receiver: { host: string; port: number }) => Promise<RunningSender>;
}

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
/** Bound on one run; past it the sender is killed by PID and dropped. */
export const RUN_TIMEOUT_MS = 120_000;

// SMTPKIT_BENCH_NODE_ARGS adds node options to every Node sender, e.g. "--cpu-prof
// --cpu-prof-dir=/tmp/prof" (profiles are written when the benchmark ends them).
const nodeArgs = (process.env['SMTPKIT_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');

interface Reply {
  readonly type: 'ready' | 'done' | 'failed';
  readonly accepted?: number;
  readonly elapsedMs?: number;
  readonly error?: string;
}

/** A bench/senders/*.mjs script in its own Node process (no loader: execArgv is not inherited). */
async function startNodeSender(
  name: string,
  script: string,
  receiver: { host: string; port: number },
  env: Readonly<Record<string, string>> = {},
  args: readonly string[] = [],
): Promise<RunningSender> {
  const child: ChildProcess = fork(join(here, 'senders', script), [...args], {
    cwd: packageDir,
    execArgv: nodeArgs,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString('utf8')).slice(-4000);
  });
  const next = (timeoutMs: number): Promise<Reply> =>
    new Promise((resolveReply, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        child.removeListener('message', onMessage);
        child.removeListener('exit', onExit);
      };
      const onMessage = (m: Reply): void => {
        done();
        resolveReply(m);
      };
      const onExit = (code: number | null): void => {
        done();
        reject(new Error(`${name} exited (${code}): ${stderr.trim()}`));
      };
      const timer = setTimeout(() => {
        done();
        kill(child);
        reject(new Error(`${name} did not answer within ${timeoutMs} ms; killed`));
      }, timeoutMs);
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next(20_000);
  if (ready.type !== 'ready') throw new Error(`${name} did not start: ${ready.error ?? ''}`);
  const pid = child.pid as number;
  return {
    pid,
    async run(config, count) {
      const before = measureProcessCpu(pid).totalMs;
      const answer = next(RUN_TIMEOUT_MS);
      child.send({
        type: 'run',
        host: receiver.host,
        port: receiver.port,
        count,
        size: config.messageSize,
        inflight: config.inflight,
      });
      const r = await answer;
      const cpuMs = measureProcessCpu(pid).totalMs - before;
      if (r.type !== 'done') throw new Error(r.error ?? `${name}: no result`);
      if (r.accepted !== count) throw new Error(`${name}: ${r.accepted} of ${count} accepted`);
      return { messages: count, elapsedMs: r.elapsedMs ?? Number.NaN, cpuMs };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'exit' });
      const timer = setTimeout(() => kill(child), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Only the child this benchmark forked, by its PID. */
function kill(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** CPU time of this process's reaped children so far (cutime + cstime of /proc/self/stat). */
function childrenCpuMs(): number {
  const cpu = measureProcessCpu(process.pid);
  return cpu.totalMs - cpu.userMs - cpu.systemMs;
}

/**
 * Postfix's smtp-source, a new process for every run: `-s inflight -m count -l size`, with `-d`
 * the connections are kept from message to message. Its CPU time is what this process's reaped
 * children used during the run: smtp-source is the only child that ends meanwhile (taskset
 * execs it in place).
 */
function smtpSource(keepConnection: boolean, receiver: { host: string; port: number }) {
  return {
    pid: undefined,
    async run(config: LoadConfig, count: number, placement: Placement | undefined) {
      const before = childrenCpuMs();
      const r = await runSmtpSource({
        host: receiver.host,
        port: receiver.port,
        sessions: Math.min(config.inflight, count),
        messages: count,
        size: config.messageSize,
        keepConnection,
        from: 'source@example.com',
        to: 'sink@example.com',
        helo: 'client.bench.example',
        timeoutMs: RUN_TIMEOUT_MS,
        ...(placement === undefined ? {} : { cpus: placement.sender }),
      });
      return { messages: r.messages, elapsedMs: r.elapsedMs, cpuMs: childrenCpuMs() - before };
    },
    async stop() {},
  } satisfies RunningSender;
}

const always = (): boolean => true;
const none = (): undefined => undefined;

/** Our three senders, from this checkout's dist/ or, for an A/B, another one's. */
function ourSenders(suffix: string, env: Record<string, string>): SenderEntry[] {
  return [
    {
      name: `smtpkit connect()${suffix}`,
      ours: true,
      legend:
        'our client, connect(): one connection per message in flight, its messages one after another on it',
      applies: always,
      skip: none,
      start: (r) => startNodeSender('smtpkit connect()', 'smtpkit-connection.mjs', r, env),
    },
    {
      name: `smtpkit pool${suffix}`,
      ours: true,
      legend:
        'our client, createPool({ maxConnections: in flight }) with its defaults: connections reused with no limit by count, renewed after 300 s (Postfix-like)',
      applies: always,
      skip: none,
      start: (r) => startNodeSender('smtpkit pool', 'smtpkit-pool.mjs', r, env),
    },
    {
      name: `smtpkit pool 100/conn${suffix}`,
      ours: true,
      legend:
        'our client, createPool({ maxConnections: in flight, maxMessagesPerConnection: 100 }): a new connection every 100 messages, as nodemailer pool does by default',
      applies: always,
      skip: none,
      start: (r) =>
        startNodeSender('smtpkit pool 100/conn', 'smtpkit-pool.mjs', r, env, ['per100']),
    },
    {
      name: `smtpkit pipelined${suffix}`,
      ours: true,
      legend:
        'our client, ONE connect()ed connection given every message in flight at once: the client queues them and runs one transaction at a time (each an RFC 2920 group: MAIL, RCPT, DATA in one write, then the body); it does not start a transaction before the previous one is answered, so with 1 in flight this is the connect() column',
      applies: (c) => c.inflight > 1,
      skip: none,
      start: (r) => startNodeSender('smtpkit pipelined', 'smtpkit-pipelined.mjs', r, env),
    },
  ];
}

// SMTPKIT_BENCH_BASELINE=DIR adds our senders running another checkout's build
// (DIR/packages/client/dist, e.g. a git worktree of an earlier commit, built): an A/B in one run.
const baseline = process.env['SMTPKIT_BENCH_BASELINE'];

export const senders: readonly SenderEntry[] = [
  ...ourSenders('', {}),
  ...(baseline === undefined
    ? []
    : ourSenders(' (baseline)', {
        SMTPKIT_BENCH_CLIENT: pathToFileURL(
          resolve(baseline, 'packages', 'client', 'dist', 'index.js'),
        ).href,
      })),
  {
    name: 'nodemailer pool',
    ours: false,
    legend:
      'nodemailer 10.6.1 SMTP transport, pool: true, maxConnections: in flight, default maxMessages 100; the message as raw',
    applies: always,
    skip: nodemailerSkipReason,
    start: (r) => startNodeSender('nodemailer pool', 'nodemailer-pool.mjs', r),
  },
  {
    name: 'nodemailer',
    ours: false,
    legend: 'nodemailer 10.6.1 SMTP transport, not pooled: a connection per message',
    applies: always,
    skip: nodemailerSkipReason,
    start: (r) => startNodeSender('nodemailer', 'nodemailer-single.mjs', r),
  },
  {
    name: 'smtp-source -d',
    ours: false,
    legend:
      'Postfix smtp-source -s <in flight> -m <count> -l <size> -d: connections kept from message to message',
    applies: always,
    skip: smtpSourceSkipReason,
    start: async (r) => smtpSource(true, r),
  },
  {
    name: 'smtp-source',
    ours: false,
    legend: 'Postfix smtp-source -s <in flight> -m <count> -l <size>: a connection per message',
    applies: always,
    skip: smtpSourceSkipReason,
    start: async (r) => smtpSource(false, r),
  },
];
