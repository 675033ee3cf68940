// XCLIENT (Postfix's extension for trusted filters) from an ordinary client: it would let anyone
// claim another client address, HELO name or login and so get past relay and sender checks.
//
// Postfix XCLIENT_README (summary): XCLIENT is offered and accepted only for clients listed in
// smtpd_authorized_xclient_hosts; others get "550 5.7.0 Error: insufficient authorization".

import { ehloKeywords, RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

describe('XCLIENT from a peer that is not allowed', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  async function tryXclient(): Promise<{ offered: boolean; code: number | undefined }> {
    if (s === undefined) throw new Error('no server');
    client = await RawSmtpClient.connect(s.port);
    expect((await client.readReply()).code).toBe(220);
    await client.write('EHLO client.example\r\n');
    const ehlo = await client.readReply();
    await client.write('XCLIENT ADDR=192.0.2.7 NAME=spoofed.example LOGIN=postmaster\r\n');
    const reply = await client.readReplyOrClose(3000);
    return { offered: ehloKeywords(ehlo).includes('XCLIENT'), code: reply?.code };
  }

  it('allowFrom excludes 127.0.0.1: not offered, refused with 5xx, the address is unchanged', async () => {
    s = await startAttackServer({ xclient: { allowFrom: ['10.0.0.0/8'] } });
    const r = await tryXclient();
    expect(r.offered).toBe(false);
    expect(r.code).toBeGreaterThanOrEqual(500);
    await client?.write('EHLO again.example\r\n');
    expect((await client?.readReply())?.code).toBe(250);
    expect(s.log.helo.map((h) => h.remoteAddress)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('no xclient option: not offered, refused', async () => {
    s = await startAttackServer();
    const r = await tryXclient();
    expect(r.offered).toBe(false);
    expect(r.code).toBeGreaterThanOrEqual(500);
    expect(s.log.helo.map((h) => h.remoteAddress)).not.toContain('192.0.2.7');
  });

  it('control: from an allowed peer XCLIENT is offered and changes the address', async () => {
    s = await startAttackServer({ xclient: { allowFrom: ['127.0.0.1/32'] } });
    const r = await tryXclient();
    expect(r.offered).toBe(true);
    // Postfix answers a successful XCLIENT with a new 220 greeting.
    expect(r.code).toBe(220);
    await client?.write('EHLO client.example\r\n');
    expect((await client?.readReply())?.code).toBe(250);
    expect(s.log.helo.at(-1)?.remoteAddress).toBe('192.0.2.7');
  });
});
