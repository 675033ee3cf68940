// A next hop that answers 5xx, at RCPT or at the end of DATA: the MTA gives up at once and sends
// the sender a failure DSN from <>, correct by RFC 3464 (an RFC 6522 multipart/report with the
// human-readable part, the message/delivery-status part and the returned message or header),
// honouring RET, ENVID and ORCPT (RFC 3461 §4).
import { replies, withText } from '@smtpkit/reply';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventsOf,
  headerOf,
  MTA_HOSTNAME,
  noticesAbout,
  sampleMessage,
  sendMessage,
  startTestMta,
  type TestMta,
  waitForDsns,
  waitForEmptyQueue,
} from './support/dsn-harness.js';
import { pythonSkipReason, readWithPython } from './support/python-mime.js';
import {
  type ScriptedDestination,
  startScriptedDestination,
} from './support/scripted-destination.js';

const NO_SUCH_USER = withText(replies.R550_5_1_1_NoSuchUser, 'No such user here');
const CONTENT_REJECTED = withText(
  replies.R550_5_7_1_DeliveryNotAuthorized,
  'Message content rejected by policy',
);

let mta: TestMta | undefined;
let dest: ScriptedDestination | undefined;
afterEach(async () => {
  await dest?.close();
  await mta?.cleanup();
  mta = undefined;
  dest = undefined;
});

const python = pythonSkipReason() === undefined;

