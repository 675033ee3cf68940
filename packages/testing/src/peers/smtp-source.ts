import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerSkipReason } from '../peers.js';
import { PeerError } from './peer-error.js';
import { type ProcessResult, runProcess } from './run-process.js';

/** The Postfix test tools live in /usr/sbin, which is not on every user's PATH. */
export const SMTP_SOURCE = '/usr/sbin/smtp-source';

/** Options of {@link runSmtpSource}. */
export interface SmtpSourceOptions {
  readonly host?: string;
  readonly port: number;
  /** `-s`: sessions in parallel. Default 1. */
  readonly sessions?: number;
  /** `-m`: messages in total, across all sessions. Default 1. */
  readonly messages?: number;
  /** `-l`: payload bytes per message (headers not counted). Default 1024. */
  readonly size?: number;
  /** `-d`: send the next message over the same connection instead of reconnecting. */
  readonly keepConnection?: boolean;
  /** `-f` and `-t`. Defaults `source@example.com` / `sink@example.com`. */
  readonly from?: string;
  readonly to?: string;
  /** `-r`: recipients per transaction. */
  readonly recipients?: number;
  /** `-L`: speak LMTP. */
  readonly lmtp?: boolean;
  /** `-M`: the HELO name, default `smtp-source.example`. */
  readonly helo?: string;
  /**
   * Run smtp-source on these CPUs only (a `taskset -c` list such as `'1'`), through util-linux
   * taskset. Unset: wherever the scheduler puts it.
   */
  readonly cpus?: string;
  /** Killed by PID past this. */
  readonly timeoutMs: number;
}

/** What smtp-source did. */
export interface SmtpSourceResult {
  /** Completed DATA commands, read from the `-c` counter smtp-source prints. */
  readonly messages: number;
  /** Wall time of the whole run (spawn to exit), in milliseconds. */
  readonly elapsedMs: number;
  readonly process: ProcessResult;
}

/**
 * Why smtp-source cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(smtpSourceSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function smtpSourceSkipReason(): string | undefined {
  // smtp-source has no --version; any spawn that does not fail with ENOENT proves it is there.
  return peerSkipReason(SMTP_SOURCE, ['-h']);
}

function positive(name: string, value: number): string {
  if (!Number.isInteger(value) || value < 1) {
    throw new PeerError('ERR_PEER_USAGE', `smtp-source ${name} must be a positive integer`);
  }
  return String(value);
}

/**
 * The smtp-source argument vector for `options` (`-c` is always on: it gives the count).
 *
 * @example
 * ```ts
 * smtpSourceArgs({ port: 2525, sessions: 20, messages: 2000, timeoutMs: 60_000 });
 * // ['-c', '-s', '20', '-m', '2000', '-l', '1024', ..., '127.0.0.1:2525']
 * ```
 */
export function smtpSourceArgs(options: SmtpSourceOptions): string[] {
  const args = [
    '-c',
    '-s',
    positive('sessions', options.sessions ?? 1),
    '-m',
    positive('messages', options.messages ?? 1),
    '-l',
    String(options.size ?? 1024),
    '-f',
    options.from ?? 'source@example.com',
    '-t',
    options.to ?? 'sink@example.com',
    '-M',
    options.helo ?? 'smtp-source.example',
  ];
  if (options.recipients !== undefined) args.push('-r', positive('recipients', options.recipients));
  if (options.keepConnection === true) args.push('-d');
  if (options.lmtp === true) args.push('-L');
  args.push(`${options.host ?? '127.0.0.1'}:${options.port}`);
  return args;
}

/**
 * The last value of smtp-source's `-c` counter: it prints `1\r2\r…N\r` and a final newline.
 *
 * @example
 * ```ts
 * parseSmtpSourceCounter('1\r2\r3\r\n'); // 3
 * ```
 */
export function parseSmtpSourceCounter(stdout: string): number {
  let last = 0;
  for (const field of stdout.split(/[\r\n]/)) {
    if (/^\d+$/.test(field)) last = Number(field);
  }
  return last;
}

/**
 * Runs Postfix's smtp-source load generator. It aborts (non-zero exit, ERR_PEER_EXIT) on any
 * unexpected reply, so a resolved result means every message was accepted.
 *
 * @example
 * ```ts
 * const r = await runSmtpSource({ port, sessions: 20, messages: 2000, size: 1024, timeoutMs: 60_000 });
 * console.log(r.messages / (r.elapsedMs / 1000), 'messages/s');
 * ```
 */
export async function runSmtpSource(options: SmtpSourceOptions): Promise<SmtpSourceResult> {
  // The `-c` counter is written once per message: into a file (in memory where /dev/shm exists)
  // rather than a pipe, so that this process is not woken per message while the load runs.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'smtp-source-'));
  let process: ProcessResult;
  try {
    const args = smtpSourceArgs(options);
    process = await runProcess(
      options.cpus === undefined ? SMTP_SOURCE : 'taskset',
      options.cpus === undefined ? args : ['-c', options.cpus, SMTP_SOURCE, ...args],
      { timeoutMs: options.timeoutMs, stdoutFile: join(dir, 'counter') },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const messages = parseSmtpSourceCounter(process.stdout);
  if (messages !== (options.messages ?? 1)) {
    throw new PeerError(
      'ERR_PEER_OUTPUT',
      `smtp-source counted ${messages} messages, expected ${options.messages ?? 1}`,
      process,
    );
  }
  return { messages, elapsedMs: process.elapsedMs, process };
}
