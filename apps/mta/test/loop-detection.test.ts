// RFC 5321 §6.3 loop detection: a message that has passed too many hops (counted by its
// `Received:` fields, limits.maxHops 100 by default with ours counted) is refused with 554 5.4.6.
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

let mta: MtaProcess | undefined;
beforeAll(async () => {
  mta = await startMtaProcess({
    config: {
      listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
      localDomains: ['a.test'],
      metrics: false,
    },
  });
}, 60_000);
afterAll(async () => {
  await mta?.stop();
  await mta?.remove();
});

function hops(n: number, name = 'Received'): string {
  let out = '';
  for (let i = n; i > 0; i--) {
    out += `${name}: from hop${i}.example ([192.0.2.${i % 250}])\r\n\tby hop${i + 1}.example with ESMTP id H${i};\r\n\tMon, 7 Dec 2026 10:00:00 +0000\r\n`;
  }
  return out;
}

async function send(message: string): Promise<{ status: string; after: string }> {
  const client = await RawSmtpClient.greeted(mta?.mx?.port ?? 0, { timeoutMs: 10_000 });
  try {
    expect((await client.command('MAIL FROM:<looper@remote.test>')).code).toBe(250);
    expect((await client.command('RCPT TO:<postmaster@a.test>')).code).toBe(250);
    const status = replyStatus(await client.data(Buffer.from(message), 20_000));
    // The session goes on after a refused message.
    const after = replyStatus(await client.command('RSET'));
    return { status, after };
  } finally {
    client.destroy();
  }
}

describe('hop limit', () => {
  it('refuses a message with 101 Received: fields with 554 5.4.6 and queues nothing', async () => {
    if (mta === undefined) throw new Error('not started');
    const result = await send(`${hops(101)}Subject: looping\r\n\r\nround and round\r\n`);
    expect(result).toEqual({ status: '554 5.4.6', after: '250 2.0.0' });
    // 100 from the client and ours make 101: one too many as well.
    expect((await send(`${hops(100)}Subject: looping\r\n\r\nx\r\n`)).status).toBe('554 5.4.6');
    const listed = await mta.cli(['queue', 'list']);
    expect(listed.stdout).toContain('0 messages in the queue');
  });

  it('counts the field names in any case, folded or not', async () => {
    const mixed = `${hops(60, 'RECEIVED')}${hops(41, 'received')}Subject: shouting\r\n\r\nx\r\n`;
    expect((await send(mixed)).status).toBe('554 5.4.6');
  });

  it('takes a message with 99 Received: fields (ours makes 100) and delivers it', async () => {
    if (mta === undefined) throw new Error('not started');
    const result = await send(`${hops(99)}Subject: long way\r\n\r\nbut no loop\r\n`);
    expect(result.status).toBe('250 2.0.0');
    const [message] = await mta.waitForMailbox('postmaster', 1, 30_000);
    expect(message?.match(/^Received: /gm)).toHaveLength(100);
    expect(message).toContain('\r\nSubject: long way\r\n');
  });

  it('does not count Received: lines in the body', { timeout: 60_000 }, async () => {
    if (mta === undefined) throw new Error('not started');
    const result = await send(`Subject: quoted trace\r\n\r\n${hops(150)}`);
    expect(result.status).toBe('250 2.0.0');
    const messages = await mta.waitForMailbox('postmaster', 2, 30_000);
    expect(messages.some((m) => m.includes('\r\nSubject: quoted trace\r\n'))).toBe(true);
  });
});
