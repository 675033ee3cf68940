// Retries and bounces when the next hop is found by MX (RFC 5321 §5.1) through a real DNS server
// (dnsmasq on a high port), the hosts standing on 127.0.0.2–4: the DSN names the MX host that
// answered as Remote-MTA, a dead primary MX passes the message to the secondary, and a domain
// that does not exist bounces with the MTA's own diagnostic.
import { replies, withText } from '@smtpkit/reply';
import { type Dnsmasq, dnsmasqSkipReason, freePort, startDnsmasq } from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  eventsOf,
  noticesAbout,
  sendMessage,
  startTestMta,
  type TestMta,
  waitForDsns,
  waitForEmptyQueue,
} from './support/dsn-harness.js';
import {
  failFirst,
  type ScriptedDestination,
  startScriptedDestination,
} from './support/scripted-destination.js';

const NO_SUCH_USER = withText(replies.R550_5_1_1_NoSuchUser, 'No such user here');
const BUSY = withText(replies.R451_4_3_0_LocalError, 'Busy, try again');

describe.skipIf(dnsmasqSkipReason() !== undefined)('next hops found by MX', () => {
  let dns: Dnsmasq | undefined;
  let mxPort = 0;
  let mta: TestMta | undefined;
  const destinations: ScriptedDestination[] = [];

  beforeAll(async () => {
    // One port for every MX host (delivery.mxPort); 127.0.0.3 has nothing on it.
    mxPort = await freePort('127.0.0.2');
    dns = await startDnsmasq({
      mx: [
        { domain: 'reject.test', host: 'mx1.reject.test', preference: 10 },
        { domain: 'flaky.test', host: 'mx1.flaky.test', preference: 10 },
        { domain: 'flaky.test', host: 'mx2.flaky.test', preference: 20 },
      ],
      hosts: [
        { name: 'mx1.reject.test', addresses: ['127.0.0.2'] },
        { name: 'mx1.flaky.test', addresses: ['127.0.0.3'] },
        { name: 'mx2.flaky.test', addresses: ['127.0.0.4'] },
      ],
    });
  }, 30_000);
  afterAll(async () => {
    await dns?.stop();
  });
  afterEach(async () => {
    for (const d of destinations.splice(0)) await d.close();
    await mta?.cleanup();
    mta = undefined;
  });

  const start = async () => {
    mta = await startTestMta({
      config: { delivery: { mxPort, dnsServers: [dns?.server ?? ''], tls: 'none' } },
    });
    return mta;
  };

  it('a 5xx from the MX host: the DSN names it as Remote-MTA, with its reply', async () => {
    const mx1 = await startScriptedDestination({
      host: '127.0.0.2',
      port: mxPort,
      hostname: 'mx1.reject.test',
      rcpt: () => NO_SUCH_USER,
    });
    destinations.push(mx1);
    const m = await start();
    const id = await sendMessage(m, { from: 'alice@example.org', to: ['bob@reject.test'] });
    const [dsn] = await waitForDsns(m, 'alice', 1);
    await waitForEmptyQueue(m);
    expect(mx1.rcptAttempts('bob@reject.test')).toBe(1);
    expect(noticesAbout(m, id).map((n) => n['kind'])).toEqual(['failed']);
    const r = dsn?.report.recipients[0];
    expect(r).toMatchObject({
      finalRecipient: { addrType: 'rfc822', address: 'bob@reject.test' },
      action: 'failed',
      status: '5.1.1',
      remoteMta: { type: 'dns', name: 'mx1.reject.test' },
      diagnosticCode: { type: 'smtp', text: '550 5.1.1 No such user here' },
    });
    expect(eventsOf(m, 'failed', id)[0]?.['remoteMta']).toBe('mx1.reject.test');
  });

  it('the primary MX is down and the secondary answers 4xx then 250: delivered there, no DSN', async () => {
    const mx2 = await startScriptedDestination({
      host: '127.0.0.4',
      port: mxPort,
      hostname: 'mx2.flaky.test',
      rcpt: ({ attempt }) => failFirst(1, BUSY)(attempt),
    });
    destinations.push(mx2);
    const m = await start();
    const id = await sendMessage(m, { from: 'alice@example.org', to: ['carol@flaky.test'] });
    await mx2.waitFor(() => mx2.accepted().length === 1, 'the delivery at mx2');
    await waitForEmptyQueue(m);
    expect(mx2.rcptAttempts('carol@flaky.test')).toBe(2);
    const [deferred, ...more] = eventsOf(m, 'deferred', id);
    expect(more).toEqual([]);
    expect(deferred?.['remoteMta']).toBe('mx2.flaky.test');
    expect(deferred?.['reply']).toBe('451 4.3.0 Busy, try again');
    expect(eventsOf(m, 'delivered', id)[0]?.['remoteMta']).toBe('mx2.flaky.test');
    expect(noticesAbout(m, id)).toEqual([]);
    expect(await m.mailbox('alice')).toEqual([]);
  });

  it('a domain that does not exist: a failure DSN at once, 5.1.2, in the MTA’s own words', async () => {
    const m = await start();
    const id = await sendMessage(m, { from: 'alice@example.org', to: ['dave@nowhere.test'] });
    const [dsn] = await waitForDsns(m, 'alice', 1);
    await waitForEmptyQueue(m);
    expect(eventsOf(m, 'deferred', id)).toEqual([]);
    const r = dsn?.report.recipients[0];
    expect(r?.action).toBe('failed');
    expect(r?.status).toBe('5.1.2');
    // No server said this: no Remote-MTA, and not an "smtp" diagnostic.
    expect(r?.remoteMta).toBeUndefined();
    expect(r?.diagnosticCode?.type).toBe('x-smtpkit');
    expect(r?.diagnosticCode?.text).toBe('Bad destination system address');
  });
});
