import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCi, peerSkipReason } from '../peers.js';
import { freePort, waitForPort } from './free-port.js';
import { PeerError } from './peer-error.js';
import { runProcess } from './run-process.js';
import { makeTempDir } from './temp-dir.js';

/** The Postfix command; `-c DIR` points it at the private instance, never at /etc/postfix. */
export const POSTFIX = '/usr/sbin/postfix';

/** Options of {@link startPrivatePostfix}. */
export interface PrivatePostfixOptions {
  /** The SMTP port of the instance (never 25). Default: a free port. */
  readonly port?: number;
  /** Send all mail to this server (`relayhost = [host]:port`), e.g. a server under test. */
  readonly relayTo?: { readonly host?: string; readonly port: number };
  /** More `main.cf` settings, written last (they win). Values must be one line. */
  readonly mainCf?: Readonly<Record<string, string>>;
  /** Bound on start and stop. Default 30 s. */
  readonly timeoutMs?: number;
}

/** A running private Postfix. */
export interface PrivatePostfix {
  readonly port: number;
  /** The temporary root: `conf/` (config_directory), `queue/`, `data/`, `maillog`. */
  readonly dir: string;
  readonly configDir: string;
  /** PID of the master process. */
  readonly pid: number;
  /** The instance's log (`maillog_file`). */
  maillog(): Promise<string>;
  /** Resolves with the log once `pattern` appears in it; rejects with ERR_PEER_TIMEOUT. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** `postfix -c DIR stop`, then the directory is removed. */
  stop(): Promise<void>;
}

/**
 * Why a private Postfix cannot run here, or undefined. It needs the postfix binary, root (the
 * master starts daemons as the `postfix` user) and that user. Throws under CI=true when missing.
 *
 * @example
 * ```ts
 * describe.skipIf(privatePostfixSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function privatePostfixSkipReason(): string | undefined {
  const missing = peerSkipReason(POSTFIX, ['-h']);
  if (missing !== undefined) return missing;
  if (process.getuid?.() !== 0) {
    const reason = 'a private Postfix needs root';
    if (isCi()) throw new Error(`${reason} (CI=true: a missing peer is a failure)`);
    return reason;
  }
  return undefined;
}

function setting(name: string, value: string): string {
  if (/[\r\n]/.test(value) || /[\r\n=]/.test(name)) {
    throw new PeerError('ERR_PEER_USAGE', `main.cf ${name} must be one line`);
  }
  return `${name} = ${value}`;
}

/**
 * The main.cf text of a private instance rooted at `dir`.
 *
 * @example
 * ```ts
 * privatePostfixMainCf('/tmp/pf', { relayTo: { port: 2526 } }); // '...relayhost = [127.0.0.1]:2526\n'
 * ```
 */
export function privatePostfixMainCf(dir: string, options: PrivatePostfixOptions = {}): string {
  const settings: Record<string, string> = {
    compatibility_level: '3.6',
    queue_directory: join(dir, 'queue'),
    data_directory: join(dir, 'data'),
    mail_owner: 'postfix',
    setgid_group: 'postdrop',
    inet_interfaces: '127.0.0.1',
    inet_protocols: 'ipv4',
    myhostname: 'postfix.smtpkit.test',
    mydomain: 'smtpkit.test',
    myorigin: '$myhostname',
    mydestination: '',
    mynetworks: '127.0.0.0/8',
    relay_domains: '',
    smtpd_relay_restrictions: 'permit_mynetworks, reject',
    maillog_file: join(dir, 'maillog'),
    maillog_file_prefixes: dir,
    smtputf8_enable: 'yes',
    // Loopback clients count as remote, so cleanup(8) adds no Date, Message-Id or From header:
    // only its Received: line goes in front of the message.
    local_header_rewrite_clients: '',
    smtpd_tls_security_level: 'none',
    smtp_tls_security_level: 'none',
    alias_maps: '',
    alias_database: '',
    biff: 'no',
    ...(options.relayTo === undefined
      ? {}
      : { relayhost: `[${options.relayTo.host ?? '127.0.0.1'}]:${options.relayTo.port}` }),
    ...options.mainCf,
  };
  return `${Object.entries(settings)
    .map(([k, v]) => setting(k, v))
    .join('\n')}\n`;
}

