import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerSkipReason } from '../peers.js';
import { PeerError } from './peer-error.js';
import type { PeerAuth, PeerTls } from './peer-send-options.js';
import { type ProcessResult, runProcess } from './run-process.js';
import { makeTempDir } from './temp-dir.js';

/** Options of {@link runSwaks}. */
export interface SwaksOptions {
  readonly host?: string;
  readonly port: number;
  readonly from: string;
  readonly to: string | readonly string[];
  /** `--pipeline`: group commands when the server offers PIPELINING (RFC 2920). */
  readonly pipeline?: boolean;
  /** `starttls` → `-tls` (RFC 3207), `implicit` → `-tlsc` (TLS from the first byte). */
  readonly tls?: PeerTls;
  /** `--auth MECH --auth-user U --auth-password P` (RFC 4954). */
  readonly auth?: PeerAuth;
  /**
   * The whole message (headers and body), written to a temp file and passed as `--data @file`.
   * 8-bit bytes go through unchanged (the 8BITMIME case). swaks adds the terminating `.` itself.
   */
  readonly data?: string | Uint8Array;
  /** A message already in a file (`--data @path`). */
  readonly dataFile?: string;
  /** `--protocol`, e.g. `LMTP`. Default ESMTP. */
  readonly protocol?: 'SMTP' | 'ESMTP' | 'LMTP';
  readonly helo?: string;
  /** Whole-run bound; the process is killed by PID past it. Default 20 s. */
  readonly timeoutMs?: number;
  /** More swaks arguments, appended last. */
  readonly extraArgs?: readonly string[];
}

const CRLF_DOT_CRLF = '\r\n.\r\n';

/**
 * swaks appends CRLF "." CRLF to data that lacks a closing dot, which would add an empty line to a
 * message that already ends in CRLF; with the dot present it sends the content as given (after
 * turning bare LF into CRLF and dot-stuffing, RFC 5321 §4.5.2).
 */
function withClosingDot(data: string | Uint8Array): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d && bytes[bytes.length - 1] === 0x0a) {
    return Buffer.concat([bytes, Buffer.from(CRLF_DOT_CRLF.slice(2))]);
  }
  return bytes;
}

/**
 * Why swaks cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(swaksSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function swaksSkipReason(): string | undefined {
  return peerSkipReason('swaks', ['--version']);
}

/**
 * The swaks argument vector for `options` (data file path given separately).
 *
 * @example
 * ```ts
 * swaksArgs({ port: 2525, from: 'a@example.com', to: 'b@example.com', tls: 'starttls' });
 * // ['--server', '127.0.0.1:2525', '--from', 'a@example.com', '--to', 'b@example.com', ..., '-tls']
 * ```
 */
export function swaksArgs(options: SwaksOptions, dataPath?: string): string[] {
  const to = typeof options.to === 'string' ? [options.to] : options.to;
  if (to.length === 0) throw new PeerError('ERR_PEER_USAGE', 'swaks needs at least one recipient');
  const args = [
    '--server',
    `${options.host ?? '127.0.0.1'}:${options.port}`,
    '--from',
    options.from,
    '--to',
    to.join(','),
    '--timeout',
    String(Math.max(1, Math.ceil((options.timeoutMs ?? 20_000) / 1000))),
  ];
  if (options.helo !== undefined) args.push('--helo', options.helo);
  if (options.protocol !== undefined) args.push('--protocol', options.protocol);
  if (options.pipeline === true) args.push('--pipeline');
  if (options.tls === 'starttls') args.push('-tls');
  if (options.tls === 'implicit') args.push('-tlsc');
  if (options.auth !== undefined) {
    args.push(
      '--auth',
      options.auth.mechanism,
      '--auth-user',
      options.auth.user,
      '--auth-password',
      options.auth.password,
    );
  }
  const path = dataPath ?? options.dataFile;
  if (path !== undefined) args.push('--data', `@${path}`);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/**
 * Sends one message with swaks and resolves with its transcript (stdout). Rejects with a
 * {@link PeerError}: ERR_PEER_EXIT when swaks reports failure, ERR_PEER_TIMEOUT when killed.
 *
 * @example
 * ```ts
 * await runSwaks({ port, from: 'a@example.com', to: 'b@example.com', tls: 'starttls',
 *   auth: { mechanism: 'PLAIN', user: 'u', password: 'p' }, data: 'Subject: x\r\n\r\nhi\r\n' });
 * ```
 */
export async function runSwaks(options: SwaksOptions): Promise<ProcessResult> {
  if (options.data !== undefined && options.dataFile !== undefined) {
    throw new PeerError('ERR_PEER_USAGE', 'give data or dataFile, not both');
  }
  const dir = options.data === undefined ? undefined : await makeTempDir('swaks');
  try {
    let dataPath: string | undefined;
    if (dir !== undefined && options.data !== undefined) {
      dataPath = join(dir.path, 'message.eml');
      await writeFile(dataPath, withClosingDot(options.data));
    }
    return await runProcess('swaks', swaksArgs(options, dataPath), {
      timeoutMs: options.timeoutMs ?? 20_000,
    });
  } finally {
    await dir?.remove();
  }
}
