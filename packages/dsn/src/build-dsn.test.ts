import { describe, expect, it } from 'vitest';
import { buildDsn } from './build-dsn.js';
import { buildDoubleBounce } from './double-bounce.js';
import type { DsnAction } from './dsn-types.js';
import { parseDsn } from './parse-dsn.js';
import { codeOf, decode, encode, expectMailLines, failure, headerOf } from './test-support.js';

describe('buildDsn: the envelope and header of the notice', () => {
  it('goes from the null reverse-path to the original sender (RFC 5321 §4.5.5)', () => {
    const dsn = buildDsn(failure());
    expect(dsn.sender).toBe('');
    expect(dsn.recipient).toBe('alice@example.com');
    expect(dsn.smtputf8).toBe(false);
    expect(dsn.body).toBe('7BIT');
  });

  it('refuses a DSN about a message from <> (ERR_DSN_MISUSE_NULL_SENDER)', () => {
    expect(codeOf(() => buildDsn(failure({ envelope: { sender: '' } })))).toBe(
      'ERR_DSN_MISUSE_NULL_SENDER',
    );
  });

  it('writes From, To, Subject, Date from the caller clock, Message-ID, Auto-Submitted, MIME-Version', () => {
    const header = headerOf(buildDsn(failure()).message);
    expect(header).toContain('From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n');
    expect(header).toContain('To: <alice@example.com>\r\n');
    expect(header).toContain('Subject: Undelivered Mail Returned to Sender\r\n');
    expect(header).toContain('Date: Fri, 2 Jan 2026 03:04:05 +0000\r\n');
    expect(header).toContain('Message-ID: <dsn.1@mx.example.com>\r\n');
    // RFC 3834 §5: automatic responses say so.
    expect(header).toContain('Auto-Submitted: auto-replied\r\n');
    expect(header).toContain('MIME-Version: 1.0\r\n');
    expect(header).toMatch(
      /Content-Type: multipart\/report; report-type=delivery-status;\r\n boundary="/,
    );
  });

  it('takes now as a Date too, a Message-ID generator, a From and display name of the caller', () => {
    let calls = 0;
    const dsn = buildDsn(
      failure({
        now: new Date('2026-03-04T05:06:07Z'),
        messageId: () => `gen.${++calls}@ids.example.com`,
        from: 'bounces@example.com',
        fromName: 'Example Mail, Inc.',
      }),
    );
    const header = headerOf(dsn.message);
    expect(calls).toBe(1);
    expect(header).toContain('Date: Wed, 4 Mar 2026 05:06:07 +0000\r\n');
    expect(header).toContain('Message-ID: <gen.1@ids.example.com>\r\n');
    expect(header).toContain('From: "Example Mail, Inc." <bounces@example.com>\r\n');
  });

  it('names each kind of notice in its Subject', () => {
    const subject = (action: DsnAction, status: string) =>
      /Subject: (.*)\r\n/.exec(
        headerOf(
          buildDsn(failure({ recipients: [{ address: 'b@example.org', action, status }] })).message,
        ),
      )?.[1];
    expect(subject('failed', '5.0.0')).toBe('Undelivered Mail Returned to Sender');
    expect(subject('delayed', '4.4.7')).toBe('Delayed Mail (still being retried)');
    expect(subject('delivered', '2.0.0')).toBe('Successful Mail Delivery Report');
    expect(subject('expanded', '2.0.0')).toBe('Successful Mail Delivery Report');
    expect(subject('relayed', '2.0.0')).toBe('Relayed Mail Report');
  });

  it('refuses no recipients, CR/LF in values, a bad Message-ID or time', () => {
    expect(codeOf(() => buildDsn(failure({ recipients: [] })))).toBe(
      'ERR_DSN_MISUSE_NO_RECIPIENTS',
    );
    expect(
      codeOf(() =>
        buildDsn(
          failure({
            recipients: [{ address: 'a@b\r\nBcc: x', action: 'failed', status: '5.0.0' }],
          }),
        ),
      ),
    ).toBe('ERR_DSN_MISUSE_FIELD');
    expect(codeOf(() => buildDsn(failure({ envelope: { sender: 'a@b', envid: 'x\ny' } })))).toBe(
      'ERR_DSN_MISUSE_FIELD',
    );
    expect(codeOf(() => buildDsn(failure({ messageId: 'two words' })))).toBe(
      'ERR_DSN_MISUSE_FIELD',
    );
    expect(codeOf(() => buildDsn(failure({ now: Number.NaN })))).toBe('ERR_DSN_MISUSE_OPTION');
  });
});

