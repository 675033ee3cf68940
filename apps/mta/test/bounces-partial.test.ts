// Partial acceptance: one transaction, two recipients, one accepted and one refused. The accepted
// one is delivered once; the DSN names the refused one only (RFC 3464 §2.3: one group per
// recipient reported on). Over SMTP (the refusal at RCPT) and over LMTP (the refusal after the
// message, RFC 2033 §4.2: one reply per recipient).
import { replies, withText } from '@smtpkit/reply';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventsOf,
  noticesAbout,
  readDsn,
  sendMessage,
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
const MAILBOX_FULL = withText(replies.R552_5_2_2_MailboxFull, 'Mailbox full');
const MAILBOX_FULL_FOR_NOW = withText(replies.R452_4_2_2_MailboxFull, 'Mailbox full, try later');

let mta: TestMta | undefined;
let dest: ScriptedDestination | undefined;
afterEach(async () => {
  await dest?.close();
  await mta?.cleanup();
  mta = undefined;
  dest = undefined;
});

describe('two recipients, one accepted and one refused', () => {
  it('SMTP, refused at RCPT: one delivered, one DSN for the refused recipient only', async () => {
    dest = await startScriptedDestination({
      rcpt: ({ address }) => (address === 'carol@remote.example' ? NO_SUCH_USER : 'accept'),
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: ['bob@remote.example', 'carol@remote.example'],
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');

    // One transaction with both RCPTs; the message went for bob only, once.
    expect(dest.accepted()).toHaveLength(1);
    expect(dest.accepted()[0]?.recipients.map((r) => [r.address, r.code])).toEqual([
      ['bob@remote.example', 250],
      ['carol@remote.example', 550],
    ]);
    expect(dest.transactions).toHaveLength(1);
    expect(eventsOf(mta, 'delivered', id).map((e) => e['to'])).toEqual(['bob@remote.example']);
    expect(eventsOf(mta, 'failed', id).map((e) => e['to'])).toEqual(['carol@remote.example']);

    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['failed']);
    expect(await mta.mailbox('alice')).toHaveLength(1);
    expect(dsn.report.recipients).toHaveLength(1);
    expect(dsn.report.recipients[0]).toMatchObject({
      finalRecipient: { addrType: 'rfc822', address: 'carol@remote.example' },
      action: 'failed',
      status: '5.1.1',
    });
    expect(dsn.report.text).not.toContain('bob@remote.example>');
  });

  it('SMTP, one refused for now: the other delivered at once, the deferred one later, no DSN', async () => {
    let carolTries = 0;
    dest = await startScriptedDestination({
      rcpt: ({ address }) => {
        if (address !== 'carol@remote.example') return 'accept';
        carolTries += 1;
        return carolTries === 1 ? MAILBOX_FULL_FOR_NOW : 'accept';
      },
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: ['bob@remote.example', 'carol@remote.example'],
    });
    await dest.waitFor(() => dest?.accepted().length === 2, 'two deliveries');
    await waitForEmptyQueue(mta);
    // The retry carries only the recipient still pending: bob gets the message once.
    expect(dest.transactions.map((t) => t.recipients.map((r) => `${r.address} ${r.code}`))).toEqual(
      [['bob@remote.example 250', 'carol@remote.example 452'], ['carol@remote.example 250']],
    );
    expect(
      dest.accepted().map((t) => t.recipients.filter((r) => r.code === 250).map((r) => r.address)),
    ).toEqual([['bob@remote.example'], ['carol@remote.example']]);
    expect(eventsOf(mta, 'deferred', id).map((e) => e['to'])).toEqual(['carol@remote.example']);
    expect(noticesAbout(mta, id)).toEqual([]);
    expect(await mta.mailbox('alice')).toEqual([]);
  });

  it('LMTP, refused after the message: one delivered, one DSN for the refused recipient only', async () => {
    // Local delivery by LMTP to the scripted server: bob's mailbox takes the message, carol's is
    // full (a permanent 552 5.2.2 for this test). The DSN to alice goes by LMTP too.
    dest = await startScriptedDestination({
      lmtp: true,
      data: ({ recipients }) =>
        recipients.map((r) => (r === 'carol@example.org' ? MAILBOX_FULL : 'accept')),
    });
    mta = await startTestMta({
      users: ['alice', 'bob', 'carol'],
      config: { lmtp: dest.address },
    });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: ['bob@example.org', 'carol@example.org'],
    });
    await dest.waitFor(
      () => dest?.accepted().some((t) => t.from === '') === true,
      'the DSN to alice by LMTP',
    );
    await waitForEmptyQueue(mta);

    const [first, notice, ...rest] = dest.transactions;
    expect(rest).toEqual([]);
    expect(first?.from).toBe('alice@example.org');
    expect(first?.codes).toEqual([250, 552]);
    expect(eventsOf(mta, 'delivered', id).map((e) => e['to'])).toEqual(['bob@example.org']);
    expect(eventsOf(mta, 'failed', id).map((e) => e['to'])).toEqual(['carol@example.org']);
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['failed']);

    expect(notice?.from).toBe('');
    expect(notice?.recipients.map((r) => r.address)).toEqual(['alice@example.org']);
    const dsn = readDsn(notice?.message?.toString('utf8') ?? '');
    expect(dsn.report.recipients).toHaveLength(1);
    expect(dsn.report.recipients[0]).toMatchObject({
      finalRecipient: { addrType: 'rfc822', address: 'carol@example.org' },
      action: 'failed',
      status: '5.2.2',
      diagnosticCode: { type: 'smtp', text: '552 5.2.2 Mailbox full' },
    });
  });
});
