// ETRN (RFC 1985): mail deferred for a domain whose MX is down is sent at once when the domain
// asks for it, though the retry schedule would wait an hour. The MX of slow.test and of
// deep.slow.test is 127.0.0.4 (dnsmasq), where nothing listens until the test starts aiosmtpd.
import {
  type Aiosmtpd,
  aiosmtpdSkipReason,
  type Dnsmasq,
  dnsmasqSkipReason,
  freePort,
  RawSmtpClient,
  replyStatus,
  startAiosmtpd,
  startDnsmasq,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const MX_HOST = '127.0.0.4';

describe.skipIf(dnsmasqSkipReason() !== undefined || aiosmtpdSkipReason() !== undefined)(
  'ETRN',
  () => {
    let dns: Dnsmasq | undefined;
    let mta: MtaProcess | undefined;
    let peer: Aiosmtpd | undefined;
    let mxPort = 0;

    beforeAll(async () => {
      mxPort = await freePort(MX_HOST);
      dns = await startDnsmasq({
        mx: [
          { domain: 'slow.test', host: 'mx.slow.test', preference: 10 },
          { domain: 'deep.slow.test', host: 'mx.slow.test', preference: 10 },
        ],
        hosts: [{ name: 'mx.slow.test', addresses: [MX_HOST] }],
      });
      mta = await startMtaProcess({
        config: {
          hostname: 'mta.a.test',
          listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
          localDomains: ['a.test'],
          delivery: { mxPort, dnsServers: [dns.server], tls: 'none' },
          // Only ETRN can explain a delivery within the test.
          retry: { minBackoff: '1h', maxBackoff: '2h' },
          metrics: false,
        },
      });
    }, 60_000);
    afterAll(async () => {
      await mta?.stop();
      await mta?.remove();
      await peer?.stop();
      await dns?.stop();
    });

    async function command(line: string): Promise<string> {
      const client = await RawSmtpClient.greeted(mta?.mx?.port ?? 0, { timeoutMs: 10_000 });
      try {
        const reply = await client.command(line, 20_000);
        return `${replyStatus(reply)} ${reply.lines.join(' ')}`;
      } finally {
        client.destroy();
      }
    }

    async function queueFor(to: string): Promise<string> {
      const client = await RawSmtpClient.greeted(mta?.mx?.port ?? 0, { timeoutMs: 10_000 });
      try {
        expect((await client.command('MAIL FROM:<sender@a.test>')).code).toBe(250);
        expect((await client.command(`RCPT TO:<${to}>`)).code).toBe(250);
        const reply = await client.data(Buffer.from(`Subject: for ${to}\r\n\r\nwaiting\r\n`));
        expect(reply.code).toBe(250);
        return /queued as (\S+)/.exec(reply.lines.join(' '))?.[1] ?? '';
      } finally {
        client.destroy();
      }
    }

    it('answers 251 when nothing waits for the node', async () => {
      expect(await command('ETRN nothing.test')).toMatch(/^251\b/);
    });

    it('flushes the deferred mail of the domain named, and only of it, at once', async () => {
      if (mta === undefined) throw new Error('not started');
      const first = await queueFor('user@slow.test');
      const second = await queueFor('user@deep.slow.test');
      for (const id of [first, second]) {
        const deferred = await mta.waitForEvent(
          (e) => e['msg'] === 'deferred' && e['queueId'] === id,
          30_000,
        );
        expect(String(deferred['reply'])).toMatch(/^4\d\d /);
      }
      // The MX comes up; with an hour of backoff nothing is sent by itself.
      peer = await startAiosmtpd({ host: MX_HOST, port: mxPort });
      await new Promise((r) => setTimeout(r, 3000));
      expect(await peer.messages()).toHaveLength(0);

      // RFC 1985 §5: "250 OK, queuing for node <x> started".
      expect(await command('ETRN slow.test')).toMatch(/^250\b/);
      const [message] = await peer.waitForMessages(1, 30_000);
      expect(message?.rcptTos).toEqual(['user@slow.test']);
      expect(message?.data.toString()).toContain('Subject: for user@slow.test\r\n');
      await mta.waitForEvent((e) => e['msg'] === 'delivered' && e['queueId'] === first, 10_000);
      // deep.slow.test is another node: it still waits.
      await new Promise((r) => setTimeout(r, 2000));
      expect(await peer.messages()).toHaveLength(1);
      const listed = await mta.cli(['queue', 'list']);
      expect(listed.stdout).toContain(second);
      expect(listed.stdout).not.toContain(first);
      expect(await command('ETRN slow.test')).toMatch(/^251\b/);

      // "@slow.test": the node and its subdomains (RFC 1985 §3).
      expect(await command('ETRN @slow.test')).toMatch(/^25[03]\b/);
      const both = await peer.waitForMessages(2, 30_000);
      expect(both[1]?.rcptTos).toEqual(['user@deep.slow.test']);
      await mta.waitForEvent((e) => e['msg'] === 'delivered' && e['queueId'] === second, 10_000);
      expect(await command('ETRN @slow.test')).toMatch(/^251\b/);
      // The log is written asynchronously: the last line may follow its reply by a moment.
      const logged = () => (mta?.events() ?? []).filter((e) => e['msg'] === 'etrn');
      const until = Date.now() + 10_000;
      while (logged().length < 5 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const etrns = logged();
      expect(etrns.map((e) => [e['etrn'], e['messages']])).toEqual([
        ['nothing.test', 0],
        ['slow.test', 1],
        ['slow.test', 0],
        ['slow.test', 1],
        ['slow.test', 0],
      ]);
    }, 120_000);

    it('answers 501 to ETRN without a node (RFC 1985 §5)', async () => {
      expect(await command('ETRN')).toMatch(/^501\b/);
    });
  },
);
