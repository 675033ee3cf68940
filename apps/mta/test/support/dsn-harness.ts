// The retry and bounce tests' side of the MTA: one started with short retry settings and local
// users (so DSNs land in a Maildir), a message sent with DSN parameters, the queue read through
// the queue tool, and the DSNs read back with @smtpkit/dsn.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DeliveryStatusReport, parseDsn } from '@smtpkit/dsn';
import type { QueuedMessage } from '@smtpkit/queue';
import { makeTempDir, RawSmtpClient } from '@smtpkit/testing';
import { hashPassword } from '../../src/local/users-file.js';
import { type MtaProcess, startMtaProcess } from './mta-process.js';

/** The brief's short schedule: seconds instead of Postfix's hours and days. */
export const SHORT_RETRY = {
  minBackoff: '200ms',
  maxBackoff: '1s',
  maxLifetime: '4s',
  bounceLifetime: '4s',
  delayWarning: '1s',
  pollInterval: '100ms',
} as const;

/** The MTA's name: Reporting-MTA and the DSNs' From. */
export const MTA_HOSTNAME = 'mta.example.org';

/** A started MTA and the directory it owns (removed by `cleanup`). */
export interface TestMta extends MtaProcess {
  /** Stops the MTA and removes its directory. */
  cleanup(): Promise<void>;
}

/**
 * Starts the built MTA with only an MX listener, `example.org` local with the given users (so a
 * sender `alice@example.org` receives her DSNs in `mail/alice/`), the short retry schedule, and
 * `config` laid over it (key by key at the top level; `retry` merged).
 */
export async function startTestMta(
  options: { config?: Record<string, unknown>; users?: readonly string[] } = {},
): Promise<TestMta> {
  const temp = await makeTempDir('mta-dsn');
  const hash = await hashPassword('not used');
  await writeFile(
    join(temp.path, 'users'),
    (options.users ?? ['alice']).map((u) => `${u}:${hash}\n`).join(''),
  );
  const config = options.config ?? {};
  let mta: MtaProcess;
  try {
    mta = await startMtaProcess({
      dir: temp.path,
      config: {
        hostname: MTA_HOSTNAME,
        listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
        metrics: false,
        localDomains: ['example.org'],
        ...config,
        retry: { ...SHORT_RETRY, ...(config['retry'] as object | undefined) },
      },
    });
  } catch (e) {
    await temp.remove();
    throw e;
  }
  return Object.assign(mta, {
    async cleanup() {
      await mta.stop();
      await temp.remove();
    },
  });
}

/** One message for {@link sendMessage}. */
export interface OutgoingMessage {
  readonly from: string;
  /** Each RCPT: the address and the parameters after it (`NOTIFY=SUCCESS ORCPT=rfc822;x@y`). */
  readonly to: readonly (string | { readonly address: string; readonly params?: string })[];
  /** MAIL parameters (`RET=HDRS ENVID=abc`). */
  readonly mailParams?: string;
  readonly message?: string | Buffer;
}