describe('a next hop that answers 5xx', () => {
  it('at RCPT: one attempt, then a failure DSN from <> with the reply, ORCPT, ENVID and only the header (RET=HDRS)', async () => {
    dest = await startScriptedDestination({
      rcpt: ({ address }) => (address === 'bob@remote.example' ? NO_SUCH_USER : 'accept'),
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const before = Date.now();
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      mailParams: 'RET=HDRS ENVID=QQ314159',
      to: [
        {
          address: 'bob@remote.example',
          params: 'NOTIFY=FAILURE ORCPT=rfc822;Bob.Original+2B@remote.example',
        },
      ],
      message: sampleMessage('refused at rcpt'),
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');

    // Given up at the first 5xx: no retry, no message sent.
    expect(dest.rcptAttempts('bob@remote.example')).toBe(1);
    expect(dest.accepted()).toEqual([]);
    expect(eventsOf(mta, 'failed', id)).toHaveLength(1);
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['failed']);
    expect(await mta.mailbox('alice')).toHaveLength(1);

    // From <> (RFC 3461 §6.1 / RFC 5321 §4.5.5), to the sender, from the mailer daemon.
    expect(dsn.raw.toString()).toMatch(/^Return-Path: <>\r\nDelivered-To: alice@example\.org\r\n/);
    expect(dsn.returnPath).toBe('');
    expect(headerOf(dsn, 'To')).toBe('<alice@example.org>');
    expect(headerOf(dsn, 'From')).toBe(`Mail Delivery System <MAILER-DAEMON@${MTA_HOSTNAME}>`);
    expect(headerOf(dsn, 'Auto-Submitted')).toBe('auto-replied');
    expect(headerOf(dsn, 'Content-Type')).toMatch(
      /^multipart\/report; report-type=delivery-status;/,
    );

    const { report } = dsn;
    expect(report.global).toBe(false);
    expect(report.perMessage.reportingMta).toEqual({ type: 'dns', name: MTA_HOSTNAME });
    expect(report.perMessage.originalEnvelopeId).toBe('QQ314159');
    expect(report.perMessage.arrivalDate?.getTime()).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000,
    );
    expect(report.recipients).toHaveLength(1);
    const r = report.recipients[0];
    expect(r?.action).toBe('failed');
    expect(r?.status).toBe('5.1.1');
    expect(r?.finalRecipient).toEqual({ addrType: 'rfc822', address: 'bob@remote.example' });
    // The ORCPT was xtext (RFC 3461 §4.2): "+2B" is "+".
    expect(r?.originalRecipient).toEqual({
      addrType: 'rfc822',
      address: 'Bob.Original+@remote.example',
    });
    expect(r?.diagnosticCode).toEqual({ type: 'smtp', text: '550 5.1.1 No such user here' });
    expect(r?.remoteMta).toEqual({ type: 'dns', name: '[127.0.0.1]' });
    expect(r?.lastAttemptDate).toBeInstanceOf(Date);
    expect(r?.willRetryUntil).toBeUndefined();
    expect(report.text).toContain('bob@remote.example');
    expect(report.text).toContain('550 5.1.1 No such user here');

    // RET=HDRS: the header only (RFC 3461 §4.3), as text/rfc822-headers (RFC 6522 §4 / RFC 3462).
    expect(report.returned?.kind).toBe('headers');
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
    const returned = Buffer.from(report.returned?.bytes ?? []).toString();
    expect(returned).toContain('Subject: refused at rcpt\r\n');
    expect(returned).toContain('Message-ID: <refused-at-rcpt@example.org>');
    expect(returned).not.toContain('BODY-MARKER');

    if (python) {
      const py = await readWithPython(dsn.message);
      expect(py.defects).toEqual([]);
      expect(py.contentType).toBe('multipart/report');
      expect(py.params['report-type']).toBe('delivery-status');
      expect(py.parts.map((p) => p.contentType)).toEqual([
        'text/plain',
        'message/delivery-status',
        'text/rfc822-headers',
      ]);
      const [perMessage, perRecipient, ...more] = py.parts[1]?.groups ?? [];
      expect(more).toEqual([]);
      expect(perMessage).toMatchObject({
        'Original-Envelope-Id': 'QQ314159',
        'Reporting-MTA': `dns; ${MTA_HOSTNAME}`,
      });
      expect(perRecipient).toMatchObject({
        // Decoded from xtext, as Postfix writes it (RFC 3464 §2.3.1 generic-address is *text).
        'Original-Recipient': 'rfc822; Bob.Original+@remote.example',
        'Final-Recipient': 'rfc822; bob@remote.example',
        Action: 'failed',
        Status: '5.1.1',
        // RFC 3461 §9.3: an address as a domain-literal.
        'Remote-MTA': 'dns; [127.0.0.1]',
        'Diagnostic-Code': 'smtp; 550 5.1.1 No such user here',
      });
    }
  });

  it('at the end of DATA: a failure DSN with the whole message returned (RET=FULL)', async () => {
    dest = await startScriptedDestination({ data: () => CONTENT_REJECTED });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const original = sampleMessage('refused at data');
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      mailParams: 'RET=FULL ENVID=full-1',
      to: ['bob@remote.example'],
      message: original,
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');

    // The message was sent once and refused once.
    expect(dest.transactions).toHaveLength(1);
    expect(dest.transactions[0]?.code).toBe(550);
    expect(noticesAbout(mta, id).map((n) => n['kind'])).toEqual(['failed']);
    expect(dsn.returnPath).toBe('');

    const r = dsn.report.recipients[0];
    expect(dsn.report.recipients).toHaveLength(1);
    expect(r?.action).toBe('failed');
    expect(r?.status).toBe('5.7.1');
    expect(r?.diagnosticCode).toEqual({
      type: 'smtp',
      text: '550 5.7.1 Message content rejected by policy',
    });
    expect(r?.remoteMta?.name).toBe('[127.0.0.1]');
    // No ORCPT given and none made: the recipient was not rewritten.
    expect(r?.originalRecipient).toBeUndefined();
    expect(dsn.report.perMessage.originalEnvelopeId).toBe('full-1');

    // RET=FULL: the whole message as message/rfc822, byte for byte after our Received: field.
    expect(dsn.report.returned?.kind).toBe('message');
    expect(dsn.report.returned?.contentType).toBe('message/rfc822');
    const returned = Buffer.from(dsn.report.returned?.bytes ?? []).toString();
    expect(returned).toMatch(/^Received: from client\.example \(\[127\.0\.0\.1\]\)\r\n/);
    expect(returned.endsWith(original)).toBe(true);

    if (python) {
      const py = await readWithPython(dsn.message);
      expect(py.defects).toEqual([]);
      expect(py.parts.map((p) => p.contentType)).toEqual([
        'text/plain',
        'message/delivery-status',
        'message/rfc822',
      ]);
      expect(py.parts[2]?.enclosed?.headers['Subject']).toBe('refused at data');
      expect(py.parts[2]?.enclosed?.body).toContain('BODY-MARKER: only in the body');
      expect(py.parts[1]?.groups?.[1]?.['Status']).toBe('5.7.1');
    }
  });

  it('without RET, ENVID or ORCPT: the whole message, no Original-Envelope-Id, no Original-Recipient', async () => {
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    await sendMessage(mta, { from: 'alice@example.org', to: ['bob@remote.example'] });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    if (dsn === undefined) throw new Error('no DSN');
    expect(dsn.report.perMessage.originalEnvelopeId).toBeUndefined();
    expect(dsn.report.perMessage.fields.map((f) => f.name)).not.toContain('Original-Envelope-Id');
    expect(dsn.report.recipients[0]?.originalRecipient).toBeUndefined();
    expect(dsn.report.recipients[0]?.fields.map((f) => f.name)).not.toContain('Original-Recipient');
    // RFC 3461 §4.3: without RET the choice is the MTA's; it returns the whole (small) message.
    expect(dsn.report.returned?.contentType).toBe('message/rfc822');
  });

  it('a multi-line reply without enhanced status codes: Status keeps the class (5.0.0), the Diagnostic-Code every line', async () => {
    dest = await startScriptedDestination({
      enhancedStatusCodes: false,
      rcpt: () => ({
        code: 550,
        lines: ['Mailbox unavailable', 'See the postmaster of remote.example'],
      }),
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    await sendMessage(mta, { from: 'alice@example.org', to: ['bob@remote.example'] });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    if (dsn === undefined) throw new Error('no DSN');
    const r = dsn.report.recipients[0];
    expect(r?.action).toBe('failed');
    // RFC 3463 §3.1: X.0.0 "Other undefined Status"; the detail is not guessed from 550.
    expect(r?.status).toBe('5.0.0');
    expect(r?.diagnosticCode?.type).toBe('smtp');
    expect(r?.diagnosticCode?.text).toBe(
      '550 Mailbox unavailable See the postmaster of remote.example',
    );
  });

  it('at MAIL: every recipient of the message fails with that reply', async () => {
    dest = await startScriptedDestination({
      mail: () => withText(replies.R550_5_7_1_DeliveryNotAuthorized, 'Sender blocked'),
    });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    const id = await sendMessage(mta, {
      from: 'alice@example.org',
      to: ['bob@remote.example', 'carol@remote.example'],
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    await waitForEmptyQueue(mta);
    if (dsn === undefined) throw new Error('no DSN');
    expect(noticesAbout(mta, id)).toHaveLength(1);
    expect(
      dsn.report.recipients.map((r) => [r.finalRecipient.address, r.action, r.status]),
    ).toEqual([
      ['bob@remote.example', 'failed', '5.7.1'],
      ['carol@remote.example', 'failed', '5.7.1'],
    ]);
    for (const r of dsn.report.recipients) {
      expect(r.diagnosticCode?.text).toBe('550 5.7.1 Sender blocked');
      expect(r.remoteMta?.name).toBe('[127.0.0.1]');
    }
  });

  it('an SMTPUTF8 message to a UTF-8 address: the DSN takes the RFC 6533 forms', async () => {
    dest = await startScriptedDestination({ rcpt: () => NO_SUCH_USER });
    mta = await startTestMta({ config: { delivery: { relay: dest.address } } });
    await sendMessage(mta, {
      from: 'alice@example.org',
      mailParams: 'SMTPUTF8',
      to: ['b\u00f8b@remote.example'],
      message: `${sampleMessage('utf8')}Gr\u00fc\u00dfe\r\n`,
    });
    const [dsn] = await waitForDsns(mta, 'alice', 1);
    if (dsn === undefined) throw new Error('no DSN');
    // The MTA relayed the address as it was (SMTPUTF8 offered by the next hop).
    expect(dest.transactions[0]?.recipients[0]?.address).toBe('b\u00f8b@remote.example');
    expect(dsn.report.global).toBe(true);
    expect(dsn.report.recipients[0]).toMatchObject({
      finalRecipient: { addrType: 'utf-8', address: 'b\u00f8b@remote.example' },
      action: 'failed',
      status: '5.1.1',
    });
    expect(dsn.report.returned?.contentType).toBe('message/global');
    if (python) {
      const py = await readWithPython(dsn.message);
      expect(py.parts.map((p) => p.contentType)).toEqual([
        'text/plain',
        'message/global-delivery-status',
        'message/global',
      ]);
    }
  });
});
