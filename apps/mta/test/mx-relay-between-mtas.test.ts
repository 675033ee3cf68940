// Two MTAs on loopback, the second found by the first through an MX record served by a real DNS
// server (dnsmasq on a high port): 127.0.0.1 and 127.0.0.3 stand for two hosts.
import {
  type Dnsmasq,
  dnsmasqSkipReason,
  freePort,
  RawSmtpClient,
  startDnsmasq,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

describe.skipIf(dnsmasqSkipReason() !== undefined)('relaying by MX between two MTAs', () => {
  let dns: Dnsmasq | undefined;
  let a: MtaProcess | undefined;
  let b: MtaProcess | undefined;

  beforeAll(async () => {
    // Both MTAs use this port for MX delivery; B listens on it at 127.0.0.3.
    const mxPort = await freePort('127.0.0.3');
    dns = await startDnsmasq({
      mx: [{ domain: 'b.test', host: 'mx.b.test', preference: 10 }],
      hosts: [{ name: 'mx.b.test', addresses: ['127.0.0.3'] }],
    });
    const delivery = { mxPort, dnsServers: [dns.server] };
    b = await startMtaProcess({
      config: {
        hostname: 'mx.b.test',
        listen: { mx: [`127.0.0.3:${mxPort}`], submission: [], submissions: [] },
        localDomains: ['b.test'],
        delivery,
        metrics: false,
      },
      users: { user: 'unused password' },
    });
    a = await startMtaProcess({
      config: {
        hostname: 'mta.a.test',
        listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
        localDomains: ['a.test'],
        delivery,
        metrics: false,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await a?.remove();
    await b?.remove();
    await dns?.stop();
  });

  it('A looks up the MX of b.test, delivers to B, and B delivers to its Maildir', async () => {
    if (a === undefined || b === undefined) throw new Error('not started');
    // From 127.0.0.1: in A's default relayNetworks.
    const client = await RawSmtpClient.greeted(a.mx?.port ?? 0, {
      host: a.mx?.host ?? '',
      timeoutMs: 10_000,
    });
    let queueId: string | undefined;
    try {
      expect((await client.command('MAIL FROM:<sender@a.test>')).code).toBe(250);
      expect((await client.command('RCPT TO:<user@b.test>')).code).toBe(250);
      const accepted = await client.data(
        Buffer.from('From: sender@a.test\r\nTo: user@b.test\r\nSubject: across\r\n\r\nhop hop\r\n'),
      );
      expect(accepted.code).toBe(250);
      queueId = /queued as (\S+)/.exec(accepted.lines.join(' '))?.[1];
    } finally {
      client.destroy();
    }
    expect(queueId).toBeDefined();

    const [message] = await b.waitForMailbox('user', 1, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\nA's log:\n${a?.logs()}`);
    });
    const header = (message ?? '').split('\r\n\r\n')[0] ?? '';
    const received = header.match(/^Received: /gm) ?? [];
    expect(received).toHaveLength(2);
    // B's field on top (it received from A, under opportunistic STARTTLS: B's certificate is
    // self-signed, which RFC 7435 encryption does not check), then A's.
    expect(header).toMatch(
      /^Return-Path: <sender@a\.test>\r\nDelivered-To: user@b\.test\r\nReceived: from mta\.a\.test \(\[127\.0\.0\.1\]\)\r\n\t\(using TLSv1\.[23] with cipher \S+\)\r\n\tby mx\.b\.test \(smtpkit\) with ESMTPS id [\s\S]*?\r\nReceived: from client\.example \(\[127\.0\.0\.1\]\)\r\n[\s\S]*?\tby mta\.a\.test \(smtpkit\) with ESMTP id /,
    );
    expect(message?.endsWith('\r\nSubject: across\r\n\r\nhop hop\r\n')).toBe(true);

    const delivered = await a.waitForEvent(
      (e) => e['msg'] === 'delivered' && e['queueId'] === queueId,
      30_000,
    );
    expect(delivered).toMatchObject({
      to: 'user@b.test',
      destination: 'b.test',
      outcome: 'delivered',
      remoteMta: expect.stringMatching(/^(mx\.b\.test|127\.0\.0\.3)$/),
    });
    expect(String(delivered['reply'])).toMatch(/^250 /);
  }, 120_000);
});
