import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCi } from '../peers.js';
import { freePort } from './free-port.js';
import { PeerError } from './peer-error.js';
import { runProcess } from './run-process.js';
import { makeTempDir } from './temp-dir.js';

/** The cluster's superuser: initdb is always given `-U postgres`, whoever runs it. */
export const POSTGRES_SUPERUSER = 'postgres';

/**
 * The folder of `initdb`, `pg_ctl` and `postgres`: `SMTPKIT_PG_BIN` when set, else the newest
 * Debian `/usr/lib/postgresql/N/bin` (those programs are not on PATH there), else whatever
 * folder holds `pg_ctl` on PATH; undefined when none.
 *
 * @example
 * ```ts
 * postgresBinDir(); // '/usr/lib/postgresql/15/bin'
 * ```
 */
export function postgresBinDir(): string | undefined {
  const forced = process.env['SMTPKIT_PG_BIN'];
  if (forced !== undefined && forced !== '') return forced;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(debian, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(debian, versions[0], 'bin');
  }
  for (const dir of (process.env['PATH'] ?? '').split(':'))
    if (dir !== '' && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')))
      return dir;
  return undefined;
}

const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** util-linux runuser, by its path: /usr/sbin is not on every PATH (nor on the test runner's). */
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p)) ?? 'runuser';

