// SIGTERM stops the MTA gracefully (exit status 0, a session in the middle of a message finishes
// it) and nothing accepted is lost: what was not yet delivered is delivered after the restart.
// The next hop (aiosmtpd) is down while the MTA runs the first time and up after the restart.
import {
  type Aiosmtpd,
  aiosmtpdSkipReason,
  freePort,
  RawSmtpClient,
  replyStatus,
  startAiosmtpd,
} from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const running: { mta: MtaProcess[]; peers: Aiosmtpd[] } = { mta: [], peers: [] };
afterEach(async () => {
  for (const m of running.mta) await m.stop();
  for (const m of running.mta) await m.remove();
  for (const p of running.peers) await p.stop();
  running.mta = [];
  running.peers = [];
});

async function startWithClosedNextHop(): Promise<{ mta: MtaProcess; hopPort: number }> {
  const hopPort = await freePort();
  const mxPort = await freePort();
  const mta = await startMtaProcess({
    config: {
      hostname: 'mta.a.test',
      listen: { mx: [`127.0.0.1:${mxPort}`], submission: [], submissions: [] },
      localDomains: ['a.test'],
      delivery: { relay: `127.0.0.1:${hopPort}` },
      retry: { minBackoff: '2s', maxBackoff: '4s' },
      metrics: false,
    },
  });
  running.mta.push(mta);
  return { mta, hopPort };
}

function refused(port: number): Promise<boolean> {
  return RawSmtpClient.connect(port, { timeoutMs: 5000 }).then(
    (c) => {
      c.destroy();
      return false;
    },
    () => true,
  );
}

describe.skipIf(aiosmtpdSkipReason() !== undefined)('graceful stop and restart', () => {
  it('exits 0 on SIGTERM and delivers a deferred message after the restart', async () => {
    const { mta, hopPort } = await startWithClosedNextHop();
    const client = await RawSmtpClient.greeted(mta.mx?.port ?? 0, { timeoutMs: 10_000 });
    let id = '';
    try {
      expect((await client.command('MAIL FROM:<sender@a.test>')).code).toBe(250);
      expect((await client.command('RCPT TO:<far@remote.test>')).code).toBe(250);
      const reply = await client.data(Buffer.from('Subject: survives\r\n\r\nstop and start\r\n'));
      expect(reply.code).toBe(250);
      id = /queued as (\S+)/.exec(reply.lines.join(' '))?.[1] ?? '';
    } finally {
      client.destroy();
    }
    await mta.waitForEvent((e) => e['msg'] === 'deferred' && e['queueId'] === id, 30_000);

    expect(await mta.stop()).toBe(0);
    const messages = mta.events().map((e) => e['msg']);
    expect(messages).toContain('stopping');
    expect(messages.at(-1)).toBe('stopped');
    expect(await refused(mta.mx?.port ?? 0)).toBe(true);

    const hop = await startAiosmtpd({ port: hopPort });
    running.peers.push(hop);
    // Beyond the backoff: had anything kept running, it would have delivered by now.
    await new Promise((r) => setTimeout(r, 5000));
    expect(await hop.messages()).toHaveLength(0);

    const again = await mta.restart();
    running.mta.push(again);
    const [message] = await hop.waitForMessages(1, 30_000);
    expect(message?.rcptTos).toEqual(['far@remote.test']);
    expect(message?.data.toString()).toMatch(/\r\nSubject: survives\r\n\r\nstop and start\r\n$/);
    await again.waitForEvent((e) => e['msg'] === 'delivered' && e['queueId'] === id, 10_000);
    expect((await again.cli(['queue', 'list'])).stdout).toContain('0 messages in the queue');
  }, 120_000);

  it('lets a session in the middle of DATA finish with 250 after SIGTERM, and delivers that message after the restart', async () => {
    const { mta, hopPort } = await startWithClosedNextHop();
    const client = await RawSmtpClient.greeted(mta.mx?.port ?? 0, { timeoutMs: 20_000 });
    let exited: Promise<number | null> | undefined;
    let id = '';
    try {
      expect((await client.command('MAIL FROM:<sender@a.test>')).code).toBe(250);
      expect((await client.command('RCPT TO:<far@remote.test>')).code).toBe(250);
      expect((await client.command('DATA')).code).toBe(354);
      await client.write('Subject: in flight\r\n\r\nfirst half,\r\n');
      exited = mta.stop();
      await mta.waitForEvent((e) => e['msg'] === 'stopping', 10_000);
      await new Promise((r) => setTimeout(r, 300));
      await client.write('second half.\r\n.\r\n');
      const reply = await client.readReply();
      expect(replyStatus(reply)).toBe('250 2.0.0');
      id = /queued as (\S+)/.exec(reply.lines.join(' '))?.[1] ?? '';
    } finally {
      client.destroy();
    }
    expect(await exited).toBe(0);
    expect(mta.events().some((e) => e['msg'] === 'message queued' && e['queueId'] === id)).toBe(
      true,
    );

    const hop = await startAiosmtpd({ port: hopPort });
    running.peers.push(hop);
    const again = await mta.restart();
    running.mta.push(again);
    const [message] = await hop.waitForMessages(1, 30_000);
    expect(message?.data.toString()).toMatch(
      /\r\nSubject: in flight\r\n\r\nfirst half,\r\nsecond half\.\r\n$/,
    );
    await again.waitForEvent((e) => e['msg'] === 'delivered' && e['queueId'] === id, 10_000);
  }, 120_000);
});
