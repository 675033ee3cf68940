import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerSkipReason } from '../peers.js';
import { PeerError } from './peer-error.js';
import type { PeerAuth, PeerSendOptions, PeerTls } from './peer-send-options.js';
import { type ProcessResult, runProcess } from './run-process.js';
import { makeTempDir } from './temp-dir.js';

/** Options of {@link runMsmtp}: `data` is piped to msmtp's stdin. */
export interface MsmtpOptions extends PeerSendOptions {
  /** `starttls` → `tls on` + `tls_starttls on`; `implicit` → `tls_starttls off`. Always `tls_certcheck off`. */
  readonly tls?: PeerTls;
  /** `auth plain|login` with user and password. */
  readonly auth?: PeerAuth;
  /** `protocol lmtp` instead of smtp. */
  readonly lmtp?: boolean;
}

/**
 * Why msmtp cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(msmtpSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function msmtpSkipReason(): string | undefined {
  return peerSkipReason('msmtp', ['--version']);
}

function configValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new PeerError('ERR_PEER_USAGE', `msmtp ${name} must be one line`);
  return `${name} ${value}`;
}

/**
 * The text of the msmtp configuration file used for `options`.
 *
 * @example
 * ```ts
 * msmtpConfig({ port: 2525, from: 'a@example.com', to: ['b@example.com'], data: '', tls: 'starttls' });
 * // 'defaults\ntimeout 20\n...tls on\ntls_starttls on\ntls_certcheck off\n...'
 * ```
 */
export function msmtpConfig(options: MsmtpOptions): string {
  const tls = options.tls ?? 'none';
  const lines = [
    'defaults',
    configValue('timeout', String(Math.max(1, Math.ceil((options.timeoutMs ?? 20_000) / 1000)))),
    // Send the message as given: no header added or rewritten (msmtp 1.8 adds them by default).
    'set_from_header off',
    'set_date_header off',
    'set_msgid_header off',
    'account smtpkit',
    configValue('host', options.host ?? '127.0.0.1'),
    configValue('port', String(options.port)),
    configValue('from', options.from),
    configValue('protocol', options.lmtp === true ? 'lmtp' : 'smtp'),
    `tls ${tls === 'none' ? 'off' : 'on'}`,
  ];
  if (tls !== 'none')
    lines.push(`tls_starttls ${tls === 'starttls' ? 'on' : 'off'}`, 'tls_certcheck off');
  if (options.auth === undefined) {
    lines.push('auth off');
  } else {
    lines.push(
      configValue('auth', options.auth.mechanism.toLowerCase()),
      configValue('user', options.auth.user),
      configValue('password', options.auth.password),
    );
  }
  lines.push('account default : smtpkit', '');
  return lines.join('\n');
}

/**
 * Sends one message with msmtp, configured through a temporary 0600 file (host, TLS, auth, no
 * header rewriting); `--port` and `--from` also go on the command line. `--host` does not, since
 * msmtp then ignores the file. Rejects with a PeerError on failure or timeout.
 *
 * @example
 * ```ts
 * await runMsmtp({ port, from: 'a@example.com', to: ['b@example.com'], tls: 'starttls',
 *   data: 'Subject: hi\r\n\r\nbody\r\n' });
 * ```
 */
export async function runMsmtp(options: MsmtpOptions): Promise<ProcessResult> {
  if (options.to.length === 0) throw new PeerError('ERR_PEER_USAGE', 'msmtp needs a recipient');
  const dir = await makeTempDir('msmtp');
  try {
    const configPath = join(dir.path, 'msmtprc');
    await writeFile(configPath, msmtpConfig(options), { mode: 0o600 });
    await chmod(configPath, 0o600);
    return await runProcess(
      'msmtp',
      [
        '-C',
        configPath,
        // No --host: with it msmtp ignores the configuration file (TLS, auth, header settings).
        '--account=smtpkit',
        `--port=${options.port}`,
        `--from=${options.from}`,
        '--',
        ...options.to,
      ],
      { timeoutMs: options.timeoutMs ?? 20_000, input: options.data },
    );
  } finally {
    await dir.remove();
  }
}