describe('buildDsn: the delivery-status part (RFC 3464 §2.2, §2.3)', () => {
  it('carries ENVID as Original-Envelope-Id and ORCPT as Original-Recipient', () => {
    const report = parseDsn(buildDsn(failure()).message);
    expect(report.perMessage.originalEnvelopeId).toBe('QQ314159');
    expect(report.perMessage.reportingMta).toEqual({ type: 'dns', name: 'mx.example.com' });
    expect(report.perMessage.arrivalDate?.toISOString()).toBe('2026-01-02T03:00:00.000Z');
    const [r] = report.recipients;
    expect(r?.originalRecipient).toEqual({ addrType: 'rfc822', address: 'bob+orig@example.org' });
    expect(r?.finalRecipient).toEqual({ addrType: 'rfc822', address: 'bob@example.org' });
  });

  it('writes the reply as Diagnostic-Code smtp; and its host as Remote-MTA', () => {
    const text = decode(buildDsn(failure()).message);
    expect(text).toContain('Remote-MTA: dns; mx.example.org\r\n');
    expect(text).toContain('Diagnostic-Code: smtp; 550 5.1.1 No such user\r\n');
    expect(text).toContain('Status: 5.1.1\r\n');
  });

  it('joins a multi-line reply, and does not repeat an enhanced code the text starts with', () => {
    const dsn = buildDsn(
      failure({
        recipients: [
          {
            address: 'b@example.org',
            action: 'failed',
            reply: { code: 552, enhanced: '5.2.2', text: '5.2.2 Mailbox full\r\nTry later' },
          },
        ],
      }),
    );
    expect(parseDsn(dsn.message).recipients[0]?.diagnosticCode?.text).toBe(
      '552 5.2.2 Mailbox full Try later',
    );
  });

  it('writes Per-message and per-recipient extension fields, Final-Log-ID, Last-Attempt-Date', () => {
    const dsn = buildDsn(
      failure({
        receivedFromMta: 'client.example.com',
        fields: [{ name: 'X-Queue-ID', value: 'Q1' }],
        recipients: [
          {
            address: 'b@example.org',
            action: 'failed',
            status: '5.0.0',
            finalLogId: 'L1',
            lastAttemptAt: Date.UTC(2026, 0, 2, 3, 4),
            fields: [{ name: 'X-Attempts', value: '3' }],
          },
        ],
      }),
    );
    const report = parseDsn(dsn.message);
    expect(report.perMessage.receivedFromMta).toEqual({ type: 'dns', name: 'client.example.com' });
    expect(report.perMessage.fields).toContainEqual({ name: 'X-Queue-ID', value: 'Q1' });
    const [r] = report.recipients;
    expect(r?.finalLogId).toBe('L1');
    expect(r?.lastAttemptDate?.toISOString()).toBe('2026-01-02T03:04:00.000Z');
    expect(r?.fields).toContainEqual({ name: 'X-Attempts', value: '3' });
    expect(r?.diagnosticCode).toBeUndefined();
  });
});

