// Many idle connections must not starve a real client: 200 connections that read the banner and
// then say nothing, while a 201st runs a normal transaction.
//
// RFC 5321 §4.5.3.2.7: the server waits (5 minutes by default) for each next command, so idle
// connections are legitimate until their timeout; the server must keep serving others meanwhile.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const IDLE = 200;

describe('200 idle connections', () => {
  let s: AttackServer | undefined;
  const clients: RawSmtpClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await s?.stop();
    s = undefined;
  });

  it('a 201st connection completes a transaction while 200 sit idle', async () => {
    // Per-IP limit raised: every test connection comes from 127.0.0.1.
    s = await startAttackServer({ limits: { connections: 1000, connectionsPerIp: 500 } });
    for (let i = 0; i < IDLE; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => RawSmtpClient.connect(s?.port ?? 0)),
      );
      clients.push(...batch);
    }
    const banners = await Promise.all(clients.map((c) => c.readReply(10_000)));
    expect(banners.every((b) => b.code === 220)).toBe(true);
    expect(s.server.connections).toBe(IDLE);

    const c = await RawSmtpClient.greeted(s.port);
    clients.push(c);
    await c.write('MAIL FROM:<alice@sender.example>\r\n');
    expect(replyStatus(await c.readReply())).toBe(replyStatus(replies.R250_2_1_0_SenderOk));
    await c.write('RCPT TO:<bob@rcpt.example>\r\n');
    expect(replyStatus(await c.readReply())).toBe(replyStatus(replies.R250_2_1_5_RecipientOk));
    await c.write('DATA\r\n');
    expect((await c.readReply()).code).toBe(354);
    await c.write('Subject: hello\r\n\r\nbody\r\n.\r\n');
    expect(replyStatus(await c.readReply())).toBe(replyStatus(replies.R250_2_0_0_MessageAccepted));
    await c.write('QUIT\r\n');
    expect((await c.readReply()).code).toBe(221);
    expect(s.log.data).toHaveLength(1);
    expect(s.log.data[0]?.body.toString()).toBe('Subject: hello\r\n\r\nbody\r\n');

    // The idle ones are still there, none was closed to make room.
    expect(clients.slice(0, IDLE).filter((x) => x.closed)).toHaveLength(0);
    expect(s.server.connections).toBeGreaterThanOrEqual(IDLE);
  });
});
