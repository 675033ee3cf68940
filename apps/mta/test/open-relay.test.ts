// Never an open relay (RFC 5321 §3.6.2, RFC 6409): remote recipients only for authenticated
// users and the configured networks. 127.0.0.2 stands for a host on the Internet.
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const LISTEN = { mx: ['127.0.0.1:0'], submission: ['127.0.0.1:0'], submissions: [] };
const BASE = {
  listen: LISTEN,
  localDomains: ['a.test'],
  hostname: 'mx.a.test',
  metrics: false,
};

async function session(port: number, from?: string): Promise<RawSmtpClient> {
  return RawSmtpClient.greeted(port, {
    timeoutMs: 10_000,
    ehloName: 'outside.example',
    ...(from === undefined ? {} : { localAddress: from }),
  });
}

/** The RCPT replies for `recipients` in one transaction from `from`; then DATA's when none took. */
async function tryRecipients(
  port: number,
  from: string | undefined,
  recipients: readonly string[],
): Promise<{ rcpt: string[]; data: string }> {
  const client = await session(port, from);
  try {
    expect((await client.command('MAIL FROM:<spammer@outside.example>')).code).toBe(250);
    const rcpt: string[] = [];
    for (const r of recipients) rcpt.push(replyStatus(await client.command(`RCPT TO:${r}`)));
    const data = replyStatus(await client.command('DATA'));
    if (data.startsWith('354')) await client.command('.');
    return { rcpt, data };
  } finally {
    client.destroy();
  }
}

async function queueIsEmpty(mta: MtaProcess): Promise<void> {
  const listed = await mta.cli(['queue', 'list']);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain('0 messages in the queue');
}

describe('relay policy with the default relayNetworks', () => {
  let mta: MtaProcess | undefined;
  beforeAll(async () => {
    mta = await startMtaProcess({ config: BASE });
  }, 60_000);
  afterAll(async () => {
    await mta?.stop();
    await mta?.remove();
  });

  it('refuses a remote recipient from an untrusted address without AUTH: 554 5.7.1', async () => {
    if (mta === undefined) throw new Error('not started');
    const result = await tryRecipients(mta.mx?.port ?? 0, '127.0.0.2', ['<victim@remote.test>']);
    expect(result.rcpt).toEqual(['554 5.7.1']);
    expect(result.data).toMatch(/^(503|554)/);
    const denied = await mta.waitForEvent((e) => e['msg'] === 'relay denied', 10_000);
    expect(denied).toMatchObject({ client: '127.0.0.2', rcpt: 'victim@remote.test' });
    await queueIsEmpty(mta);
  });

  it('relays nothing through the percent hack, source routes, bang paths or a quoted @', async () => {
    if (mta === undefined) throw new Error('not started');
    const result = await tryRecipients(mta.mx?.port ?? 0, '127.0.0.2', [
      '<victim%remote.test@a.test>',
      '<victim%remote.test@[127.0.0.1]>',
      '<@a.test:victim@remote.test>',
      '<@mx.a.test,@relay.test:victim@remote.test>',
      '<remote.test!victim@a.test>',
      '<"victim@remote.test"@a.test>',
    ]);
    // Percent, bang and quoted forms are local parts nobody has here (550 5.1.1); an address
    // literal is not a local domain; a source route is ignored (RFC 5321 Appendix C) and leaves
    // a remote recipient, refused as any other (554 5.7.1). None is a 2xx.
    expect(result.rcpt).toEqual([
      '550 5.1.1',
      '550 5.1.1',
      '554 5.7.1',
      '554 5.7.1',
      '550 5.1.1',
      '550 5.1.1',
    ]);
    expect(result.data).toMatch(/^(503|554)/);
    await queueIsEmpty(mta);
  });

  it('takes no percent-hack or bang-path local part from a trusted client either', async () => {
    if (mta === undefined) throw new Error('not started');
    // 127.0.0.1 may relay, but a percent-hack local part is still no way out.
    const result = await tryRecipients(mta.mx?.port ?? 0, undefined, [
      '<victim%remote.test@a.test>',
      '<remote.test!victim@a.test>',
    ]);
    expect(result.rcpt).toEqual(['550 5.1.1', '550 5.1.1']);
    await queueIsEmpty(mta);
  });

  it('answers 530 on the submission port to a client without AUTH, wherever it comes from', async () => {
    if (mta === undefined) throw new Error('not started');
    for (const from of [undefined, '127.0.0.2']) {
      const client = await session(mta.submission?.port ?? 0, from);
      try {
        expect(replyStatus(await client.command('MAIL FROM:<spammer@outside.example>'))).toBe(
          '530 5.7.0',
        );
        expect((await client.command('RCPT TO:<victim@remote.test>')).code).toBeGreaterThanOrEqual(
          500,
        );
        expect((await client.startTls()).code).toBe(220);
        expect((await client.command('EHLO outside.example')).code).toBe(250);
        expect(replyStatus(await client.command('MAIL FROM:<spammer@outside.example>'))).toBe(
          '530 5.7.0',
        );
      } finally {
        client.destroy();
      }
    }
    await queueIsEmpty(mta);
  });

  it('still accepts a local recipient from anyone on the MX port', async () => {
    if (mta === undefined) throw new Error('not started');
    const client = await session(mta.mx?.port ?? 0, '127.0.0.2');
    try {
      expect((await client.command('MAIL FROM:<someone@outside.example>')).code).toBe(250);
      expect(replyStatus(await client.command('RCPT TO:<victim@remote.test>'))).toBe('554 5.7.1');
      expect((await client.command('RCPT TO:<postmaster@a.test>')).code).toBe(250);
      const reply = await client.data(Buffer.from('Subject: from outside\r\n\r\nhello\r\n'));
      expect(reply.code).toBe(250);
    } finally {
      client.destroy();
    }
    const [message] = await mta.waitForMailbox('postmaster', 1, 30_000);
    expect(message).toMatch(/\r\nReceived: from outside\.example \(\[127\.0\.0\.2\]\)\r\n/);
    expect(message).toContain('\r\nSubject: from outside\r\n');
  });
});

describe('relayNetworks: []', () => {
  let mta: MtaProcess | undefined;
  beforeAll(async () => {
    mta = await startMtaProcess({ config: { ...BASE, relayNetworks: [] } });
  }, 60_000);
  afterAll(async () => {
    await mta?.stop();
    await mta?.remove();
  });

  it('refuses relaying even from 127.0.0.1, and still takes local mail', async () => {
    if (mta === undefined) throw new Error('not started');
    const result = await tryRecipients(mta.mx?.port ?? 0, '127.0.0.1', [
      '<victim@remote.test>',
      '<postmaster@a.test>',
    ]);
    expect(result.rcpt).toEqual(['554 5.7.1', '250 2.1.5']);
    expect(result.data).toMatch(/^354/);
    await mta.waitForMailbox('postmaster', 1, 30_000);
  });
});