describe('buildDsn: Action and Status go together (RFC 3464 §2.3.3, §2.3.4)', () => {
  const build = (action: DsnAction, status: string | undefined) =>
    codeOf(() =>
      buildDsn(
        failure({
          recipients: [
            { address: 'b@example.org', action, ...(status === undefined ? {} : { status }) },
          ],
        }),
      ),
    );

  it('accepts 4 or 5 for failed, 4 for delayed, 2 for delivered, relayed, expanded', () => {
    expect(build('failed', '5.1.1')).toBeUndefined();
    expect(build('failed', '4.4.7')).toBeUndefined(); // given up after retries: §2.3.3's note
    expect(build('delayed', '4.4.1')).toBeUndefined();
    for (const a of ['delivered', 'relayed', 'expanded'] as const)
      expect(build(a, '2.0.0')).toBeUndefined();
  });

  it('refuses a status of another class (ERR_DSN_MISUSE_STATUS)', () => {
    expect(build('failed', '2.0.0')).toBe('ERR_DSN_MISUSE_STATUS');
    expect(build('delayed', '5.1.1')).toBe('ERR_DSN_MISUSE_STATUS');
    expect(build('delivered', '4.0.0')).toBe('ERR_DSN_MISUSE_STATUS');
    expect(build('relayed', '5.0.0')).toBe('ERR_DSN_MISUSE_STATUS');
  });

  it('refuses a missing or malformed status', () => {
    expect(build('failed', undefined)).toBe('ERR_DSN_MISUSE_STATUS');
    expect(build('failed', '5.01.1')).toBe('ERR_DSN_MISUSE_STATUS');
  });

  it('a reply without an enhanced code: its class and .0.0, no guessed subject (RFC 3463 §3.1)', () => {
    const statusFor = (code: number, action: DsnAction) =>
      parseDsn(
        buildDsn(
          failure({ recipients: [{ address: 'b@x.org', action, reply: { code, text: 'x' } }] }),
        ).message,
      ).recipients[0]?.status;
    expect(statusFor(550, 'failed')).toBe('5.0.0');
    expect(statusFor(452, 'delayed')).toBe('4.0.0');
    expect(statusFor(250, 'delivered')).toBe('2.0.0');
    // The class must still go with the action.
    const delayed550 = {
      address: 'b@x.org',
      action: 'delayed' as const,
      reply: { code: 550, text: 'x' },
    };
    expect(codeOf(() => buildDsn(failure({ recipients: [delayed550] })))).toBe(
      'ERR_DSN_MISUSE_STATUS',
    );
  });

  it('takes the status from the reply when none is given; an explicit one wins', () => {
    const reply = { code: 550, enhanced: '5.1.1', text: 'no' };
    const status = (s?: string) =>
      parseDsn(
        buildDsn(
          failure({
            recipients: [
              {
                address: 'b@x.org',
                action: 'failed',
                reply,
                ...(s === undefined ? {} : { status: s }),
              },
            ],
          }),
        ).message,
      ).recipients[0]?.status;
    expect(status()).toBe('5.1.1');
    expect(status('5.7.1')).toBe('5.7.1');
  });

  it('writes Will-Retry-Until for delays only (RFC 3464 §2.3.9)', () => {
    const until = Date.UTC(2026, 0, 7);
    const delayed = buildDsn(
      failure({
        recipients: [
          { address: 'b@x.org', action: 'delayed', status: '4.4.1', willRetryUntil: until },
        ],
      }),
    );
    expect(parseDsn(delayed.message).recipients[0]?.willRetryUntil?.getTime()).toBe(until);
    expect(decode(delayed.message)).toContain('Delivery will be attempted until Wed, 7 Jan 2026');
    expect(
      codeOf(() =>
        buildDsn(
          failure({
            recipients: [
              { address: 'b@x.org', action: 'failed', status: '5.0.0', willRetryUntil: until },
            ],
          }),
        ),
      ),
    ).toBe('ERR_DSN_MISUSE_FIELD');
  });
});

