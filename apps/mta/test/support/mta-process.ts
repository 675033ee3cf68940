// Test harness: the MTA as people run it, `node dist/cli.js` with a configuration file, in a
// temporary data directory; ready when it has printed its `listening on` lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, type TempDir } from '@smtpkit/testing';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface MtaProcessOptions {
  /** The configuration file's content (written as JSON); `dataDir` defaults to the temp dir. */
  readonly config?: Record<string, unknown>;
  /** Extra command-line arguments. */
  readonly args?: readonly string[];
  /** Use this directory instead of a new temporary one (a second MTA sharing nothing else). */
  readonly dir?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** How long start-up may take (default 20 s). */
  readonly timeoutMs?: number;
  /**
   * Submission users made before the start with `user add NAME` (password on standard input),
   * as a person would: name → password.
   */
  readonly users?: Readonly<Record<string, string>>;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running MTA child process. */
export interface MtaProcess {
  readonly dir: string;
  readonly configFile: string;
  readonly mx: HostPort | undefined;
  readonly submission: HostPort | undefined;
  readonly submissions: HostPort | undefined;
  readonly metrics: HostPort | undefined;
  readonly pid: number;
  /** Standard error so far (JSON log lines). */
  logs(): string;
  /** The log lines parsed. */
  events(): Record<string, unknown>[];
  /** Messages in `MAILBOXES/<name>/new/`, as text, sorted by file name. */
  mailbox(name: string): Promise<string[]>;
  /** Waits until the mailbox holds at least `count` messages. */
  waitForMailbox(name: string, count: number, timeoutMs?: number): Promise<string[]>;
  /** Waits until a log line satisfies `match` (default bound 20 s); resolves with it. */
  waitForEvent(
    match: (event: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** `GET /metrics` (the metrics listener must be on). */
  metricsText(): Promise<string>;
  /** Runs `dist/cli.js ARGS -c CONFIG` (the queue and user tools). */
  cli(args: readonly string[], stdin?: string): Promise<CliResult>;
  /** SIGTERM and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Starts the MTA again with the same configuration and directory (after stop or kill). */
  restart(): Promise<MtaProcess>;
  /** Removes the temporary directory (after stop). */
  remove(): Promise<void>;
}

function hostPort(text: string): HostPort {
  const m = /^\[?([^\]]+)\]?:(\d+)$/.exec(text);
  if (m === null) throw new Error(`bad address ${text}`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/** Runs the MTA's CLI once (queue/user tools, or a start that is expected to fail). */
export function runCli(
  args: readonly string[],
  options: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

async function launch(
  dir: string,
  configFile: string,
  options: MtaProcessOptions,
  temp: TempDir | undefined,
): Promise<MtaProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, '-c', configFile, ...(options.args ?? [])],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`MTA did not start in time:\n${stdout}\n${stderr}`)),
      options.timeoutMs ?? 20_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      // The CLI prints `ready` after every `listening on` line.
      if (/^ready$/m.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`MTA exited with ${code} during start-up:\n${stdout}\n${stderr}`));
    });
  });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const find = (kind: string): HostPort | undefined => {
    const m = new RegExp(`^listening on (\\S+) \\(${kind}[,)]`, 'm').exec(stdout);
    return m === null ? undefined : hostPort(m[1] as string);
  };
  const metricsLine = /^metrics on http:\/\/(\S+)\/metrics$/m.exec(stdout);
  const mailboxes = (): string => {
    const c = options.config ?? {};
    return typeof c['mailboxes'] === 'string'
      ? (c['mailboxes'] as string)
      : join(typeof c['dataDir'] === 'string' ? (c['dataDir'] as string) : dir, 'mail');
  };
  const mailbox = async (name: string): Promise<string[]> => {
    const newDir = join(mailboxes(), name, 'new');
    let names: string[];
    try {
      names = (await readdir(newDir)).sort();
    } catch {
      return [];
    }
    return Promise.all(names.map((n) => readFile(join(newDir, n), 'utf8')));
  };
  const mta: MtaProcess = {
    dir,
    configFile,
    mx: find('mx'),
    submission: find('submission'),
    submissions: find('submissions'),
    metrics: metricsLine === null ? undefined : hostPort(metricsLine[1] as string),
    pid: child.pid as number,
    logs: () => stderr,
    events: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    mailbox,
    async waitForEvent(match, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = mta.events().find(match);
        if (found !== undefined) return found;
        if (Date.now() > end) throw new Error(`no such log event in ${timeoutMs} ms\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async metricsText() {
      if (mta.metrics === undefined) throw new Error('the metrics listener is off');
      const response = await fetch(`http://${mta.metrics.host}:${mta.metrics.port}/metrics`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 200) throw new Error(`GET /metrics: ${response.status}`);
      return response.text();
    },
    async waitForMailbox(name, count, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const messages = await mailbox(name);
        if (messages.length >= count) return messages;
        if (Date.now() > end) {
          throw new Error(`mailbox ${name}: ${messages.length} of ${count} messages\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    cli: (args, stdin) =>
      runCli([...args, '-c', configFile], { cwd: dir, ...(stdin === undefined ? {} : { stdin }) }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    restart: () => launch(dir, configFile, options, temp),
    async remove() {
      await temp?.remove();
    },
  };
  return mta;
}

/**
 * Starts the MTA from its built CLI with `options.config` as its configuration file. Ports 0
 * are fine (the harness reads the bound ones from the `listening on` lines); a restart then gets
 * new ones, so tests that restart should give fixed ports (`freePort()`).
 *
 * @example
 * ```ts
 * const mta = await startMtaProcess({ config: { listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] }, metrics: false } });
 * ```
 */
export async function startMtaProcess(options: MtaProcessOptions = {}): Promise<MtaProcess> {
  const temp = options.dir === undefined ? await makeTempDir('mta') : undefined;
  const dir = options.dir ?? (temp as TempDir).path;
  await mkdir(dir, { recursive: true });
  const configFile = join(dir, 'mta.json');
  await writeFile(
    configFile,
    JSON.stringify({ dataDir: dir, log: { level: 'info' }, ...options.config }, null, 2),
  );
  for (const [name, password] of Object.entries(options.users ?? {})) {
    const added = await runCli(['user', 'add', name, '-c', configFile], {
      cwd: dir,
      stdin: `${password}\n`,
    });
    if (added.code !== 0) {
      await temp?.remove();
      throw new Error(`user add ${name}: ${added.code} ${added.stderr}`);
    }
  }
  return launch(dir, configFile, options, temp);
}
