// PROXY protocol headers from a peer that is not a configured proxy: an attacker who may send a
// PROXY header chooses the client address every IP-based check sees (relay rules, rate limits,
// SPF). The header is honoured only from `proxy.allowFrom`, and never when `proxy` is absent.
//
// HAProxy PROXY protocol spec §2 (summary): the receiver must be configured to accept the header
// only from trusted sources, and "must not try to guess whether the protocol header is present".

import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeProxyV2 } from '../../src/index.js';
import { type AttackServer, startAttackServer } from './attack-server.js';

const V1 = 'PROXY TCP4 192.0.2.7 192.0.2.25 40000 25\r\n';
const V2 = encodeProxyV2({
  command: 'proxy',
  addresses: {
    family: 'ipv4',
    protocol: 'stream',
    sourceAddress: '192.0.2.7',
    destinationAddress: '192.0.2.25',
    sourcePort: 40000,
    destinationPort: 25,
  },
});

describe('PROXY header from a peer that is not allowed', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  /** Sends the header first, then tries a session; returns the addresses the hooks saw. */
  async function attempt(header: string | Uint8Array): Promise<unknown[]> {
    if (s === undefined) throw new Error('no server');
    client = await RawSmtpClient.connect(s.port);
    await client.write(header);
    await client.write('EHLO client.example\r\n').catch(() => {});
    await client.drain(500);
    return [
      ...s.log.connect.map((c) => c.remoteAddress),
      ...s.log.helo.map((h) => h.remoteAddress),
    ];
  }

  for (const [name, header] of [
    ['v1', V1],
    ['v2', V2],
  ] as const) {
    it(`${name}: allowFrom excludes 127.0.0.1 → the claimed address is never used`, async () => {
      s = await startAttackServer({ proxy: { allowFrom: ['10.0.0.0/8'] } });
      const seen = await attempt(header);
      expect(seen).not.toContain('192.0.2.7');
      expect(s.log.helo.every((h) => h.proxied === undefined)).toBe(true);
      expect(s.log.connect.every((c) => c.proxied === undefined)).toBe(true);
    });

    it(`${name}: no proxy option → the header is not honoured`, async () => {
      s = await startAttackServer();
      const seen = await attempt(header);
      expect(seen).not.toContain('192.0.2.7');
      expect(s.log.helo.every((h) => h.proxied === undefined)).toBe(true);
    });

    it(`${name}: control: from an allowed peer the header sets the client address`, async () => {
      s = await startAttackServer({ proxy: { allowFrom: ['127.0.0.1/32'] } });
      client = await RawSmtpClient.connect(s.port);
      await client.write(header);
      expect((await client.readReply()).code).toBe(220);
      await client.write('EHLO client.example\r\n');
      expect((await client.readReply()).code).toBe(250);
      expect(s.log.helo.map((h) => h.remoteAddress)).toEqual(['192.0.2.7']);
      expect(s.log.helo[0]?.proxied).toBeDefined();
    });
  }

  it('a PROXY line after the greeting from a non-proxy is an ordinary (unknown) command', async () => {
    s = await startAttackServer({ proxy: { allowFrom: ['10.0.0.0/8'] } });
    client = await RawSmtpClient.connect(s.port);
    expect((await client.readReply()).code).toBe(220);
    await client.write(V1);
    const reply = await client.readReplyOrClose(3000);
    if (reply !== undefined) expect(reply.code).toBeGreaterThanOrEqual(500);
    expect(s.log.helo).toEqual([]);
  });
});
