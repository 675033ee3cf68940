import { type Aiosmtpd, aiosmtpdSkipReason, RawSmtpClient, startAiosmtpd } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const skip = aiosmtpdSkipReason();
if (skip !== undefined) console.log(`lmtp-delivery: skipped: ${skip}`);

let mta: MtaProcess | undefined;
let lmtp: Aiosmtpd | undefined;
afterEach(async () => {
  await mta?.stop();
  await mta?.remove();
  await lmtp?.stop();
  mta = undefined;
  lmtp = undefined;
});

describe.skipIf(skip !== undefined)('local delivery by LMTP (RFC 2033) to aiosmtpd', () => {
  it('hands local recipients to the LMTP server with Received: and no Maildir', async () => {
    lmtp = await startAiosmtpd({ lmtp: true });
    mta = await startMtaProcess({
      config: {
        listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
        metrics: false,
        localDomains: ['example.org'],
        catchAll: true,
        lmtp: `127.0.0.1:${lmtp.port}`,
      },
    });
    const client = await RawSmtpClient.greeted(mta.mx?.port ?? 0);
    try {
      expect((await client.command('MAIL FROM:<alice@example.net>')).code).toBe(250);
      expect((await client.command('RCPT TO:<bob@example.org>')).code).toBe(250);
      expect((await client.command('RCPT TO:<carol@example.org>')).code).toBe(250);
      expect((await client.data(Buffer.from('Subject: lmtp\r\n\r\nhello\r\n'))).code).toBe(250);
    } finally {
      client.destroy();
    }
    const [message] = await lmtp.waitForMessages(1, 20_000);
    expect(message?.mailFrom).toBe('alice@example.net');
    expect([...(message?.rcptTos ?? [])].sort()).toEqual(['bob@example.org', 'carol@example.org']);
    const text = message?.data.toString('utf8') ?? '';
    expect(text).toMatch(/^Received: from client\.example /);
    expect(text).toContain('Subject: lmtp\r\n\r\nhello\r\n');
    expect(await mta.mailbox('catch-all')).toEqual([]);
    const delivered = mta.events().filter((e) => e['msg'] === 'delivered');
    expect(delivered.map((e) => e['to']).sort()).toEqual(['bob@example.org', 'carol@example.org']);
  });
});
