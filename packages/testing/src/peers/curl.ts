import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerSkipReason } from '../peers.js';
import { PeerError } from './peer-error.js';
import type { PeerAuth, PeerSendOptions, PeerTls } from './peer-send-options.js';
import { type ProcessResult, runProcess } from './run-process.js';
import { makeTempDir } from './temp-dir.js';

/** Options of {@link runCurl}: `data` is written to a temp file and sent with `--upload-file`. */
export interface CurlOptions extends PeerSendOptions {
  /** `starttls` → `--ssl-reqd` on smtp:// (RFC 3207); `implicit` → smtps://. Always `-k`. */
  readonly tls?: PeerTls;
  /** `--user user:password` (curl picks the AUTH mechanism). */
  readonly auth?: Omit<PeerAuth, 'mechanism'>;
}

/**
 * Why curl cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(curlSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function curlSkipReason(): string | undefined {
  return peerSkipReason('curl', ['--version']);
}

/**
 * The curl argument vector for `options` and the file holding the message.
 *
 * @example
 * ```ts
 * curlArgs({ port: 2525, from: 'a@example.com', to: ['b@example.com'], data: '' }, '/tmp/m.eml');
 * // ['--silent', ..., '--url', 'smtp://127.0.0.1:2525', '--mail-from', 'a@example.com', ...]
 * ```
 */
export function curlArgs(options: CurlOptions, messagePath: string): string[] {
  if (options.to.length === 0) throw new PeerError('ERR_PEER_USAGE', 'curl needs a recipient');
  const tls = options.tls ?? 'none';
  const scheme = tls === 'implicit' ? 'smtps' : 'smtp';
  const args = [
    '--silent',
    '--show-error',
    '--max-time',
    String(Math.max(1, Math.ceil((options.timeoutMs ?? 20_000) / 1000))),
    '--url',
    `${scheme}://${options.host ?? '127.0.0.1'}:${options.port}`,
    '--mail-from',
    options.from,
  ];
  for (const rcpt of options.to) args.push('--mail-rcpt', rcpt);
  args.push('--upload-file', messagePath);
  if (tls === 'starttls') args.push('--ssl-reqd');
  if (tls !== 'none') args.push('-k');
  if (options.auth !== undefined)
    args.push('--user', `${options.auth.user}:${options.auth.password}`);
  return args;
}

/**
 * Sends one message with curl's SMTP support. Rejects with a PeerError on failure or timeout.
 *
 * @example
 * ```ts
 * await runCurl({ port, from: 'a@example.com', to: ['b@example.com'], tls: 'starttls',
 *   data: 'Subject: hi\r\n\r\nbody\r\n' });
 * ```
 */
export async function runCurl(options: CurlOptions): Promise<ProcessResult> {
  const dir = await makeTempDir('curl');
  try {
    const messagePath = join(dir.path, 'message.eml');
    await writeFile(messagePath, options.data);
    return await runProcess('curl', curlArgs(options, messagePath), {
      timeoutMs: options.timeoutMs ?? 20_000,
    });
  } finally {
    await dir.remove();
  }
}
