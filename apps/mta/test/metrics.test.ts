// The Prometheus endpoint (GET /metrics): the queue's size, messages received, deliveries,
// deferrals, notices and connections, with values that follow what the MTA does.
import { freePort, RawSmtpClient } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

let mta: MtaProcess | undefined;
beforeAll(async () => {
  // The smarthost is a port where nothing listens: remote mail waits in the queue.
  const closed = await freePort();
  mta = await startMtaProcess({
    config: {
      listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
      localDomains: ['a.test'],
      delivery: { relay: `127.0.0.1:${closed}` },
      retry: { minBackoff: '1h', maxBackoff: '2h' },
      metrics: '127.0.0.1:0',
    },
    users: { alice: 'alice password' },
  });
}, 60_000);
afterAll(async () => {
  await mta?.stop();
  await mta?.remove();
});

/** The value of one sample (`name{labels} value`), or undefined when it is not exposed. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const escaped = `${name}${labels}`.replace(/[{}"=.,]/g, (c) => `\\${c}`);
  const m = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return m === null ? undefined : Number(m[1]);
}

async function send(from: string, to: string): Promise<string> {
  const client = await RawSmtpClient.greeted(mta?.mx?.port ?? 0, { timeoutMs: 10_000 });
  try {
    expect((await client.command(`MAIL FROM:<${from}>`)).code).toBe(250);
    expect((await client.command(`RCPT TO:<${to}>`)).code).toBe(250);
    const reply = await client.data(Buffer.from('Subject: counted\r\n\r\none\r\n'));
    expect(reply.code).toBe(250);
    return /queued as (\S+)/.exec(reply.lines.join(' '))?.[1] ?? '';
  } finally {
    client.destroy();
  }
}

async function waitForSample(
  name: string,
  labels: string,
  wanted: number,
  timeoutMs = 20_000,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = (await mta?.metricsText()) ?? '';
    if (sample(text, name, labels) === wanted) return text;
    if (Date.now() > end) {
      throw new Error(`${name}${labels} is ${sample(text, name, labels)}, not ${wanted}\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /metrics', () => {
  it('starts from zero, in the Prometheus text format', async () => {
    if (mta === undefined) throw new Error('not started');
    const text = await mta.metricsText();
    expect(text).toMatch(/^# HELP smtpkit_queue_messages /m);
    expect(text).toMatch(/^# TYPE smtpkit_queue_messages gauge$/m);
    expect(text).toMatch(/^# TYPE smtpkit_deliveries_total counter$/m);
    expect(text).toMatch(/^# TYPE smtpkit_messages_received_total counter$/m);
    expect(sample(text, 'smtpkit_queue_messages')).toBe(0);
    expect(sample(text, 'smtpkit_deferrals_total')).toBe(0);
    expect(sample(text, 'smtpkit_connections')).toBe(0);
    const notFound = await fetch(`http://${mta.metrics?.host}:${mta.metrics?.port}/other`, {
      signal: AbortSignal.timeout(10_000),
    });
    expect(notFound.status).toBe(404);
  });

  it('counts an open connection', async () => {
    const client = await RawSmtpClient.greeted(mta?.mx?.port ?? 0, { timeoutMs: 10_000 });
    try {
      await waitForSample('smtpkit_connections', '', 1);
    } finally {
      client.destroy();
    }
    await waitForSample('smtpkit_connections', '', 0);
  });

  it('follows a local delivery: received and delivered counted, the queue empty again', async () => {
    await send('someone@remote.test', 'postmaster@a.test');
    await mta?.waitForMailbox('postmaster', 1, 30_000);
    const text = await waitForSample('smtpkit_deliveries_total', '{destination="local"}', 1);
    expect(sample(text, 'smtpkit_messages_received_total', '{listener="smtp"}')).toBe(1);
    expect(sample(text, 'smtpkit_queue_messages')).toBe(0);
  });

  it('follows a deferral and a bounce: the queue holds the message, then the notice goes out', async () => {
    if (mta === undefined) throw new Error('not started');
    const id = await send('alice@a.test', 'far@remote.test');
    let text = await waitForSample('smtpkit_deferrals_total', '', 1);
    expect(sample(text, 'smtpkit_queue_messages')).toBe(1);
    expect(sample(text, 'smtpkit_queue_pending_recipients')).toBe(1);
    expect(sample(text, 'smtpkit_messages_received_total', '{listener="smtp"}')).toBe(2);

    expect((await mta.cli(['queue', 'bounce', id])).code).toBe(0);
    await mta.waitForMailbox('alice', 1, 30_000);
    text = await waitForSample('smtpkit_deliveries_total', '{destination="local"}', 2);
    expect(sample(text, 'smtpkit_dsn_total', '{kind="failed"}')).toBe(1);
    expect(sample(text, 'smtpkit_bounces_total')).toBe(1);
    expect(sample(text, 'smtpkit_queue_messages')).toBe(0);
    // The notice was queued by the MTA itself, not received.
    expect(sample(text, 'smtpkit_messages_received_total', '{listener="smtp"}')).toBe(2);
  }, 60_000);
});
