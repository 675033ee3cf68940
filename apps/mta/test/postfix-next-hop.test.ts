// The MTA relaying to Postfix as its next hop: Postfix's smtp-sink (the `--relay` flag), which
// dumps each transaction to a file, and a private Postfix instance (`delivery.relay`) delivering
// into a Maildir of its own with its virtual(8) agent.
import { chmod, chown, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeTempDir,
  type PrivatePostfix,
  privatePostfixSkipReason,
  RawSmtpClient,
  type RunningServer,
  runProcess,
  smtpSinkSkipReason,
  startPrivatePostfix,
  startSmtpSink,
  type TempDir,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const ONLY_MX = {
  listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
  localDomains: ['a.test'],
  hostname: 'mta.a.test',
  metrics: false,
};

/** Sends one message to the MTA's MX port from 127.0.0.1 (a relay network); returns the queue id. */
async function submit(
  mta: MtaProcess,
  from: string,
  to: string,
  message: string,
): Promise<string | undefined> {
  const client = await RawSmtpClient.greeted(mta.mx?.port ?? 0, { timeoutMs: 10_000 });
  try {
    expect((await client.command(`MAIL FROM:<${from}>`)).code).toBe(250);
    expect((await client.command(`RCPT TO:<${to}>`)).code).toBe(250);
    const reply = await client.data(Buffer.from(message));
    expect(reply.code).toBe(250);
    return /queued as (\S+)/.exec(reply.lines.join(' '))?.[1];
  } finally {
    client.destroy();
  }
}

/** Every file under `dir`, recursively, as text. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(await readFile(path, 'latin1'));
  }
  return out;
}

async function waitForFiles(dir: string, count: number, timeoutMs: number): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const files = await filesUnder(dir).catch(() => []);
    if (files.length >= count) return files;
    if (Date.now() > end) throw new Error(`${files.length} of ${count} files in ${dir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(smtpSinkSkipReason() !== undefined)("to Postfix's smtp-sink with --relay", () => {
  let sink: RunningServer | undefined;
  let dumps: TempDir | undefined;
  let mta: MtaProcess | undefined;

  beforeAll(async () => {
    dumps = await makeTempDir('mta-sink-dumps');
    // smtp-sink runs as nobody and writes its dumps there.
    await chmod(dumps.path, 0o777);
    sink = await startSmtpSink({ dumpTemplate: join(dumps.path, 'message.') });
    mta = await startMtaProcess({ config: ONLY_MX, args: ['--relay', `127.0.0.1:${sink.port}`] });
  }, 60_000);
  afterAll(async () => {
    await mta?.stop();
    await mta?.remove();
    await sink?.stop();
    await dumps?.remove();
  });

  it('relays a remote recipient to the sink, which stores the envelope and the message', async () => {
    if (mta === undefined || dumps === undefined) throw new Error('not started');
    const id = await submit(
      mta,
      'sender@a.test',
      'someone@elsewhere.test',
      'From: sender@a.test\r\nSubject: to the sink\r\n\r\n.leading dot\r\nbody line\r\n',
    );
    const [dump] = await waitForFiles(dumps.path, 1, 30_000);
    // smtp-sink's dump: its X- attributes with the envelope, then the message with LF line
    // ends under smtp-sink's own Received: naming our EHLO, then an empty line of its own.
    expect(dump).toMatch(/^X-Helo-Args: mta\.a\.test$/m);
    expect(dump).toMatch(/^X-Mail-Args: <sender@a\.test>$/m);
    expect(dump).toMatch(/^X-Rcpt-Args: <someone@elsewhere\.test>$/m);
    expect(dump).toMatch(
      /\nReceived: from mta\.a\.test \(\[127\.0\.0\.1\]\)\n\tby smtp-sink \(smtp-sink\) with ESMTP id [\s\S]*?\nReceived: from client\.example \(\[127\.0\.0\.1\]\)\n\tby mta\.a\.test \(smtpkit\) with ESMTP id /,
    );
    // The dot-stuffed line arrived unstuffed: the MTA stuffed it and the sink removed it.
    expect(dump).toMatch(/\nSubject: to the sink\n\n\.leading dot\nbody line\n\n$/);
    const delivered = await mta.waitForEvent(
      (e) => e['msg'] === 'delivered' && e['queueId'] === id,
      30_000,
    );
    expect(delivered).toMatchObject({ destination: 'relay', remoteMta: '127.0.0.1' });
    // Gone from the queue once the sink said 250.
    const listed = await mta.cli(['queue', 'list']);
    expect(listed.stdout).toContain('0 messages in the queue');
  }, 90_000);
});

describe.skipIf(privatePostfixSkipReason() !== undefined)(
  'to a private Postfix instance as the next hop',
  () => {
    let postfix: PrivatePostfix | undefined;
    let vmail: TempDir | undefined;
    let mta: MtaProcess | undefined;

    beforeAll(async () => {
      vmail = await makeTempDir('mta-postfix-vmail');
      const ids = await Promise.all(
        ['-u', '-g'].map((flag) => runProcess('id', [flag, 'postfix'], { timeoutMs: 5000 })),
      );
      const [uid, gid] = ids.map((r) => Number(r.stdout.trim())) as [number, number];
      await chmod(vmail.path, 0o755);
      await mkdir(join(vmail.path, 'base'));
      await chown(join(vmail.path, 'base'), uid, gid);
      postfix = await startPrivatePostfix({
        mainCf: {
          // pf.test is Postfix's own: virtual(8) delivers every address to one Maildir.
          virtual_mailbox_domains: 'pf.test',
          virtual_mailbox_base: join(vmail.path, 'base'),
          virtual_mailbox_maps: 'static:inbox/',
          virtual_uid_maps: `static:${uid}`,
          virtual_gid_maps: `static:${gid}`,
        },
        timeoutMs: 60_000,
      });
      mta = await startMtaProcess({
        config: { ...ONLY_MX, delivery: { relay: `127.0.0.1:${postfix.port}` } },
      });
    }, 120_000);
    afterAll(async () => {
      await mta?.stop();
      await mta?.remove();
      await postfix?.stop();
      await vmail?.remove();
    });

    it('relays to Postfix, which delivers the message to its Maildir', async () => {
      if (mta === undefined || postfix === undefined || vmail === undefined) {
        throw new Error('not started');
      }
      const id = await submit(
        mta,
        'sender@a.test',
        'rcpt@pf.test',
        'From: sender@a.test\r\nSubject: to postfix\r\n\r\nthrough a real MTA\r\n',
      );
      await postfix.waitForLog(/to=<rcpt@pf\.test>.*status=sent \(delivered to maildir\)/, 60_000);
      const [message] = await waitForFiles(join(vmail.path, 'base', 'inbox', 'new'), 1, 10_000);
      // Postfix's trace on top, naming our EHLO, then ours, then the message.
      expect(message).toMatch(/^Delivered-To: rcpt@pf\.test\n/m);
      expect(message).toMatch(
        /\nReceived: from mta\.a\.test \(localhost \[127\.0\.0\.1\]\)\n\tby postfix\.smtpkit\.test \(Postfix\)/,
      );
      expect(message).toMatch(
        /\nReceived: from client\.example \(\[127\.0\.0\.1\]\)\n\tby mta\.a\.test \(smtpkit\) with ESMTP id /,
      );
      expect(message?.endsWith('\nSubject: to postfix\n\nthrough a real MTA\n')).toBe(true);
      const log = await postfix.maillog();
      expect(log).toMatch(/from=<sender@a\.test>/);
      const delivered = await mta.waitForEvent(
        (e) => e['msg'] === 'delivered' && e['queueId'] === id,
        30_000,
      );
      expect(String(delivered['reply'])).toMatch(/^250 .*queued as/);
    }, 120_000);
  },
);