describe('buildDsn: the MIME structure', () => {
  it('chooses a boundary that occurs in none of the parts (RFC 2046 §5.1.1)', () => {
    const first = buildDsn(failure());
    const boundary = /boundary="([^"]+)"/.exec(decode(first.message))?.[1] ?? '';
    // Return a message that holds the boundary the first DSN chose, and the next candidate.
    const next = boundary.replace(/_0_=$/, '_1_=');
    const original = encode(`Subject: x\r\n\r\n--${boundary}\r\n${next}\r\n`);
    const dsn = buildDsn(failure({ original }));
    const chosen = /boundary="([^"]+)"/.exec(decode(dsn.message))?.[1] ?? '';
    expect(chosen).not.toBe(boundary);
    expect(chosen).not.toBe(next);
    expect(decode(original)).not.toContain(chosen);
    expect(parseDsn(dsn.message).returned?.bytes).toEqual(original);
  });

  it('writes CRLF everywhere, bare LF in the original included', () => {
    const dsn = buildDsn(failure({ original: encode('Subject: x\n\nbare\nlines\r\n') }));
    expectMailLines(dsn.message);
    expect(parseDsn(dsn.message).returned?.bytes).toEqual(
      encode('Subject: x\r\n\r\nbare\r\nlines\r\n'),
    );
  });

  it('folds long fields to 78 octets at white space and never writes a line over 998', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const run = 'x'.repeat(3000);
    const dsn = buildDsn(
      failure({
        recipients: [
          {
            address: 'b@x.org',
            action: 'failed',
            status: '5.0.0',
            diagnostic: { type: 'smtp', text: `550 ${words}` },
          },
          {
            address: 'c@x.org',
            action: 'failed',
            status: '5.0.0',
            diagnostic: { type: 'smtp', text: `550 ${run}` },
          },
        ],
      }),
    );
    expectMailLines(dsn.message);
    const text = decode(dsn.message);
    const statusPart = text.slice(
      text.indexOf('Reporting-MTA'),
      text.indexOf('Final-Recipient: rfc822; c@x.org'),
    );
    for (const line of statusPart.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const report = parseDsn(dsn.message);
    expect(report.recipients[0]?.diagnosticCode?.text).toBe(`550 ${words}`);
    // A run without white space is split where it must be; each split adds one space.
    expect(report.recipients[1]?.diagnosticCode?.text.replace(/ /g, '')).toBe(`550${run}`);
  });

  it('writes the human-readable part first, naming each recipient and its diagnostic', () => {
    const report = parseDsn(buildDsn(failure()).message);
    expect(report.text).toMatch(/^This is the mail system at mx\.example\.com\./);
    expect(report.text).toContain(
      '<bob@example.org>: failed: mx.example.org said: 550 5.1.1 No such user',
    );
    const custom = parseDsn(buildDsn(failure({ text: 'Custom words.\nSecond line.' })).message);
    expect(custom.text).toBe('Custom words.\nSecond line.\n');
  });
});

describe('buildDoubleBounce', () => {
  it('tells the postmaster, from <>, with the header of the failed bounce only', () => {
    const notice = buildDoubleBounce({
      ...failure({ envelope: { sender: '', ret: 'FULL' } }),
      postmaster: 'postmaster@mx.example.com',
    });
    expect(notice.sender).toBe('');
    expect(notice.recipient).toBe('postmaster@mx.example.com');
    const header = headerOf(notice.message);
    expect(header).toContain('To: <postmaster@mx.example.com>\r\n');
    expect(header).toContain('Subject: Undelivered Mail with a Null Sender (double bounce)\r\n');
    const report = parseDsn(notice.message);
    expect(report.returned?.kind).toBe('headers');
    expect(report.text).toContain('null sender');
    expect(report.recipients[0]?.finalRecipient.address).toBe('bob@example.org');
  });

  it('refuses an empty postmaster address', () => {
    expect(codeOf(() => buildDoubleBounce({ ...failure(), postmaster: '' }))).toBe(
      'ERR_DSN_MISUSE_OPTION',
    );
  });
});
