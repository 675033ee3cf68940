// RFC 3461 NOTIFY end to end, and the notices about notices: SUCCESS gives "delivered" for a
// delivery here and "relayed" for a next hop without DSN (and nothing from here when the next hop
// takes NOTIFY on); NEVER gives nothing, even on failure; a failed message from <> is never
// bounced to <> but reported to the postmaster (a double bounce), and a double bounce that fails
// in turn is dropped.
import { replies, withText } from '@smtpkit/reply';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventsOf,
  headerOf,
  noticesAbout,
  sendMessage,
  sleep,
  startTestMta,
  type TestMta,
  waitForDsns,
  waitForEmptyQueue,
} from './support/dsn-harness.js';
import {
  type ScriptedDestination,
  startScriptedDestination,
} from './support/scripted-destination.js';

const NO_SUCH_USER = withText(replies.R550_5_1_1_NoSuchUser, 'No such user here');

let mta: TestMta | undefined;
let dest: ScriptedDestination | undefined;
afterEach(async () => {
  await dest?.close();
  await mta?.cleanup();
  mta = undefined;
  dest = undefined;
});

describe('NOTIFY=SUCCESS', () => {
  it('delivered to a local mailbox: a success DSN with Action delivered', async () => {
    mta = await startTestMta({ users: ['alice', 'bob'] });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: [{ address: 'bob@example.org', params: 'NOTIFY=SUCCESS,FAILURE' }],
      mailParams: 'ENVID=success-1 RET=FULL',
    });
    const [delivered] = await mta.waitForMailbox('bob', 1);
    expect(delivered).toContain('BODY-MARKER');
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['delivered']);
    expect(dsn.returnPath).toBe('');
    expect(headerOf(dsn, 'Subject')).toBe('Successful Mail Delivery Report');
    const [r, ...more] = dsn.report.recipients;
    expect(more).toEqual([]);
    expect(r?.action).toBe('delivered');
    expect(r?.status).toBe('2.0.0');
    expect(r?.finalRecipient.address).toBe('bob@example.org');
    expect(dsn.report.perMessage.originalEnvelopeId).toBe('success-1');
    // RFC 3461 §6.2: no failure reported, so the header only, whatever RET said.
    expect(dsn.report.returned?.contentType).toBe('text/rfc822-headers');
  });

  it('relayed to a next hop without DSN: Action relayed, and no DSN parameters sent on (RFC 3461 §5.2.2)', async () => {
    dest = await startScriptedDestination({ dsn: false });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      mailParams: 'RET=HDRS ENVID=relay-1',
      to: [
        { address: 'bob@remote.example', params: 'NOTIFY=SUCCESS ORCPT=rfc822;bob@remote.example' },
      ],
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');
    const [tx] = dest.accepted();
    expect(tx?.mailParams['RET']).toBeUndefined();
    expect(tx?.mailParams['ENVID']).toBeUndefined();
    expect(tx?.recipients[0]?.params['NOTIFY']).toBeUndefined();
    expect(tx?.recipients[0]?.params['ORCPT']).toBeUndefined();
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['delivered']);
    const r = dsn.report.recipients[0];
    expect(r?.action).toBe('relayed');
    expect(r?.status).toMatch(/^2\./);
    expect(r?.remoteMta?.name).toBe('[127.0.0.1]');
    expect(r?.originalRecipient?.address).toBe('bob@remote.example');
    expect(dsn.report.perMessage.originalEnvelopeId).toBe('relay-1');
    expect(headerOf(dsn, 'Subject')).toBe('Relayed Mail Report');
  });

  it('relayed to a next hop that offers DSN: NOTIFY goes on, and no DSN comes from here (RFC 3461 §5.2.1)', async () => {
    dest = await startScriptedDestination();
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      mailParams: 'RET=HDRS ENVID=relay-2',
      to: [
        { address: 'bob@remote.example', params: 'NOTIFY=SUCCESS ORCPT=rfc822;Bob@remote.example' },
      ],
    });
    await dest.waitFor(() => dest?.accepted().length === 1, 'the delivery');
    await waitForEmptyQueue(mta);
    const [tx] = dest.accepted();
    expect(tx?.mailParams).toMatchObject({ RET: 'HDRS', ENVID: 'relay-2' });
    expect(tx?.recipients[0]?.params['NOTIFY']).toEqual(['SUCCESS']);
    expect(tx?.recipients[0]?.params['ORCPT']).toEqual({
      addrType: 'rfc822',
      address: 'Bob@remote.example',
    });
    // The next hop reports the delivery; a "delivered" from here would be early and false.
    expect(noticesAbout(mta, id)).toEqual([]);
    expect(await mta.mailbox('alice')).toEqual([]);
  });
});

