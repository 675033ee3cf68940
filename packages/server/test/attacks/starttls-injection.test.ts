// STARTTLS command injection (CVE-2011-0411 Postfix, CVE-2021-38371 Exim, CVE-2021-33515 Dovecot):
// a man in the middle appends plaintext commands to the STARTTLS packet; a server that keeps them
// in its buffer runs them as if the client had sent them inside TLS.
//
// RFC 3207 §4.2: "Upon completion of the TLS handshake, the SMTP protocol is reset to the initial
// state (the state in SMTP after a server issues a 220 service ready greeting). The server MUST
// discard any knowledge obtained from the client, such as the argument to the EHLO command, which
// was not obtained from the TLS negotiation itself."
// RFC 3207 §4.2: "A server MUST NOT return the STARTTLS extension in response to an EHLO command
// received after a TLS handshake has completed."
import { defaultExtensions, startTls } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import {
  createSelfSignedCert,
  ehloKeywords,
  RawSmtpClient,
  replyStatus,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

describe('STARTTLS command injection', () => {
  let cert: SelfSignedCert;
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
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
  });

  const start = async (): Promise<AttackServer> =>
    startAttackServer({
      extensions: [...defaultExtensions({ size: { max: 10 * 1024 * 1024 } }), startTls()],
      tls: { key: cert.key, cert: cert.cert },
    });

  it('discards RSET sent in the STARTTLS packet and resets the session', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('STARTTLS\r\nRSET\r\n');
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R220_2_0_0_ReadyToStartTls),
    );
    // Nothing more in plaintext: the RSET is not answered before the handshake.
    expect((await client.drain(300)).map(replyStatus)).toEqual([]);
    await client.upgradeTls();
    // Nor after it: the only reply inside TLS answers what the client sends inside TLS.
    expect((await client.drain(500)).map(replyStatus)).toEqual([]);
    // The session was reset to "just greeted": MAIL needs a new EHLO.
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    const mail = await client.readReply();
    expect(mail.code).toBe(503);
    expect(s.log.mail).toEqual([]);
    await client.write('EHLO client.example\r\n');
    const ehlo = await client.readReply();
    expect(ehlo.code).toBe(250);
    expect(ehloKeywords(ehlo)).not.toContain('STARTTLS');
    expect((await client.drain(300)).map(replyStatus)).toEqual([]);
    // And it works normally inside TLS.
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    expect(replyStatus(await client.readReply())).toMatch(/^250/);
    expect(s.log.mail).toEqual(['alice@sender.example']);
    expect(s.log.helo.at(-1)?.tls).toBe(true);
  });

  it('discards a whole pipelined transaction injected after STARTTLS', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\nRCPT TO:<victim@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReply()).code).toBe(220);
    expect((await client.drain(300)).map(replyStatus)).toEqual([]);
    await client.upgradeTls();
    expect((await client.drain(500)).map(replyStatus)).toEqual([]);
    await client.write('NOOP\r\n');
    expect((await client.drain(300)).map((r) => r.code)).toEqual([250]);
    expect(s.log.mail).toEqual([]);
    expect(s.log.rcpt).toEqual([]);
  });

  it('control: STARTTLS alone, then EHLO inside TLS, a second STARTTLS refused', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('STARTTLS\r\n');
    expect((await client.readReply()).code).toBe(220);
    await client.upgradeTls();
    await client.write('EHLO client.example\r\n');
    const ehlo = await client.readReply();
    expect(ehlo.code).toBe(250);
    expect(ehloKeywords(ehlo)).not.toContain('STARTTLS');
    await client.write('STARTTLS\r\n');
    // RFC 3207 §4: STARTTLS under TLS is out of sequence (the keyword is no longer offered).
    expect((await client.readReply()).code).toBeGreaterThanOrEqual(500);
  });
});
