// msmtp (a sendmail-compatible SMTP client) against @smtpkit/server: the message piped to its
// stdin must be stored unchanged (msmtp is configured not to add headers).
import {
  createSelfSignedCert,
  msmtpSkipReason,
  opensslSkipReason,
  runMsmtp,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { type InteropServer, startInteropServer } from './interop-server.js';

const skip = msmtpSkipReason() ?? opensslSkipReason();
const TIMEOUT = 20_000;

describe.skipIf(skip !== undefined)('msmtp', () => {
  let plain: InteropServer;
  let withAuth: InteropServer;
  let lmtp: InteropServer;
  let cert: SelfSignedCert;
  const account = { user: 'msmtp-user', password: 'msmtp-pass' };

  beforeAll(async () => {
    cert = await createSelfSignedCert();
    plain = await startInteropServer();
    withAuth = await startInteropServer({ tls: { key: cert.key, cert: cert.cert }, account });
    lmtp = await startInteropServer({ lmtp: true });
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), withAuth?.stop(), lmtp?.stop()]);
    await cert?.remove();
  });

  it(
    'plain: the stdin message is stored unchanged',
    async () => {
      const data = asciiMessage('msmtp plain');
      await runMsmtp({
        port: plain.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        data,
      });
      const [m] = await plain.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.from).toBe('<sender@example.com>');
    },
    TIMEOUT,
  );

  it(
    'STARTTLS and AUTH PLAIN, 8-bit body',
    async () => {
      const data = eightBitMessage('msmtp auth');
      await runMsmtp({
        port: withAuth.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'starttls',
        auth: { mechanism: 'PLAIN', user: account.user, password: account.password },
        data,
      });
      const [m] = await withAuth.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
      expect(m?.user).toBe(account.user);
    },
    TIMEOUT,
  );

  it(
    'protocol lmtp',
    async () => {
      const data = asciiMessage('msmtp lmtp');
      await runMsmtp({
        port: lmtp.port,
        from: 'sender@example.com',
        to: ['one@example.com', 'two@example.com'],
        lmtp: true,
        data,
      });
      const [m] = await lmtp.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.greeting).toBe('lhlo');
    },
    TIMEOUT,
  );
});
