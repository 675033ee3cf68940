// The client against Postfix's smtp-sink, which dumps every transaction (-d): its envelope
// (X-Mail-Args, X-Rcpt-Args) and the message as text lines ending in LF after its own headers.
// smtp-sink offers PIPELINING, 8BITMIME, DSN and AUTH, no CHUNKING, and ends its EHLO reply with an
// empty "250 " line. What it stored must equal what was sent (CRLF-normalised, then in its LF form).
import { chmod, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeTempDir,
  type RunningServer,
  smtpSinkSkipReason,
  startSmtpSink,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/index.js';
import { crlfNormalised, TRICKY_BODIES } from '../support/bodies.js';

const skip = smtpSinkSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);
const HOST = '127.0.0.1';

interface SinkDump {
  readonly mailArgs: string;
  readonly rcptArgs: readonly string[];
  readonly helo: string;
  /** The message as smtp-sink wrote it (LF line ends), without its trailing empty line. */
  readonly message: string;
}

/** smtp-sink's dump files not in `known` (their names are random: no order). */
async function readDumps(dir: string, known: ReadonlySet<string> = new Set()): Promise<SinkDump[]> {
  const names = (await readdir(dir)).filter((n) => !known.has(n));
  const dumps: SinkDump[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'latin1');
    const at = text.indexOf('\nReceived: ');
    const head = text.slice(0, at).split('\n');
    // Received: is three lines; then the message; then one empty line.
    const rest = text
      .slice(at + 1)
      .split('\n')
      .slice(3)
      .join('\n');
    dumps.push({
      mailArgs: head.find((l) => l.startsWith('X-Mail-Args: '))?.slice(13) ?? '',
      rcptArgs: head.filter((l) => l.startsWith('X-Rcpt-Args: ')).map((l) => l.slice(13)),
      helo: head.find((l) => l.startsWith('X-Helo-Args: '))?.slice(13) ?? '',
      message: rest.endsWith('\n') ? rest.slice(0, -1) : rest,
    });
  }
  return dumps;
}

/** What a body looks like in the dump: DATA's CRLF text with LF line ends. */
const asDumped = (body: Uint8Array) =>
  crlfNormalised(body).toString('latin1').replace(/\r\n/g, '\n');

describe.skipIf(skip !== undefined)('smtp-sink', { timeout: 30_000 }, () => {
  let sink: RunningServer;
  let dir: { path: string; remove(): Promise<void> };
  let seq = 0;
  beforeAll(async () => {
    dir = await makeTempDir('sink-dump');
    // smtp-sink runs as nobody (-u) and writes the dumps there.
    await chmod(dir.path, 0o777);
    sink = await startSmtpSink({ dumpTemplate: `${dir.path}/` });
  });
  afterAll(async () => {
    await sink?.stop();
    await dir?.remove();
  });

  /** The names of the dumps written so far. */
  const known = async () => new Set(await readdir(dir.path));

  /** The dumps not in `before`, once there are `count` of them. */
  async function newDumps(before: ReadonlySet<string>, count: number): Promise<SinkDump[]> {
    for (let i = 0; i < 100; i++) {
      const fresh = await readDumps(dir.path, before);
      if (fresh.length >= count) return fresh;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('smtp-sink did not dump the messages');
  }

  it('a pipelined transaction with DSN parameters: the envelope and the message as sent', async () => {
    const before = await known();
    const client = await connect({ host: HOST, port: sink.port, hostname: 'client.example' });
    expect(client.capabilities.has('PIPELINING')).toBe(true);
    const message = Buffer.from(`Subject: sink ${seq++}\r\n\r\nHello\r\n.dot\r\n..two\r\n`);
    const result = await client.send(
      {
        from: 'a@example.org',
        to: ['b@example.com', 'c@example.com'],
        mailParams: { RET: 'HDRS', ENVID: 'QQ314159' },
        rcptParams: [{ NOTIFY: ['SUCCESS', 'FAILURE'] }, { NOTIFY: ['NEVER'] }],
      },
      message,
    );
    expect([result.via, result.unsent, result.recipients.map((r) => r.accepted)]).toEqual([
      'DATA',
      [],
      [true, true],
    ]);
    await client.quit();
    const [dump] = await newDumps(before, 1);
    expect(dump?.helo).toBe('client.example');
    expect(dump?.mailArgs).toBe('<a@example.org> RET=HDRS ENVID=QQ314159');
    expect(dump?.rcptArgs).toEqual([
      '<b@example.com> NOTIFY=SUCCESS,FAILURE',
      '<c@example.com> NOTIFY=NEVER',
    ]);
    expect(dump?.message).toBe(asDumped(message));
  });

  it('tricky bodies on one connection arrive CRLF-normalised, dot-stuffing undone', async () => {
    const before = await known();
    const client = await connect({ host: HOST, port: sink.port });
    const bodies = Object.values(TRICKY_BODIES).filter((b) => !b.includes(0) && !b.includes(0x80));
    for (const body of bodies) await client.send({ from: '', to: 'b@example.com' }, body);
    await client.quit();
    const dumps = await newDumps(before, bodies.length);
    expect(dumps.map((d) => d.mailArgs)).toEqual(bodies.map(() => '<>'));
    expect(dumps.map((d) => d.message).sort()).toEqual(bodies.map(asDumped).sort());
  });

  it('smtp-sink answers AUTH with 250, not 235 (RFC 4954 §4): not taken for success', async () => {
    await expect(
      connect({
        host: HOST,
        port: sink.port,
        tls: 'none',
        auth: { username: 'tim', password: 'tanstaaf', allowInsecure: true },
      }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_REPLY', command: 'AUTH PLAIN', replyCode: 250 });
  });
});

describe.skipIf(skip !== undefined)('smtp-sink refusing', { timeout: 30_000 }, () => {
  let sink: RunningServer;
  beforeAll(async () => {
    // -r RCPT: every RCPT gets a soft (4xx) error; -f: a hard one for the listed commands.
    sink = await startSmtpSink({ extraArgs: ['-r', 'RCPT'] });
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('every RCPT refused: a result with each reply, no message sent, the client still usable', async () => {
    const client = await connect({ host: HOST, port: sink.port });
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'c@example.com'] },
      'Subject: x\r\n\r\nx\r\n',
    );
    expect(result.recipients.map((r) => [r.accepted, r.reply.code])).toEqual([
      [false, 450],
      [false, 450],
    ]);
    expect(result.message).toBeUndefined();
    expect((await client.noop()).code).toBe(250);
    await client.quit();
  });
});