/**
 * The master.cf text: only the services a relaying instance uses, none chrooted, and smtpd on
 * 127.0.0.1:PORT instead of port 25.
 *
 * @example
 * ```ts
 * privatePostfixMasterCf(2525).split('\n')[0]; // '127.0.0.1:2525 inet n - n - - smtpd'
 * ```
 */
export function privatePostfixMasterCf(port: number): string {
  if (!Number.isInteger(port) || port <= 1024) {
    throw new PeerError('ERR_PEER_USAGE', 'a private Postfix listens on a high port, never 25');
  }
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'proxywrite unix - - n - 1 proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'local unix - n n - - local',
    'virtual unix - n n - - virtual',
    'lmtp unix - - n - - lmtp',
    'anvil unix - - n - 1 anvil',
    // smtpd's TLS (STARTTLS when smtpd_tls_* are set) needs the TLS cache and PRNG manager.
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `${services.join('\n')}\n`;
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    runProcess('id', ['-u', name], { timeoutMs: 5000 }),
    runProcess('id', ['-g', name], { timeoutMs: 5000 }),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Starts a full Postfix of its own: a temporary config_directory, queue_directory and
 * data_directory, `inet_interfaces = 127.0.0.1`, smtpd on a high port, started and stopped with
 * `postfix -c DIR start|stop`. Never the system instance, never port 25.
 *
 * @example
 * ```ts
 * const pf = await startPrivatePostfix({ relayTo: { port: server.port } });
 * await runSwaks({ port: pf.port, from: 'a@example.com', to: 'b@example.org' });
 * await pf.waitForLog(/status=sent/, 10_000);
 * await pf.stop();
 * ```
 */
export async function startPrivatePostfix(
  options: PrivatePostfixOptions = {},
): Promise<PrivatePostfix> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const port = options.port ?? (await freePort());
  const temp = await makeTempDir('postfix');
  const dir = temp.path;
  const configDir = join(dir, 'conf');
  const logPath = join(dir, 'maillog');
  const maillog = async (): Promise<string> => readFile(logPath, 'utf8').catch(() => '');
  try {
    // The daemons run as `postfix` and must reach the queue and data directories.
    await chmod(dir, 0o755);
    await Promise.all(['conf', 'queue', 'data'].map((d) => mkdir(join(dir, d))));
    const ids = await userIds('postfix');
    await chown(join(dir, 'data'), ids.uid, ids.gid);
    await writeFile(join(configDir, 'main.cf'), privatePostfixMainCf(dir, options));
    await writeFile(join(configDir, 'master.cf'), privatePostfixMasterCf(port));
    const started = await runProcess(POSTFIX, ['-c', configDir, 'start'], {
      timeoutMs,
      allowFailure: true,
    });
    if (started.exitCode !== 0) {
      throw new PeerError(
        'ERR_PEER_START',
        `postfix start failed: ${(await maillog()).slice(-2000)}`,
        started,
      );
    }
    await waitForPort(port, { timeoutMs });
  } catch (e) {
    await runProcess(POSTFIX, ['-c', configDir, 'stop'], { timeoutMs, allowFailure: true }).catch(
      () => undefined,
    );
    await temp.remove();
    throw e;
  }
  const pid = Number((await readFile(join(dir, 'queue', 'pid', 'master.pid'), 'utf8')).trim());
  return {
    port,
    dir,
    configDir,
    pid,
    maillog,
    async waitForLog(pattern, waitMs) {
      const deadline = performance.now() + waitMs;
      for (;;) {
        const text = await maillog();
        if (pattern.test(text)) return text;
        if (performance.now() > deadline) {
          throw new PeerError(
            'ERR_PEER_TIMEOUT',
            `${pattern} not in the Postfix log after ${waitMs} ms`,
            { stdout: text },
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await runProcess(POSTFIX, ['-c', configDir, 'stop'], { timeoutMs, allowFailure: true });
      // postfix stop returns before the master is gone; wait for it (bounded), then kill it by PID.
      const deadline = performance.now() + timeoutMs;
      while (isAlive(pid) && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await temp.remove();
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
