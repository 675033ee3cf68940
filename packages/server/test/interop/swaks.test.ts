// swaks (Swiss Army Knife for SMTP, John Jetmore) against @smtpkit/server: the bytes the data
// hook stores must equal the file swaks sent, after swaks' own dot-stuffing is undone.
import {
  createSelfSignedCert,
  opensslSkipReason,
  runSwaks,
  type SelfSignedCert,
  swaksSkipReason,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { type InteropServer, startInteropServer } from './interop-server.js';

const skip = swaksSkipReason() ?? opensslSkipReason();
const TIMEOUT = 20_000;

describe.skipIf(skip !== undefined)('swaks', () => {
  let plain: InteropServer;
  let secure: InteropServer;
  let withAuth: InteropServer;
  let cert: SelfSignedCert;
  const account = { user: 'swaks-user', password: 'p@ss word:1' };

  beforeAll(async () => {
    cert = await createSelfSignedCert();
    const tls = { key: cert.key, cert: cert.cert };
    plain = await startInteropServer();
    secure = await startInteropServer({ tls, implicitTls: true });
    withAuth = await startInteropServer({ tls, account });
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop(), withAuth?.stop()]);
    await cert?.remove();
  });

  it(
    'plain: stores the bytes sent, envelope as given',
    async () => {
      const data = asciiMessage('swaks plain');
      await runSwaks({
        port: plain.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        data,
      });
      const [m] = (await plain.waitForMessages(1)).slice(-1);
      expect(m?.body).toEqual(data);
      expect(m?.from).toBe('<sender@example.com>');
      expect(m?.to).toEqual(['<rcpt@example.com>']);
      expect(m?.tls).toBe(false);
    },
    TIMEOUT,
  );

  it(
    '--pipeline: MAIL, RCPTs and DATA go in one group (RFC 2920) and arrive intact',
    async () => {
      const before = plain.messages.length;
      const data = asciiMessage('swaks pipeline');
      const r = await runSwaks({
        port: plain.port,
        from: 'sender@example.com',
        to: ['one@example.com', 'two@example.com'],
        pipeline: true,
        data,
      });
      const out = r.stdout.split('\n');
      expect(out).toContain('<-  250-PIPELINING');
      // Grouped: swaks wrote the RCPT commands before reading MAIL's reply.
      const mail = out.findIndex((l) => l.startsWith(' -> MAIL FROM:'));
      const lastRcpt = out.findLastIndex((l) => l.startsWith(' -> RCPT TO:'));
      const firstReplyAfterMail = out.findIndex((l, i) => i > mail && l.startsWith('<-'));
      expect(lastRcpt).toBeLessThan(firstReplyAfterMail);
      const m = (await plain.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
      expect(m?.to).toEqual(['<one@example.com>', '<two@example.com>']);
    },
    TIMEOUT,
  );

  it(
    '8-bit body: 8BITMIME is offered and the UTF-8 bytes are stored unchanged',
    async () => {
      const before = plain.messages.length;
      const data = eightBitMessage('swaks 8bit');
      const r = await runSwaks({
        port: plain.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        data,
      });
      expect(r.stdout.split('\n')).toContain('<-  250-8BITMIME');
      const m = (await plain.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
    },
    TIMEOUT,
  );

  it(
    '-tls: STARTTLS with a self-signed certificate (RFC 3207)',
    async () => {
      const data = asciiMessage('swaks starttls');
      const r = await runSwaks({
        port: secure.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'starttls',
        data,
      });
      expect(r.stdout).toContain('TLS started');
      const [m] = await secure.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );

  it(
    '-tlsc: implicit TLS (RFC 8314)',
    async () => {
      const before = secure.messages.length;
      const data = asciiMessage('swaks implicit');
      await runSwaks({
        port: secure.securePort as number,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'implicit',
        data,
      });
      const m = (await secure.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );

  it.each(['PLAIN', 'LOGIN'] as const)(
    'AUTH %s over STARTTLS (RFC 4954)',
    async (mechanism) => {
      const before = withAuth.messages.length;
      const data = asciiMessage(`swaks auth ${mechanism}`);
      const r = await runSwaks({
        port: withAuth.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'starttls',
        auth: { mechanism, user: account.user, password: account.password },
        data,
      });
      expect(r.stdout).toMatch(/^<[-~]\s+235 /m);
      const m = (await withAuth.waitForMessages(before + 1))[before];
      expect(m?.body).toEqual(data);
      expect(m?.user).toBe(account.user);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'a wrong password is refused (535) and nothing is stored',
    async () => {
      const before = withAuth.messages.length;
      await expect(
        runSwaks({
          port: withAuth.port,
          from: 'sender@example.com',
          to: 'rcpt@example.com',
          tls: 'starttls',
          auth: { mechanism: 'PLAIN', user: account.user, password: 'wrong' },
          data: asciiMessage('swaks bad auth'),
        }),
      ).rejects.toMatchObject({ code: 'ERR_PEER_EXIT', stdout: expect.stringContaining('535') });
      expect(withAuth.messages.length).toBe(before);
    },
    TIMEOUT,
  );
});
