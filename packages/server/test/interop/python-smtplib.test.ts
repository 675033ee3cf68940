// Python's smtplib (the standard library client) against @smtpkit/server: SMTP, SMTPUTF8 with a
// non-ASCII address, BODY=8BITMIME, STARTTLS with AUTH, and LMTP. smtplib dot-stuffs the message
// itself; the stored bytes must equal what it was given.
import {
  createSelfSignedCert,
  opensslSkipReason,
  runSmtplib,
  type SelfSignedCert,
  smtplibSkipReason,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { type InteropServer, startInteropServer } from './interop-server.js';

const skip = smtplibSkipReason() ?? opensslSkipReason();
const TIMEOUT = 20_000;

describe.skipIf(skip !== undefined)('Python smtplib', () => {
  let smtp: InteropServer;
  let lmtp: InteropServer;
  let withAuth: InteropServer;
  let cert: SelfSignedCert;
  const account = { user: 'py-user', password: 'py pass' };

  beforeAll(async () => {
    cert = await createSelfSignedCert();
    smtp = await startInteropServer();
    lmtp = await startInteropServer({ lmtp: true });
    withAuth = await startInteropServer({ tls: { key: cert.key, cert: cert.cert }, account });
  });
  afterAll(async () => {
    await Promise.all([smtp?.stop(), lmtp?.stop(), withAuth?.stop()]);
    await cert?.remove();
  });

  it(
    'sendmail: stores the bytes given',
    async () => {
      const before = smtp.messages.length;
      const data = asciiMessage('smtplib plain');
      const r = await runSmtplib({
        port: smtp.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        data,
      });
      expect(r.refused).toEqual({});
      const m = (await smtp.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
      expect(m?.greeting).toBe('ehlo');
    },
    TIMEOUT,
  );

  it(
    'SMTPUTF8 (RFC 6531): a non-ASCII sender and recipient arrive as UTF-8',
    async () => {
      const before = smtp.messages.length;
      const data = eightBitMessage('smtplib smtputf8');
      const r = await runSmtplib({
        port: smtp.port,
        from: 'j\u00f8rgen@b\u00fccher.example',
        to: ['\u7528\u6237@\u4f8b\u5b50.example'],
        smtputf8: true,
        data,
      });
      expect(r.refused).toEqual({});
      const m = (await smtp.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
      expect(m?.from).toBe('<j\u00f8rgen@b\u00fccher.example>');
      expect(m?.to).toEqual(['<\u7528\u6237@\u4f8b\u5b50.example>']);
    },
    TIMEOUT,
  );

  it(
    'BODY=8BITMIME (RFC 6152): the 8-bit body is stored unchanged',
    async () => {
      const before = smtp.messages.length;
      const data = eightBitMessage('smtplib 8bitmime');
      await runSmtplib({
        port: smtp.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        mailOptions: ['BODY=8BITMIME'],
        data,
      });
      const m = (await smtp.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
    },
    TIMEOUT,
  );

  it(
    'starttls() and login() (AUTH over TLS)',
    async () => {
      const data = asciiMessage('smtplib auth');
      await runSmtplib({
        port: withAuth.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        starttls: true,
        auth: account,
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
    'smtplib.LMTP: LHLO, one 250 per recipient after DATA (RFC 2033 §4.2)',
    async () => {
      const data = asciiMessage('smtplib lmtp');
      const to = ['one@example.com', 'two@example.com', 'three@example.com'];
      const r = await runSmtplib({
        port: lmtp.port,
        from: 'sender@example.com',
        to,
        lmtp: true,
        data,
      });
      expect(r.refused).toEqual({});
      expect(r.lmtpReplies.map(([code]) => code)).toEqual([250, 250, 250]);
      const [m] = await lmtp.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.greeting).toBe('lhlo');
      expect(m?.to).toEqual(to.map((t) => `<${t}>`));
    },
    TIMEOUT,
  );
});
