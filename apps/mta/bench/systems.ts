// The systems under test: the smtpkit MTA (this checkout's build, and another checkout's with
// SMTPKIT_BENCH_BASELINE) and a private Postfix, each relaying everything to its own smtp-sink,
// whose counter file says how many messages have been delivered.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  type ManagedProcess,
  makeTempDir,
  privatePostfixSkipReason,
  type RunningServer,
  startPrivatePostfix,
  startServerProcess,
  startSmtpSink,
} from '@smtpkit/testing';

const here = dirname(fileURLToPath(import.meta.url));
/** The MTA's CLI in this checkout. */
export const MTA_CLI = join(here, '..', 'dist', 'cli.js');

/** A system under test, ready for smtp-source on `port`. */
export interface SystemUnderTest {
  readonly name: string;
  /** Where smtp-source submits. */
  readonly port: number;
  /** The root of the process tree measured (CPU, memory) and placed. */
  readonly pid: number;
  /** Its smtp-sink (the relay target) and that sink's `-c` counter file. */
  readonly sink: RunningServer;
  readonly counterFile: string;
  /** One line on how it was started, for the report. */
  readonly description: string;
  stop(): Promise<void>;
}

/** A system that can be started, and why it cannot be here. */
export interface SystemEntry {
  readonly name: string;
  /** Compiled while it runs (Node): warmed up longer. */
  readonly jit: boolean;
  skip(): string | undefined;
  start(): Promise<SystemUnderTest>;
}

/**
 * smtp-sink for one system, counting into a file on tmpfs (no pipe back to this process); read
 * the count with readSmtpSinkCount(counterFile). Also the next hop of postgres-nodes.ts.
 */
export async function startCountingSink(
  name: string,
): Promise<{ sink: RunningServer; counterFile: string; remove(): void }> {
  const dir = mkdtempSync(
    join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `mta-bench-${name}-`),
  );
  const counterFile = join(dir, 'counter');
  try {
    // -m: room for the 20 sessions of either system and any connections it caches.
    const sink = await startSmtpSink({ counterFile, maxConnections: 1000 });
    return { sink, counterFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Node options for the MTA processes (SMTPKIT_BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=DIR`). */
function nodeArgs(): string[] {
  return (process.env['SMTPKIT_BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
}

/**
 * The MTA as the issue scripts it: `node dist/cli.js --listen 127.0.0.1:P --relay
 * 127.0.0.1:SINK --spool DIR --metrics off`, fsync on (its default), its JSON log (info, two
 * lines per message) to a file as Postfix's goes to its maillog, in a temporary directory on the
 * same file system as Postfix's queue.
 */
async function startMta(name: string, cli: string): Promise<SystemUnderTest> {
  const { sink, counterFile, remove } = await startCountingSink(name.replace(/\W+/g, '-'));
  const dir = await makeTempDir('mta-bench');
  let mta: ManagedProcess | undefined;
  try {
    const port = await freePort();
    const args = [
      ...nodeArgs(),
      cli,
      '--listen',
      `127.0.0.1:${port}`,
      '--relay',
      `127.0.0.1:${sink.port}`,
      '--spool',
      join(dir.path, 'spool'),
      '--data-dir',
      join(dir.path, 'var'),
      '--metrics',
      'off',
    ];
    mta = await startServerProcess(name, process.execPath, args, {
      port,
      timeoutMs: 30_000,
      cwd: dir.path,
      stdoutFile: join(dir.path, 'stdout'),
      stderrFile: join(dir.path, 'log.jsonl'),
    });
    const running = mta;
    return {
      name,
      port,
      pid: running.pid,
      sink,
      counterFile,
      description: `node ${args.join(' ').replaceAll(dir.path, 'TMP')}`,
      async stop() {
        // SIGTERM: a graceful stop (a --cpu-prof profile is written then), bounded.
        await running.stop(20_000);
        await sink.stop();
        remove();
        await dir.remove();
      },
    };
  } catch (e) {
    await mta?.stop();
    await sink.stop();
    remove();
    await dir.remove();
    throw e;
  }
}

function mtaSkip(cli: string): string | undefined {
  return existsSync(cli) ? undefined : `${cli} is missing (build apps/mta first)`;
}

/**
 * A private Postfix (its own config and queue directories, smtpd on a free high port) with
 * `relayhost = [127.0.0.1]:SINK`, everything else as `startPrivatePostfix` writes it: Postfix's
 * defaults for durability (cleanup fsyncs the queue file before smtpd answers 250) and for
 * concurrency (smtpd and smtp at the default process limit of 100, cleanup unlimited,
 * default_destination_concurrency_limit 20, in_flow_delay 1s), no chroot, no TLS,
 * mynetworks 127.0.0.0/8, logging to a file through postlogd.
 */
async function startPostfix(): Promise<SystemUnderTest> {
  const { sink, counterFile, remove } = await startCountingSink('postfix');
  try {
    const postfix = await startPrivatePostfix({ relayTo: { port: sink.port } });
    return {
      name: 'Postfix',
      port: postfix.port,
      pid: postfix.pid,
      sink,
      counterFile,
      description: `postfix -c TMP/conf start (Postfix's defaults; relayhost = [127.0.0.1]:${sink.port})`,
      async stop() {
        await postfix.stop();
        await sink.stop();
        remove();
      },
    };
  } catch (e) {
    await sink.stop();
    remove();
    throw e;
  }
}

const baseline = process.env['SMTPKIT_BENCH_BASELINE'];
const baselineCli =
  baseline === undefined ? undefined : join(resolve(baseline), 'apps', 'mta', 'dist', 'cli.js');

/** Every system, in column order; SMTPKIT_BENCH_SYSTEMS=MTA,Postfix picks some. */
export const systems: readonly SystemEntry[] = [
  { name: 'MTA', jit: true, skip: () => mtaSkip(MTA_CLI), start: () => startMta('MTA', MTA_CLI) },
  ...(baselineCli === undefined
    ? []
    : [
        {
          name: 'MTA baseline',
          jit: true,
          skip: () => mtaSkip(baselineCli),
          start: () => startMta('MTA baseline', baselineCli),
        },
      ]),
  { name: 'Postfix', jit: false, skip: privatePostfixSkipReason, start: startPostfix },
];
