// The servers the benchmark compares, each started in its own process on a free loopback port.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  freePort,
  harakaSkipReason,
  PeerError,
  type RunningServer,
  smtpServerSkipReason,
  smtpSinkSkipReason,
  startHarakaSink,
  startProcess,
  startSmtpServerSink,
  startSmtpSinkServer,
  waitForPort,
} from '@smtpkit/testing';

/** A server under comparison: how to start it, and why it cannot run here (if so). */
export interface ServerEntry {
  readonly name: string;
  /** Run only when SMTPKIT_BENCH_SERVERS names it (pnpm bench:syscalls runs it by default). */
  readonly onlyWhenNamed?: boolean;
  readonly skip: () => string | undefined;
  readonly start: () => Promise<RunningServer>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** @smtpkit/server (built dist) in its own Node process: bench/smtpkit-sink.mjs. */
function startSmtpkitSink(): Promise<RunningServer> {
  return startNodeScript('smtpkit', 'smtpkit-sink.mjs');
}

/**
 * The real sink app (apps/sink, built dist/cli.js) discarding messages, its connection limits
 * raised like the others' for the 1,000 idle connections of the memory test. gc-on-signal.mjs only
 * adds the SIGUSR2 collection the memory test asks for.
 */
function startSinkApp(
  root = join(here, '..', '..', '..'),
  name = 'smtpkit sink',
): Promise<RunningServer> {
  const cli = join(root, 'apps', 'sink', 'dist', 'cli.js');
  return startNode(name, (port, host) => [
    '--expose-gc',
    '--import',
    pathToFileURL(join(here, 'gc-on-signal.mjs')).href,
    cli,
    '--listen',
    `${host}:${port}`,
    '--hostname',
    'sink.bench.example',
    '--max-connections',
    '5000',
    '--max-connections-per-ip',
    '5000',
  ]);
}

/**
 * A bench script (smtpkit-sink.mjs, node-floor-sink.mjs) in its own Node process. Plain
 * JavaScript: a loader such as tsx keeps a hooks thread in the process it runs in.
 */
function startNodeScript(
  name: string,
  script: string,
  extra: readonly string[] = [],
): Promise<RunningServer> {
  return startNode(name, (port, host) => [
    '--expose-gc',
    join(here, script),
    String(port),
    host,
    ...extra,
  ]);
}

/** A Node process listening on a free loopback port; it handles SIGUSR2 with a full collection. */
async function startNode(
  name: string,
  args: (port: number, host: string) => string[],
): Promise<RunningServer> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const child = startProcess(process.execPath, args(port, host), { cwd: join(here, '..') });
  try {
    // Fails fast when the script exits (e.g. dist/ not built) instead of waiting for the port.
    await Promise.race([
      waitForPort(port, { host, timeoutMs: 20_000 }),
      child.exited.then(({ exitCode }) => {
        throw new Error(`exited with ${exitCode}`);
      }),
    ]);
  } catch (e) {
    await child.stop();
    throw new PeerError(
      'ERR_PEER_START',
      `${name} did not start: ${(e as Error).message} ${child.output().stderr}`,
    );
  }
  return {
    name,
    host,
    port,
    pid: child.pid,
    process: child,
    async collectGarbage() {
      process.kill(child.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 300));
    },
    stop: () => child.stop(),
  };
}

// SMTPKIT_BENCH_BASELINE=DIR adds the sink of another built checkout (an earlier commit), run
// interleaved with this one under the same placement: an A/B of a change in one run.
const baseline = process.env['SMTPKIT_BENCH_BASELINE'];

export const servers: readonly ServerEntry[] = [
  { name: 'smtpkit sink', skip: () => undefined, start: () => startSinkApp() },
  ...(baseline === undefined
    ? []
    : [
        {
          name: 'sink baseline',
          skip: () => undefined,
          start: () => startSinkApp(baseline, 'sink baseline'),
        },
      ]),
  { name: 'smtpkit', skip: () => undefined, start: startSmtpkitSink },
  // The library with async MAIL and RCPT hooks as well: how hooks weigh, and whether a pipelined
  // group is still answered with one write.
  {
    name: 'smtpkit hooks',
    onlyWhenNamed: true,
    skip: () => undefined,
    start: () => startNodeScript('smtpkit hooks', 'smtpkit-sink.mjs', ['--hooks']),
  },
  { name: 'smtp-server', skip: smtpServerSkipReason, start: () => startSmtpServerSink() },
  // smtp-server with its session started at once: without the fixed 100 ms it waits before every
  // greeting (TOOLCHAIN.md pitfall 25), what its code costs per message shows in its rate too.
  {
    name: 'smtp-server no wait',
    skip: smtpServerSkipReason,
    start: () => startSmtpServerSink({ greetingWait: false }),
  },
  { name: 'Haraka', skip: harakaSkipReason, start: () => startHarakaSink() },
  { name: 'smtp-sink', skip: smtpSinkSkipReason, start: () => startSmtpSinkServer() },
  // Not a competitor: canned replies over node:net, the floor for any Node server here.
  {
    name: 'node:net floor',
    skip: () => undefined,
    start: () => startNodeScript('node:net floor', 'node-floor-sink.mjs'),
  },
];