describe('NOTIFY=NEVER', () => {
  it('no DSN at all when delivery fails', async () => {
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: [{ address: 'bob@remote.example', params: 'NOTIFY=NEVER' }],
    });
    await dest.waitFor(() => dest?.rcptAttempts('bob@remote.example') === 1, 'the attempt');
    await waitForEmptyQueue(mta);
    expect(eventsOf(mta, 'failed', id)).toHaveLength(1);
    expect(noticesAbout(mta, id)).toEqual([]);
    await sleep(500);
    expect(await mta.mailbox('alice')).toEqual([]);
    expect(await mta.mailbox('postmaster')).toEqual([]);
    expect(dest.transactions).toHaveLength(1);
  });
});

describe('messages from <>', () => {
  it('a failed message from <> is not bounced to <>: the postmaster gets a double bounce', async () => {
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, { from: '', to: ['bob@remote.example'] });
    const [notice] = await waitForDsns(mta, 'postmaster', 1);
    await waitForEmptyQueue(mta);
    if (notice === undefined) throw new Error('no double bounce');
    // Nothing went back out: the only transaction is the refused one.
    expect(dest.transactions.map((t) => t.from)).toEqual(['']);
    const [queued] = noticesAbout(mta, id);
    expect(queued?.['kind']).toBe('double-bounce');
    expect(queued?.['to']).toBe('postmaster@example.org');
    expect(notice.returnPath).toBe('');
    expect(headerOf(notice, 'To')).toBe('<postmaster@example.org>');
    expect(headerOf(notice, 'Subject')).toMatch(/double bounce/i);
    expect(notice.report.recipients[0]).toMatchObject({
      finalRecipient: { addrType: 'rfc822', address: 'bob@remote.example' },
      action: 'failed',
      status: '5.1.1',
      diagnosticCode: { type: 'smtp', text: '550 5.1.1 No such user here' },
    });
    // The postmaster sees the header of the failed message only.
    expect(notice.report.returned?.contentType).toBe('text/rfc822-headers');
  });

  it('a bounce that bounces: the DSN to a dead sender fails, and the postmaster hears of it', async () => {
    // alice@remote.example sends to bob; both are refused by the next hop.
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, { from: 'alice@remote.example', to: ['bob@remote.example'] });
    const [notice] = await waitForDsns(mta, 'postmaster', 1);
    await waitForEmptyQueue(mta);
    if (notice === undefined) throw new Error('no double bounce');
    // First the message, then its DSN from <> to alice; no third transaction.
    expect(dest.transactions.map((t) => [t.from, t.recipients[0]?.address])).toEqual([
      ['alice@remote.example', 'bob@remote.example'],
      ['', 'alice@remote.example'],
    ]);
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['failed']);
    expect(notice.report.recipients[0]?.finalRecipient.address).toBe('alice@remote.example');
    // What the postmaster gets back is the header of the failed DSN.
    const returned = Buffer.from(notice.report.returned?.bytes ?? []).toString();
    expect(returned).toContain('Subject: Undelivered Mail Returned to Sender');
  });

  it('a double bounce that fails in turn is dropped: no loop', async () => {
    // The postmaster is an address behind the same next hop, which refuses everything.
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({
      config: { delivery: { relay: dest.address }, aliases: { postmaster: 'pm@remote.example' } },
    });
    await sendMessage(mta, { from: '', to: ['bob@remote.example'] });
    await dest.waitFor(() => dest?.transactions.length === 2, 'the double bounce attempt');
    await waitForEmptyQueue(mta);
    await sleep(1000);
    expect(dest.transactions.map((t) => [t.from, t.recipients[0]?.address])).toEqual([
      ['', 'bob@remote.example'],
      ['', 'pm@remote.example'],
    ]);
    expect(eventsOf(mta, 'notice to the postmaster not delivered; dropped')).toHaveLength(1);
    expect(eventsOf(mta, 'notice queued')).toHaveLength(1);
  });
});

describe('the DSN as a message', () => {
  it('an xtext ENVID is decoded into Original-Envelope-Id (RFC 3461 §6.3 (a))', async () => {
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    await sendMessage(mta, {
      from: 'alice@example.org',
      mailParams: 'ENVID=a+2Bb+3Dc',
      to: ['bob@remote.example'],
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    expect(dsn?.report.perMessage.originalEnvelopeId).toBe('a+b=c');
  });
});
