import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const ONLY_MX = {
  listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
  metrics: false,
};

let mta: MtaProcess | undefined;
afterEach(async () => {
  await mta?.stop();
  await mta?.remove();
  mta = undefined;
});

describe('receive, queue, deliver locally', () => {
  it('answers 250 with the queue id and delivers to the Maildir with Return-Path, Delivered-To and Received', async () => {
    mta = await startMtaProcess({ config: { ...ONLY_MX, localDomains: ['example.org'] } });
    const client = await RawSmtpClient.greeted(mta.mx?.port ?? 0, { host: mta.mx?.host ?? '' });
    try {
      expect((await client.command('MAIL FROM:<alice@example.net>')).code).toBe(250);
      expect((await client.command('RCPT TO:<postmaster@example.org>')).code).toBe(250);
      const accepted = await client.data(Buffer.from('Subject: hello\r\n\r\nbody\r\n'));
      expect(accepted.code).toBe(250);
      expect(accepted.lines.join(' ')).toMatch(/queued as \S+/);
    } finally {
      client.destroy();
    }
    const [message] = await mta.waitForMailbox('postmaster', 1);
    expect(message).toMatch(
      /^Return-Path: <alice@example\.net>\r\nDelivered-To: postmaster@example\.org\r\nReceived: from client\.example \(\[127\.0\.0\.1\]\)\r\n/,
    );
    expect(message).toContain('\r\nSubject: hello\r\n\r\nbody\r\n');
  });
});