function hasUser(name: string): boolean {
  const r = spawnSync('id', ['-u', name], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/**
 * Why a private PostgreSQL cannot run here, or undefined. It needs `initdb` and `pg_ctl`
 * (Debian's `postgresql` package), and as root the `postgres` user and `runuser` (initdb refuses
 * to run as root). Prints the reason; throws under CI=true, where a missing peer is a failure.
 *
 * @example
 * ```ts
 * const skip = postgresSkipReason();
 * describe.skipIf(skip !== undefined)('on PostgreSQL', () => { ... });
 * ```
 */
export function postgresSkipReason(): string | undefined {
  let reason: string | undefined;
  if (postgresBinDir() === undefined)
    reason = "PostgreSQL (initdb, pg_ctl) is not installed (Debian package 'postgresql')";
  else if (runningAsRoot() && !hasUser(POSTGRES_SUPERUSER))
    reason = 'running as root without a postgres user to run initdb and the server as';
  if (reason === undefined) return undefined;
  if (isCi()) throw new Error(`${reason} (CI=true: a missing peer is a failure)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

/** Options of {@link startPostgres}. */
export interface PostgresOptions {
  /** The TCP port on 127.0.0.1. Default: a free one. */
  readonly port?: number;
  /** Server settings (`-c name=value`), e.g. `{ commit_delay: '10' }`. Values must be one line. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Bound on initdb, start and stop. Default 60 s. */
  readonly timeoutMs?: number;
}

/** A private PostgreSQL cluster in a temporary directory. */
export interface PostgresServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The temporary root: `data/` (the cluster), `server.log`, the Unix socket. */
  readonly dir: string;
  /** A `postgres://` URL of `database` (default `postgres`) as the superuser, over TCP. */
  url(database?: string): string;
  /** Runs SQL with `psql` as the superuser (for setup: CREATE DATABASE …); resolves with stdout. */
  psql(sql: string, database?: string): Promise<string>;
  /** The server's log so far. */
  log(): Promise<string>;
  /** Whether the server is up (`pg_ctl status`). */
  running(): Promise<boolean>;
  /**
   * `pg_ctl stop -m MODE`: `fast` (default) ends sessions and shuts down cleanly; `immediate`
   * quits without a shutdown checkpoint, as a crash would (the next start replays the WAL).
   */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts the same cluster again, on the same port (after `stop`). */
  start(): Promise<void>;
  /** Stops the server (fast, then immediate) and removes the directory. */
  remove(): Promise<void>;
}

function settingArgs(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([k, v]) => {
      if (!/^[a-z_.]+$/.test(k) || /[\r\n'"\\]/.test(v))
        throw new PeerError(
          'ERR_PEER_USAGE',
          `postgres setting ${k} must be a plain name and value`,
        );
      return `-c ${k}=${v}`;
    })
    .join(' ');
}

/**
 * Starts a PostgreSQL cluster of its own: `initdb` into a temporary directory (as the `postgres`
 * user through `runuser` when this process is root: initdb refuses root), then `pg_ctl start` on
 * `127.0.0.1:PORT` with the Unix socket in that directory. Trust authentication, loopback only;
 * never the system cluster. `remove()` stops it and deletes everything.
 *
 * @example
 * ```ts
 * const pg = await startPostgres();
 * const url = pg.url(); // postgres://postgres@127.0.0.1:PORT/postgres
 * await pg.stop('immediate'); await pg.start(); // a crash and a restart
 * await pg.remove();
 * ```
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new PeerError('ERR_PEER_MISSING', 'PostgreSQL is not installed');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = options.port ?? (await freePort());
  const temp = await makeTempDir('postgres');
  const dir = temp.path;
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const asOwner = (program: string, args: readonly string[]): [string, string[]] =>
    runningAsRoot()
      ? [RUNUSER, ['-u', POSTGRES_SUPERUSER, '--', join(bin, program), ...args]]
      : [join(bin, program), [...args]];
  const run = (program: string, args: readonly string[], allowFailure = false) => {
    const [command, argv] = asOwner(program, args);
    return runProcess(command, argv, { timeoutMs, allowFailure, cwd: '/' });
  };
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${settingArgs(
    options.settings ?? {},
  )}`;
  const start = async () => {
    const r = await run(
      'pg_ctl',
      [
        '-D',
        data,
        '-l',
        logFile,
        '-w',
        '-t',
        String(Math.ceil(timeoutMs / 1000)),
        '-o',
        serverOptions,
        'start',
      ],
      true,
    );
    if (r.exitCode !== 0) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new PeerError(
        'ERR_PEER_START',
        `pg_ctl start failed: ${r.stderr}${log.slice(-2000)}`,
        r,
      );
    }
  };
  const stop = async (mode: 'smart' | 'fast' | 'immediate' = 'fast') => {
    await run(
      'pg_ctl',
      ['-D', data, '-m', mode, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'stop'],
      true,
    );
  };
  try {
    if (runningAsRoot()) {
      const [uid, gid] = await Promise.all(
        [['-u'], ['-g']].map(async (flag) =>
          Number(
            (await runProcess('id', [...flag, POSTGRES_SUPERUSER], { timeoutMs })).stdout.trim(),
          ),
        ),
      );
      await chown(dir, uid as number, gid as number);
    }
    // --no-sync: a test cluster need not survive a power loss of its initial files; the server
    // itself keeps fsync on, so commits are as durable as in production.
    await run('initdb', [
      '-D',
      data,
      '-U',
      POSTGRES_SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    await writeFile(join(dir, 'port'), `${port}\n`).catch(() => undefined);
    await start();
  } catch (e) {
    await stop('immediate').catch(() => undefined);
    await temp.remove();
    throw e;
  }
  const url = (database = 'postgres') =>
    `postgres://${POSTGRES_SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    host: '127.0.0.1',
    port,
    dir,
    url,
    async psql(sql, database = 'postgres') {
      const r = await runProcess(
        join(bin, 'psql'),
        [
          '-X',
          '-q',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          POSTGRES_SUPERUSER,
          '-d',
          database,
          '-c',
          sql,
        ],
        { timeoutMs },
      );
      return r.stdout;
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async running() {
      if (!existsSync(data)) return false;
      const r = await run('pg_ctl', ['-D', data, 'status'], true);
      return r.exitCode === 0;
    },
    stop,
    start,
    async remove() {
      await stop('fast').catch(() => undefined);
      await stop('immediate').catch(() => undefined);
      await temp.remove();
    },
  };
}
