// nodemailer's SMTP transport (raw message, so nodemailer does not rebuild it) against
// @smtpkit/server, in plain text and with STARTTLS.
import {
  createSelfSignedCert,
  nodemailerSkipReason,
  opensslSkipReason,
  type SelfSignedCert,
  sendWithNodemailer,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { type InteropServer, startInteropServer } from './interop-server.js';

const skip = nodemailerSkipReason() ?? opensslSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);
const TIMEOUT = 20_000;

describe.skipIf(skip !== undefined)('nodemailer', () => {
  let plain: InteropServer;
  let secure: InteropServer;
  let cert: SelfSignedCert;

  beforeAll(async () => {
    cert = await createSelfSignedCert();
    plain = await startInteropServer();
    secure = await startInteropServer({
      tls: { key: cert.key, cert: cert.cert },
      implicitTls: true,
    });
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop()]);
    await cert?.remove();
  });

  it(
    'plain: the raw message arrives byte for byte',
    async () => {
      const data = asciiMessage('nodemailer plain');
      const info = await sendWithNodemailer({
        port: plain.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com', 'other@example.com'],
        data,
      });
      expect(info.accepted).toEqual(['rcpt@example.com', 'other@example.com']);
      expect(info.response).toMatch(/^250 /);
      const [m] = await plain.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.to).toEqual(['<rcpt@example.com>', '<other@example.com>']);
    },
    TIMEOUT,
  );

  it(
    'requireTLS: STARTTLS, then the 8-bit message',
    async () => {
      const data = eightBitMessage('nodemailer starttls');
      await sendWithNodemailer({
        port: secure.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'starttls',
        data,
      });
      const [m] = await secure.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'secure: implicit TLS',
    async () => {
      const data = asciiMessage('nodemailer implicit');
      await sendWithNodemailer({
        port: secure.securePort as number,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'implicit',
        data,
      });
      const m = (await secure.waitForMessages(2))[1];
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );
});
