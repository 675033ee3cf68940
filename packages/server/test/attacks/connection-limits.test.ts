// Connection limits, in total and per client address, so one peer cannot take every slot.
//
// RFC 5321 §4.2.2 / §3.8: "421 <domain> Service not available, closing transmission channel" is
// the greeting of a server that will not serve this session; RFC 3463 X.7.0 (the catalogue's
// R421_4_7_0_TooManyConnections).
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, eventually, startAttackServer } from './attack-server.js';

describe('connection limits', () => {
  let s: AttackServer | undefined;
  const clients: RawSmtpClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await s?.stop();
    s = undefined;
  });

  async function open(port: number, localAddress?: string): Promise<RawSmtpClient> {
    const c = await RawSmtpClient.connect(port, localAddress === undefined ? {} : { localAddress });
    clients.push(c);
    return c;
  }

  it('total: the connection past the limit gets 421 4.7.0 and is closed; a freed slot is reused', async () => {
    s = await startAttackServer({ limits: { connections: 3, connectionsPerIp: 100 } });
    const held = [await open(s.port), await open(s.port), await open(s.port)];
    for (const c of held) expect((await c.readReply()).code).toBe(220);
    const extra = await open(s.port);
    const refusal = await extra.readReply();
    expect(refusal.code).toBe(421);
    if (refusal.enhanced !== undefined) {
      expect(replyStatus(refusal)).toBe(replyStatus(replies.R421_4_7_0_TooManyConnections));
    }
    expect(await extra.waitClose(3000)).toBe(true);
    expect(s.log.helo).toEqual([]);
    // The refused one does not count; closing a held one frees its slot.
    held[0]?.destroy();
    const server = s;
    expect(await eventually(() => server.server.connections === 2)).toBe(true);
    const next = await open(s.port);
    expect((await next.readReply()).code).toBe(220);
  });

  it('per IP: a third connection from 127.0.0.1 is refused while 127.0.0.2 is served', async () => {
    s = await startAttackServer({ limits: { connections: 100, connectionsPerIp: 2 } });
    for (let i = 0; i < 2; i++) expect((await (await open(s.port)).readReply()).code).toBe(220);
    const third = await open(s.port);
    const refusal = await third.readReply();
    expect(refusal.code).toBe(421);
    if (refusal.enhanced !== undefined) {
      expect(replyStatus(refusal)).toBe(replyStatus(replies.R421_4_7_0_TooManyConnections));
    }
    expect(await third.waitClose(3000)).toBe(true);
    // Another loopback address is another peer (Linux routes all of 127.0.0.0/8 to lo).
    const other = await open(s.port, '127.0.0.2');
    expect((await other.readReply()).code).toBe(220);
    await other.write('EHLO other.example\r\n');
    expect((await other.readReply()).code).toBe(250);
  });

  it('a burst of 20 connections at once never goes over the limit', async () => {
    s = await startAttackServer({ limits: { connections: 5, connectionsPerIp: 100 } });
    const burst = await Promise.all(Array.from({ length: 20 }, () => open(s?.port ?? 0)));
    const first = await Promise.all(burst.map((c) => c.readReplyOrClose(3000)));
    expect(first.filter((r) => r?.code === 220)).toHaveLength(5);
    expect(first.filter((r) => r?.code === 421 || r === undefined)).toHaveLength(15);
  });
});
