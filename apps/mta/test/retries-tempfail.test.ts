// A next hop that answers 4xx, then 250: the MTA retries on its schedule, delivers once, counts
// the attempts, and sends a delay DSN only when NOTIFY allows one and the delay warning time has
// passed (RFC 3461 §4.1, RFC 3464 §2.3.3 "delayed", §2.3.9 Will-Retry-Until).
import { replies, withText } from '@smtpkit/reply';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventsOf,
  MTA_HOSTNAME,
  noticesAbout,
  queueShow,
  sendMessage,
  startTestMta,
  type TestMta,
  waitForDsns,
  waitForEmptyQueue,
} from './support/dsn-harness.js';
import { pythonSkipReason, readWithPython } from './support/python-mime.js';
import {
  failFirst,
  type ScriptedDestination,
  startScriptedDestination,
} from './support/scripted-destination.js';

const GREYLISTED = withText(replies.R451_4_7_1_Greylisted, 'Greylisted, try again later');

let mta: TestMta | undefined;
let dest: ScriptedDestination | undefined;
afterEach(async () => {
  await dest?.close();
  await mta?.cleanup();
  mta = undefined;
  dest = undefined;
});

describe('a next hop that answers 4xx, then 250', () => {
  it('retries on the schedule, delivers once, and the queue shows the attempts meanwhile', async () => {
    let open = false;
    dest = await startScriptedDestination({
      rcpt: ({ address }) => (address === 'bob@remote.example' && !open ? GREYLISTED : 'accept'),
    });
    // The warning time is far off: no delay DSN may come, whatever NOTIFY says.
    mta = await startTestMta({
      config: { delivery: { relay: dest.address }, retry: { delayWarning: '1h' } },
    });
    const started = Date.now();
    const id = await sendMessage(mta, { from: 'alice@example.org', to: ['bob@remote.example'] });
    await dest.waitFor(() => dest?.rcptAttempts('bob@remote.example') === 2, 'two attempts');

    const shown = await queueShow(mta, id);
    expect(shown?.recipients).toHaveLength(1);
    const state = shown?.recipients[0];
    expect(state?.status).toBe('pending');
    expect(state?.attempts).toBeGreaterThanOrEqual(2);
    expect(state?.lastReply).toMatchObject({
      code: 451,
      enhanced: '4.7.1',
      text: expect.stringContaining('Greylisted'),
    });

    open = true;
    await dest.waitFor(() => dest?.accepted().length === 1, 'the delivery');
    await waitForEmptyQueue(mta);
    const elapsed = Date.now() - started;

    const attempts = dest.rcptAttempts('bob@remote.example');
    expect(attempts).toBeGreaterThanOrEqual(3);
    // Every refused attempt is one "deferred" log line, then one "delivered".
    const deferred = eventsOf(mta, 'deferred', id);
    expect(deferred).toHaveLength(attempts - 1);
    for (const e of deferred) expect(String(e['reply'])).toMatch(/^451 4\.7\.1 Greylisted/);
    expect(eventsOf(mta, 'delivered', id)).toHaveLength(1);
    // The backoff doubles from 200 ms: n attempts take at least 200 + 400 + … ms.
    let least = 0;
    for (let i = 0; i < attempts - 1; i++) least += Math.min(200 * 2 ** i, 1000);
    expect(elapsed).toBeGreaterThanOrEqual(least);
    const times = dest.transactions.map((t) => t.at);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(150);
    }

    // Delivered once, the message intact, and no DSN.
    expect(dest.accepted()).toHaveLength(1);
    expect(dest.accepted()[0]?.from).toBe('alice@example.org');
    expect(dest.accepted()[0]?.message?.toString()).toContain('BODY-MARKER: only in the body');
    expect(noticesAbout(mta, id)).toEqual([]);
    expect(await mta.mailbox('alice')).toEqual([]);
  });

  it('a 4xx at the end of DATA is a deferral too: the message goes again and is accepted once', async () => {
    dest = await startScriptedDestination({
      data: ({ attempt }) =>
        failFirst(1, withText(replies.R451_4_3_0_LocalError, 'Local error in processing'))(attempt),
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, { from: 'alice@example.org', to: ['bob@remote.example'] });
    await dest.waitFor(() => dest?.accepted().length === 1, 'the delivery');
    await waitForEmptyQueue(mta);
    expect(dest.transactions.map((t) => t.code)).toEqual([451, 250]);
    const [deferred, ...more] = eventsOf(mta, 'deferred', id);
    expect(more).toEqual([]);
    expect(deferred?.['reply']).toBe('451 4.3.0 Local error in processing');
    expect(eventsOf(mta, 'delivered', id)).toHaveLength(1);
    expect(noticesAbout(mta, id)).toEqual([]);
  });

  it('sends no DSN for a delay when NOTIFY asks only for FAILURE, even past the warning time', async () => {
    // Refused for about 1.4 s: attempts at 0, 0.2, 0.6 and 1.4 s, the last past the 1 s warning.
    dest = await startScriptedDestination({
      rcpt: ({ attempt }) => failFirst(4, GREYLISTED)(attempt),
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: [{ address: 'bob@remote.example', params: 'NOTIFY=FAILURE' }],
    });
    await dest.waitFor(() => dest?.accepted().length === 1, 'the delivery', 20_000);
    await waitForEmptyQueue(mta);
    expect(dest.rcptAttempts('bob@remote.example')).toBe(5);
    expect(eventsOf(mta, 'deferred', id)).toHaveLength(4);
    expect(noticesAbout(mta, id)).toEqual([]);
    expect(await mta.mailbox('alice')).toEqual([]);
    // NOTIFY travels on to the next hop (RFC 3461 §5.2.1).
    expect(dest.accepted()[0]?.recipients[0]?.params['NOTIFY']).toEqual(['FAILURE']);
  });

  it('sends exactly one delay DSN for NOTIFY=DELAY once the warning time passed, then delivers', async () => {
    // Refused five times: attempts at about 0, 0.2, 0.6, 1.4 and 2.4 s, two of them past the 1 s
    // warning; accepted at about 3.4 s (the lifetime is raised so that the schedule has room).
    dest = await startScriptedDestination({
      rcpt: ({ attempt }) => failFirst(5, GREYLISTED)(attempt),
    });
    mta = await startTestMta({
      config: { delivery: { relay: dest.address }, retry: { maxLifetime: '20s' } },
    });
    const before = Date.now();
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: [
        { address: 'bob@remote.example', params: 'NOTIFY=DELAY ORCPT=rfc822;Bob@remote.example' },
      ],
      mailParams: 'ENVID=delay-test-1',
    });
    await dest.waitFor(() => dest?.accepted().length === 1, 'the delivery', 30_000);
    await waitForEmptyQueue(mta);
    expect(eventsOf(mta, 'deferred', id)).toHaveLength(5);

    const notices = noticesAbout(mta, id);
    expect(notices.map((n) => n['kind'])).toEqual(['delayed']);
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    expect(await mta.mailbox('alice')).toHaveLength(1);
    if (dsn === undefined) throw new Error('no DSN');
    // RFC 3461 §6: a DSN goes from the null reverse-path.
    expect(dsn.returnPath).toBe('');
    const { report } = dsn;
    expect(report.perMessage.reportingMta).toEqual({ type: 'dns', name: MTA_HOSTNAME });
    expect(report.perMessage.originalEnvelopeId).toBe('delay-test-1');
    expect(report.perMessage.arrivalDate?.getTime()).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000,
    );
    expect(report.recipients).toHaveLength(1);
    const r = report.recipients[0];
    expect(r?.action).toBe('delayed');
    expect(r?.status).toMatch(/^4\.\d{1,3}\.\d{1,3}$/);
    expect(r?.status).toBe('4.7.1');
    expect(r?.finalRecipient).toEqual({ addrType: 'rfc822', address: 'bob@remote.example' });
    expect(r?.originalRecipient).toEqual({ addrType: 'rfc822', address: 'Bob@remote.example' });
    expect(r?.diagnosticCode?.type).toBe('smtp');
    expect(r?.diagnosticCode?.text).toMatch(/^451 4\.7\.1 Greylisted, try again later/);
    expect(r?.remoteMta?.name).toBe('[127.0.0.1]');
    // RFC 3464 §2.3.9: the date after which the MTA gives up: arrival plus the lifetime (20 s).
    const arrival = report.perMessage.arrivalDate?.getTime() ?? 0;
    const until = r?.willRetryUntil?.getTime() ?? 0;
    expect(until - arrival).toBeGreaterThanOrEqual(19_000);
    expect(until - arrival).toBeLessThanOrEqual(21_000);
    // A delay notice returns the header only (RFC 3462's text/rfc822-headers).
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
    expect(Buffer.from(report.returned?.bytes ?? []).toString()).toContain('Subject: hello');
    expect(Buffer.from(report.returned?.bytes ?? []).toString()).not.toContain('BODY-MARKER');
  });

  it.skipIf(pythonSkipReason() !== undefined)(
    'a delay DSN for a recipient without NOTIFY (the MTA default: FAILURE and DELAY) reads as RFC 3464 in Python',
    async () => {
      dest = await startScriptedDestination({
        rcpt: ({ attempt }) => failFirst(4, GREYLISTED)(attempt),
      });
      mta = await startTestMta({
        config: { delivery: { relay: dest.address }, retry: { maxLifetime: '20s' } },
      });
      const id = await sendMessage(mta, { from: 'alice@example.org', to: ['bob@remote.example'] });
      await dest.waitFor(() => dest?.accepted().length === 1, 'the delivery', 30_000);
      await waitForEmptyQueue(mta);
      expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['delayed']);
      const [dsn] = await waitForDsns(mta, 'alice', 1);
      if (dsn === undefined) throw new Error('no DSN');
      const py = await readWithPython(dsn.message);
      expect(py.defects).toEqual([]);
      expect(py.contentType).toBe('multipart/report');
      expect(py.params['report-type']).toBe('delivery-status');
      expect(py.parts.map((p) => p.contentType)).toEqual([
        'text/plain',
        'message/delivery-status',
        'text/rfc822-headers',
      ]);
      const [perMessage, perRecipient] = py.parts[1]?.groups ?? [];
      expect(perMessage?.['Reporting-MTA']).toBe(`dns; ${MTA_HOSTNAME}`);
      expect(perRecipient?.['Action']).toBe('delayed');
      expect(perRecipient?.['Status']).toBe('4.7.1');
      expect(perRecipient?.['Final-Recipient']).toBe('rfc822; bob@remote.example');
      expect(perRecipient?.['Will-Retry-Until']).toBeDefined();
      expect(py.headers['Auto-Submitted']).toBe('auto-replied');
    },
  );
});