/** A small message with a recognisable header and body. */
export function sampleMessage(subject: string): string {
  return [
    'From: Alice <alice@example.org>',
    'To: Bob <bob@remote.example>',
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, '-')}@example.org>`,
    '',
    'First line of the body.',
    'BODY-MARKER: only in the body',
    '',
  ].join('\r\n');
}

/** Sends one message to the MTA's MX listener from 127.0.0.1 (a trusted network); its queue id. */
export async function sendMessage(mta: MtaProcess, m: OutgoingMessage): Promise<string> {
  const mx = mta.mx;
  if (mx === undefined) throw new Error('the MTA has no MX listener');
  const client = await RawSmtpClient.greeted(mx.port, { host: mx.host, timeoutMs: 10_000 });
  try {
    const mail = await client.command(
      `MAIL FROM:<${m.from}>${m.mailParams === undefined ? '' : ` ${m.mailParams}`}`,
    );
    if (mail.code !== 250) throw new Error(`MAIL refused: ${mail.raw.join(' ')}`);
    for (const r of m.to) {
      const { address, params } = typeof r === 'string' ? { address: r, params: undefined } : r;
      const reply = await client.command(
        `RCPT TO:<${address}>${params === undefined ? '' : ` ${params}`}`,
      );
      if (reply.code !== 250) throw new Error(`RCPT ${address} refused: ${reply.raw.join(' ')}`);
    }
    const body = m.message ?? sampleMessage('hello');
    const accepted = await client.data(Buffer.isBuffer(body) ? body : Buffer.from(body));
    if (accepted.code !== 250) throw new Error(`DATA refused: ${accepted.raw.join(' ')}`);
    const id = /queued as (\S+)/.exec(accepted.lines.join(' '))?.[1];
    if (id === undefined) throw new Error(`no queue id in ${accepted.raw.join(' ')}`);
    await client.command('QUIT').catch(() => undefined);
    return id;
  } finally {
    client.destroy();
  }
}

/** The queue as the queue tool lists it (`queue list --json`), while the MTA runs. */
export async function queueList(mta: MtaProcess): Promise<QueuedMessage[]> {
  const r = await mta.cli(['queue', 'list', '--json']);
  if (r.code !== 0) throw new Error(`queue list failed (${r.code}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as QueuedMessage);
}

/** One message as `queue show ID --json` gives it, or undefined once it left the queue. */
export async function queueShow(mta: MtaProcess, id: string): Promise<QueuedMessage | undefined> {
  const r = await mta.cli(['queue', 'show', id, '--json']);
  if (r.code !== 0) {
    if (/no message/.test(r.stderr)) return undefined;
    throw new Error(`queue show failed (${r.code}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout.trim()) as QueuedMessage;
}

/** Polls `queue list` until the queue is empty (every notice settled too). */
export async function waitForEmptyQueue(mta: MtaProcess, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const list = await queueList(mta);
    if (list.length === 0) return;
    if (Date.now() > end) {
      throw new Error(`queue not empty after ${timeoutMs} ms: ${JSON.stringify(list)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Log lines with this message (`msg`), optionally only those about one queue id. */
export function eventsOf(
  mta: MtaProcess,
  msg: string,
  queueId?: string,
): Record<string, unknown>[] {
  return mta
    .events()
    .filter((e) => e['msg'] === msg && (queueId === undefined || e['queueId'] === queueId));
}

/** The notices the MTA queued about one message (its `notice queued` log lines). */
export function noticesAbout(mta: MtaProcess, queueId: string): Record<string, unknown>[] {
  return eventsOf(mta, 'notice queued').filter((e) => e['about'] === queueId);
}

/** A DSN as it landed in a Maildir, and parsed back. */
export interface ReceivedDsn {
  /** The file as delivered (Return-Path and Delivered-To first). */
  readonly raw: Buffer;
  /** The report message itself (the delivery fields removed). */
  readonly message: Buffer;
  readonly returnPath: string | undefined;
  readonly report: DeliveryStatusReport;
}

/** Reads a delivered DSN: the Return-Path the MTA wrote, the report parsed with `parseDsn`. */
export function readDsn(text: string): ReceivedDsn {
  const raw = Buffer.from(text, 'utf8');
  const returnPath = /^Return-Path: <([^>]*)>\r\n/.exec(text)?.[1];
  // Return-Path and Delivered-To are the delivering MTA's; the report starts after them.
  const message = Buffer.from(
    text.replace(/^Return-Path: [^\r\n]*\r\n/, '').replace(/^Delivered-To: [^\r\n]*\r\n/, ''),
    'utf8',
  );
  return { raw, message, returnPath, report: parseDsn(message) };
}

/** Waits for `count` messages in a mailbox and reads each as a DSN. */
export async function waitForDsns(
  mta: MtaProcess,
  mailbox: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ReceivedDsn[]> {
  const messages = await mta.waitForMailbox(mailbox, count, timeoutMs);
  return messages.map(readDsn);
}

/** A header field of the report message (unfolded), case-insensitive. */
export function headerOf(dsn: ReceivedDsn, name: string): string | undefined {
  return dsn.report.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

/** Sleeps `ms` (a bounded grace period before asserting that nothing more happened). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
