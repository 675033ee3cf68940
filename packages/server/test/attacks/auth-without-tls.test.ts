// AUTH in plaintext: by default the server must not take a password over an unencrypted channel
// (a passive listener would read it; a man in the middle who stripped STARTTLS would collect it).
//
// RFC 4954 §6: "538 5.7.11 Encryption required for requested authentication mechanism — This
// response to the AUTH command indicates that the selected authentication mechanism may only be
// used when the underlying SMTP connection is encrypted." RFC 3207 §4: "530 5.7.0 Must issue a
// STARTTLS command first" is the other accepted refusal. Either way, no 334 challenge (which
// would invite the password) and no call to the verifier.
import { auth, defaultExtensions, startTls } from '@smtpkit/extensions';
import {
  createSelfSignedCert,
  ehloKeywords,
  RawSmtpClient,
  replyStatus,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const PLAIN_IR = Buffer.from('\0alice\0correct horse').toString('base64');

describe('AUTH without TLS', () => {
  let cert: SelfSignedCert;
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  const verified: unknown[] = [];
  beforeAll(async () => {
    cert = await createSelfSignedCert();
  });
  afterAll(async () => {
    await cert?.remove();
  });
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
    verified.length = 0;
  });

  const start = () =>
    startAttackServer({
      extensions: [...defaultExtensions(), startTls(), auth({ mechanisms: ['PLAIN', 'LOGIN'] })],
      tls: { key: cert.key, cert: cert.cert },
      auth: {
        verify: async (credentials: { username: string; password?: string }) => {
          verified.push(credentials.username);
          return credentials.username === 'alice' && credentials.password === 'correct horse';
        },
      },
    });

  /** 538 5.7.11 or 530 (5.7.0), as the brief and RFC 4954 / RFC 3207 allow. */
  function expectRefusal(reply: { code: number } & Parameters<typeof replyStatus>[0]): void {
    expect(['538 5.7.11', '530 5.7.0', '538', '530']).toContain(replyStatus(reply));
  }

  it('AUTH is not offered before STARTTLS', async () => {
    s = await start();
    client = await RawSmtpClient.connect(s.port);
    expect((await client.readReply()).code).toBe(220);
    await client.write('EHLO client.example\r\n');
    const ehlo = await client.readReply();
    expect(ehloKeywords(ehlo)).toContain('STARTTLS');
    expect(ehloKeywords(ehlo)).not.toContain('AUTH');
  });

  it('AUTH PLAIN with an initial response: refused, the verifier is never called', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`AUTH PLAIN ${PLAIN_IR}\r\n`);
    expectRefusal(await client.readReply());
    expect(verified).toEqual([]);
    // Not authenticated: the session goes on as an anonymous one.
    await client.write('NOOP\r\n');
    expect((await client.readReply()).code).toBe(250);
  });

  it('AUTH LOGIN: refused before any 334 challenge', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('AUTH LOGIN\r\n');
    const reply = await client.readReply();
    expect(reply.code).not.toBe(334);
    expectRefusal(reply);
    expect(verified).toEqual([]);
  });

  it('AUTH PLAIN without an initial response: no 334 inviting the password', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('AUTH PLAIN\r\n');
    const reply = await client.readReply();
    expect(reply.code).not.toBe(334);
    expectRefusal(reply);
  });

  it('control: after STARTTLS, AUTH PLAIN succeeds with 235 2.7.0', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('STARTTLS\r\n');
    expect((await client.readReply()).code).toBe(220);
    await client.upgradeTls();
    await client.write('EHLO client.example\r\n');
    const ehlo = await client.readReply();
    expect(ehloKeywords(ehlo)).toContain('AUTH');
    await client.write(`AUTH PLAIN ${PLAIN_IR}\r\n`);
    expect(replyStatus(await client.readReply())).toBe('235 2.7.0');
    expect(verified).toEqual(['alice']);
  });
});
