// The queue tool (`smtpkit-mta queue …`) acting on the spool of a running MTA: list, show, retry,
// flush, delete, bounce. Mail for q.test waits because its MX (127.0.0.5, by dnsmasq) is down, and
// an hour of backoff means only the tool can explain what happens next.
import { parseDsn } from '@smtpkit/dsn';
import {
  type Aiosmtpd,
  aiosmtpdSkipReason,
  type Dnsmasq,
  dnsmasqSkipReason,
  freePort,
  RawSmtpClient,
  startAiosmtpd,
  startDnsmasq,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const MX_HOST = '127.0.0.5';

describe.skipIf(dnsmasqSkipReason() !== undefined || aiosmtpdSkipReason() !== undefined)(
  'the queue tool while the MTA runs',
  () => {
    let dns: Dnsmasq | undefined;
    let mta: MtaProcess | undefined;
    let peer: Aiosmtpd | undefined;
    let mxPort = 0;
    const ids: Record<'retried' | 'flushed' | 'deleted' | 'bounced', string> = {
      retried: '',
      flushed: '',
      deleted: '',
      bounced: '',
    };

    async function queueFor(tag: string): Promise<string> {
      const client = await RawSmtpClient.greeted(mta?.mx?.port ?? 0, { timeoutMs: 10_000 });
      try {
        expect((await client.command('MAIL FROM:<alice@a.test>')).code).toBe(250);
        expect((await client.command(`RCPT TO:<${tag}@q.test>`)).code).toBe(250);
        const reply = await client.data(Buffer.from(`Subject: ${tag}\r\n\r\nwaiting\r\n`));
        expect(reply.code).toBe(250);
        return /queued as (\S+)/.exec(reply.lines.join(' '))?.[1] ?? '';
      } finally {
        client.destroy();
      }
    }

    async function tool(...args: string[]): Promise<string> {
      const result = await mta?.cli(['queue', ...args]);
      expect(result?.code, result?.stderr).toBe(0);
      return result?.stdout ?? '';
    }

    beforeAll(async () => {
      mxPort = await freePort(MX_HOST);
      dns = await startDnsmasq({
        mx: [{ domain: 'q.test', host: 'mx.q.test', preference: 10 }],
        hosts: [{ name: 'mx.q.test', addresses: [MX_HOST] }],
      });
      mta = await startMtaProcess({
        config: {
          hostname: 'mta.a.test',
          listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
          localDomains: ['a.test'],
          delivery: { mxPort, dnsServers: [dns.server], tls: 'none' },
          retry: { minBackoff: '1h', maxBackoff: '2h' },
          metrics: false,
        },
        users: { alice: 'alice password' },
      });
      for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
        ids[key] = await queueFor(key);
        const id = ids[key];
        await mta.waitForEvent((e) => e['msg'] === 'deferred' && e['queueId'] === id, 30_000);
      }
    }, 120_000);
    afterAll(async () => {
      await mta?.stop();
      await mta?.remove();
      await peer?.stop();
      await dns?.stop();
    });

    it('list shows each deferred message with its recipient, next attempt and last reply', async () => {
      const listed = await tool('list');
      for (const id of Object.values(ids)) {
        expect(listed).toMatch(
          new RegExp(`^${id}  \\d+ bytes  \\d+s old  from <alice@a\\.test>$`, 'm'),
        );
      }
      expect(listed).toMatch(
        /^ {4}<retried@q\.test> via q\.test: next attempt in (59|60)m, 1 attempts {2}\(4\d\d 4\.\d+\.\d+ /m,
      );
      expect(listed).toContain('4 messages in the queue');
      // What happened is kept, not only the client's "no answer from host".
      expect(listed).toMatch(
        /<retried@q\.test> .*\(451 4\.4\.1 No answer from host: .*ECONNREFUSED/,
      );
      const json = (await tool('list', '--json'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string });
      expect(json.map((m) => m.id).sort()).toEqual(Object.values(ids).sort());
    });

    it('show ID prints the message record', async () => {
      const shown = JSON.parse(await tool('show', ids.retried)) as {
        id: string;
        envelope: { sender: string; recipients: { address: string; destination: string }[] };
        recipients: { status: string; attempts: number }[];
      };
      expect(shown.id).toBe(ids.retried);
      expect(shown.envelope.sender).toBe('alice@a.test');
      expect(shown.envelope.recipients).toMatchObject([
        { address: 'retried@q.test', destination: 'q.test' },
      ]);
      expect(shown.recipients).toMatchObject([{ status: 'pending', attempts: 1 }]);
      const missing = await mta?.cli(['queue', 'show', 'nosuchid']);
      expect(missing?.code).toBe(2);
      expect(missing?.stderr).toContain('no message nosuchid');
    });

    it('delete ID removes a message, which is never sent', async () => {
      expect(await tool('delete', ids.deleted)).toContain(`${ids.deleted} deleted`);
      const listed = await tool('list');
      expect(listed).not.toContain(ids.deleted);
      expect(listed).toContain('3 messages in the queue');
      const again = await mta?.cli(['queue', 'delete', ids.deleted]);
      expect(again?.code).toBe(2);
    });

    it('bounce ID returns a message to its sender with a DSN', async () => {
      if (mta === undefined) throw new Error('not started');
      expect(await tool('bounce', ids.bounced)).toContain(`${ids.bounced} will be bounced`);
      const [notice] = await mta.waitForMailbox('alice', 1, 30_000);
      const report = parseDsn(Buffer.from(notice ?? '', 'utf8'));
      expect(report.recipients).toHaveLength(1);
      expect(report.recipients[0]?.action).toBe('failed');
      // The queue's reply for an administrator's bounce: 554 5.0.0.
      expect(report.recipients[0]?.status).toBe('5.0.0');
      expect(report.recipients[0]?.finalRecipient.address).toBe('bounced@q.test');
      expect(notice).toMatch(/^Return-Path: <>\r\n/);
      const listed = await tool('list');
      expect(listed).not.toContain(ids.bounced);
    });

    it('retry ID and flush DOMAIN deliver at once, though the backoff is an hour', async () => {
      if (mta === undefined) throw new Error('not started');
      peer = await startAiosmtpd({ host: MX_HOST, port: mxPort });
      await new Promise((r) => setTimeout(r, 3000));
      expect(await peer.messages()).toHaveLength(0);

      expect(await tool('retry', ids.retried)).toContain(`${ids.retried} due now`);
      const [first] = await peer.waitForMessages(1, 30_000);
      expect(first?.rcptTos).toEqual(['retried@q.test']);
      await mta.waitForEvent(
        (e) => e['msg'] === 'delivered' && e['queueId'] === ids.retried,
        10_000,
      );
      await new Promise((r) => setTimeout(r, 2000));
      expect(await peer.messages()).toHaveLength(1);

      expect(await tool('flush', 'Q.TEST')).toContain('1 message due now');
      const both = await peer.waitForMessages(2, 30_000);
      expect(both[1]?.rcptTos).toEqual(['flushed@q.test']);
      await mta.waitForEvent(
        (e) => e['msg'] === 'delivered' && e['queueId'] === ids.flushed,
        10_000,
      );
      expect(await tool('list')).toContain('0 messages in the queue');
      // The deleted and the bounced messages never went out.
      const subjects = (await peer.messages()).map(
        (m) => /Subject: (\w+)/.exec(m.data.toString())?.[1],
      );
      expect(subjects).toEqual(['retried', 'flushed']);
    }, 90_000);

    it('answers exit status 2 to an unknown action', async () => {
      const result = await mta?.cli(['queue', 'frobnicate']);
      expect(result?.code).toBe(2);
      expect(result?.stderr).toMatch(/unknown action "frobnicate"/);
    });
  },
);
