// A next hop that never answers (it accepts the connection and says nothing, or nothing listens
// on its port) until the message's lifetime runs out: the MTA keeps retrying, then gives up with
// RFC 3463 X.4.7 "delivery time expired", sends the failure DSN, and the message leaves the queue.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, makeTempDir } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventsOf,
  noticesAbout,
  queueList,
  sendMessage,
  startTestMta,
  type TestMta,
  waitForDsns,
  waitForEmptyQueue,
} from './support/dsn-harness.js';
import { runCli } from './support/mta-process.js';
import {
  type ScriptedDestination,
  startScriptedDestination,
} from './support/scripted-destination.js';

let mta: TestMta | undefined;
let dest: ScriptedDestination | undefined;
afterEach(async () => {
  await dest?.close();
  await mta?.cleanup();
  mta = undefined;
  dest = undefined;
});

/** maxLifetime of the short schedule. */
const LIFETIME_MS = 4000;

describe('a next hop that never answers, until the lifetime expires', () => {
  it('accepts TCP and never greets: attempts time out, then the message fails with 4.4.7 after maxLifetime', async () => {
    dest = await startScriptedDestination({ greeting: 'hang' });
    mta = await startTestMta({
      config: {
        // The client's greeting wait (RFC 5321 §4.5.3.2.1's 5 minutes by default) made short.
        delivery: { relay: dest.address, timeouts: { greeting: '400ms' } },
      },
    });
    const sent = Date.now();
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: ['bob@remote.example'],
      mailParams: 'ENVID=expiry-1',
    });
    // Still queued after the first attempts.
    await dest.waitFor(() => (dest?.connections() ?? 0) >= 2, 'two connections');
    const queued = await queueList(mta);
    expect(queued.map((m) => m.id)).toEqual([id]);
    expect(queued[0]?.recipients[0]?.status).toBe('pending');
    expect(queued[0]?.recipients[0]?.lastReply).toMatchObject({
      code: 451,
      enhanced: '4.4.2',
      text: expect.stringMatching(/greeting/),
    });

    // No NOTIFY: a delay warning after 1 s, then the failure (RFC 3461 §4.1's default).
    const dsns = await waitForDsns(mta, 'alice', 2, 30_000);
    const failedAt = Date.now();
    await waitForEmptyQueue(mta);
    const dsn = dsns.find((d) => d.report.recipients[0]?.action === 'failed');
    const warning = dsns.find((d) => d.report.recipients[0]?.action === 'delayed');
    if (dsn === undefined || warning === undefined) throw new Error('no DSN');
    expect(warning.report.recipients[0]?.status).toBe('4.4.2');
    expect(await mta.mailbox('alice')).toHaveLength(2);

    // Not before the lifetime, and not long after (the backoff is at most 1 s, an attempt 0.4 s).
    expect(failedAt - sent).toBeGreaterThanOrEqual(LIFETIME_MS);
    expect(failedAt - sent).toBeLessThan(LIFETIME_MS + 8000);
    // Attempts were made all along, each a deferral but the last.
    const deferred = eventsOf(mta, 'deferred', id);
    expect(deferred.length).toBeGreaterThanOrEqual(3);
    for (const e of deferred) expect(String(e['reply'])).toMatch(/^451 4\.4\.2 /);
    expect(dest.connections()).toBeGreaterThanOrEqual(deferred.length);
    expect(dest.transactions).toEqual([]);
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['delayed', 'failed']);
    // The give-up is logged (the last attempt was only a deferral).
    const [expired, ...again] = eventsOf(mta, 'expired', id);
    expect(again).toEqual([]);
    expect(expired?.['to']).toBe('bob@remote.example');
    expect(String(expired?.['reply'])).toMatch(/^451 4\.4\.7 no reply within 400 ms/);

    expect(dsn.returnPath).toBe('');
    expect(dsn.report.perMessage.originalEnvelopeId).toBe('expiry-1');
    const [r, ...more] = dsn.report.recipients;
    expect(more).toEqual([]);
    expect(r?.action).toBe('failed');
    // RFC 3464 §2.3.3 note: "failed" with a 4.X.X status is a persistent transient failure.
    expect(r?.status).toBe('4.4.7');
    // No server said anything: the MTA's own words, not an "smtp" diagnostic (RFC 3461 §9.2).
    expect(r?.diagnosticCode?.type).toBe('x-smtpkit');
    expect(r?.diagnosticCode?.text).toMatch(
      /^delivery time expired; last attempt: no reply within 400 ms \(greeting\)/,
    );
    expect(r?.remoteMta).toBeUndefined();
    expect(r?.willRetryUntil).toBeUndefined();
    expect(dsn.report.text).toMatch(/bob@remote\.example/);
  });

  it('a closed port: connections refused until the lifetime expires, then 4.4.7 and the message leaves the queue', async () => {
    // A port nothing listens on (found free, then left closed).
    const port = await freePort();
    mta = await startTestMta({ config: { delivery: { relay: `127.0.0.1:${port}` } } });
    const sent = Date.now();
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: [{ address: 'bob@remote.example', params: 'NOTIFY=FAILURE' }],
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1, 30_000);
    const failedAt = Date.now();
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');
    expect(failedAt - sent).toBeGreaterThanOrEqual(LIFETIME_MS);
    expect(failedAt - sent).toBeLessThan(LIFETIME_MS + 8000);

    // 200 ms doubling to 1 s over 4 s: attempts at about 0, 0.2, 0.6, 1.4, 2.4, 3.4 s, then one
    // past the lifetime that fails.
    const deferred = eventsOf(mta, 'deferred', id);
    expect(deferred.length).toBeGreaterThanOrEqual(5);
    expect(deferred.length).toBeLessThanOrEqual(8);
    for (const e of deferred) expect(String(e['reply'])).toMatch(/^451 4\.4\.1 /);
    expect(eventsOf(mta, 'expired', id)).toHaveLength(1);

    const r = dsn.report.recipients[0];
    expect(r?.action).toBe('failed');
    expect(r?.status).toBe('4.4.7');
    expect(r?.diagnosticCode?.type).toBe('x-smtpkit');
    expect(r?.diagnosticCode?.text).toMatch(/^delivery time expired; last attempt: .*ECONNREFUSED/);
    expect(await mta.mailbox('alice')).toHaveLength(1);
  });

  it('NOTIFY=NEVER: the expired message leaves the queue without any DSN', async () => {
    const port = await freePort();
    mta = await startTestMta({ config: { delivery: { relay: `127.0.0.1:${port}` } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: [{ address: 'bob@remote.example', params: 'NOTIFY=NEVER' }],
    });
    const end = Date.now() + 30_000;
    while (eventsOf(mta, 'expired', id).length === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(eventsOf(mta, 'expired', id)).toHaveLength(1);
    await waitForEmptyQueue(mta);
    expect(noticesAbout(mta, id)).toEqual([]);
    expect(await mta.mailbox('alice')).toEqual([]);
  });

  it('delivery.timeouts takes durations, and a bad one stops start-up with its key named', async () => {
    const dir = await makeTempDir('mta-timeouts');
    try {
      const good = join(dir.path, 'good.json');
      await writeFile(
        good,
        JSON.stringify({ delivery: { timeouts: { greeting: '2s', connect: 500 } } }),
      );
      const ok = await runCli(['check-config', '-c', good], { cwd: dir.path });
      expect(ok.code).toBe(0);
      const bad = join(dir.path, 'bad.json');
      await writeFile(
        bad,
        JSON.stringify({ delivery: { timeouts: { greeting: 'soon', helo: '1s' } } }),
      );
      const refused = await runCli(['check-config', '-c', bad], { cwd: dir.path });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/delivery\.timeouts\.greeting: expected a duration/);
      expect(refused.stderr).toMatch(/delivery\.timeouts\.helo: unknown key/);
    } finally {
      await dir.remove();
    }
  });
});
