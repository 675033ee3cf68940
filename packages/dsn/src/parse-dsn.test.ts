import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDsn } from './parse-dsn.js';
import { codeOf } from './test-support.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8');
/** The fixtures are kept with LF line ends; mail carries CRLF. */
const crlf = (text: string): Uint8Array => new TextEncoder().encode(text.replace(/\n/g, '\r\n'));
const lf = (text: string): Uint8Array => new TextEncoder().encode(text);
const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

const FIXTURES = [
  'rfc3464-simple.eml',
  'rfc3464-multi.eml',
  'rfc3464-delayed.eml',
  'postfix-bounce.eml',
  'rfc6533-global.eml',
];

describe('parseDsn: reports in the style of RFC 3464 §6', () => {
  it('reads a simple failure whose first part has no header (RFC 2046 §5.1.1: text/plain)', () => {
    const report = parseDsn(crlf(fixture('rfc3464-simple.eml')));
    expect(report.global).toBe(false);
    expect(report.perMessage.reportingMta).toEqual({ type: 'dns', name: 'relay.example.edu' });
    expect(report.recipients).toHaveLength(1);
    const [r] = report.recipients;
    expect(r?.originalRecipient).toEqual({ addrType: 'rfc822', address: 'lou@dialup.example.net' });
    expect(r?.finalRecipient).toEqual({ addrType: 'rfc822', address: 'lou@dialup.example.net' });
    // RFC 3464 §2.3.3's note: a "failed" report may carry a temporary status.
    expect(r?.action).toBe('failed');
    expect(r?.status).toBe('4.0.0');
    expect(r?.diagnosticCode).toEqual({ type: 'smtp', text: '426 connection timed out' });
    expect(r?.lastAttemptDate?.toISOString()).toBe('2026-01-06T21:15:49.000Z');
    expect(report.text).toContain('The following addresses had delivery problems');
    expect(report.returned?.kind).toBe('message');
    expect(report.returned?.contentType).toBe('message/rfc822');
    expect(utf8(report.returned?.bytes ?? new Uint8Array())).toBe(
      'From: owner-list@example.edu\r\nTo: lou@dialup.example.net\r\nSubject: list digest\r\n\r\n[the returned message]\r\n',
    );
  });

  it('reads several recipients, foreign address and diagnostic types, comments and case', () => {
    const report = parseDsn(crlf(fixture('rfc3464-multi.eml')));
    const { perMessage, recipients } = report;
    expect(perMessage.dsnGateway).toEqual({ type: 'dns', name: 'x400-gw.example.com' });
    expect(perMessage.receivedFromMta?.name).toBe(
      'host.example.org (host.example.org [192.0.2.7])',
    );
    expect(perMessage.arrivalDate?.toISOString()).toBe('2026-01-09T23:30:05.000Z');
    expect(perMessage.fields).toContainEqual({ name: 'X-Gateway-Queue-ID', value: 'AA10843' });
    expect(recipients.map((r) => [r.action, r.status])).toEqual([
      ['relayed', '2.0.0'],
      ['failed', '5.0.0'],
      ['failed', '4.4.1'],
    ]);
    expect(recipients[0]?.finalRecipient).toEqual({
      addrType: 'x400',
      address: '/PN=New.Address/O=Example/ADMD=TEST/C=us/',
    });
    expect(recipients[0]?.remoteMta).toEqual({ type: 'x400', name: '/ADMD=TEST/C=us/' });
    expect(recipients[1]?.finalRecipient).toEqual({
      addrType: 'rfc822',
      address: 'unknown@example.com',
    });
    // Folded with an indent of two: one space when unfolded.
    expect(recipients[1]?.diagnosticCode).toEqual({ type: 'smtp', text: '550 user unknown' });
    expect(recipients[2]?.diagnosticCode).toEqual({
      type: 'x400',
      text: '6 (transfer failure: destination not reachable)',
    });
    expect(report.returned?.kind).toBe('headers');
    expect(report.text).toContain('successfully relayed');
  });

  it('reads a delay notice with Original-Envelope-Id and Will-Retry-Until (RFC 3464 §2.3.9)', () => {
    const report = parseDsn(crlf(fixture('rfc3464-delayed.eml')));
    expect(report.perMessage.originalEnvelopeId).toBe('0GK500B4HD0888@mail.example.com');
    const [r] = report.recipients;
    expect(r?.action).toBe('delayed');
    expect(r?.status).toBe('4.4.7');
    expect(r?.willRetryUntil?.toISOString()).toBe('2026-01-12T03:58:21.000Z');
    expect(report.returned).toBeUndefined();
  });
});

describe('parseDsn: real-world shapes', () => {
  it('reads a Postfix-style bounce: four-space folds, X-Postfix fields, headers returned', () => {
    const report = parseDsn(crlf(fixture('postfix-bounce.eml')));
    const [r] = report.recipients;
    expect(r?.diagnosticCode).toEqual({
      type: 'smtp',
      text: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(r?.remoteMta).toEqual({ type: 'dns', name: 'mx.example.org' });
    expect(report.perMessage.fields).toContainEqual({
      name: 'X-Postfix-Queue-ID',
      value: '4BDF6C0A2E',
    });
    expect(report.perMessage.arrivalDate?.toISOString()).toBe('2026-01-02T03:04:01.000Z');
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
    expect(utf8(report.returned?.bytes ?? new Uint8Array())).toMatch(
      /^Return-Path: <alice@example.com>\r\n/,
    );
    expect(report.headers.find((h) => h.name === 'Subject')?.value).toBe(
      'Undelivered Mail Returned to Sender',
    );
  });

  it('reads an RFC 6533 report: utf-8 address forms, quoted-printable text, base64 global headers', () => {
    const report = parseDsn(crlf(fixture('rfc6533-global.eml')));
    expect(report.global).toBe(true);
    expect(report.text).toBe('メールを配送できませんでした。');
    const [a, b] = report.recipients;
    expect(a?.originalRecipient).toEqual({ addrType: 'utf-8', address: '鈴木+tag@例え.jp' });
    expect(a?.finalRecipient).toEqual({ addrType: 'utf-8', address: '鈴木@例え.jp' });
    expect(a?.diagnosticCode?.text).toBe('550 5.1.1 宛先がありません');
    // utf-8-addr-xtext (RFC 6533 §3), the 7-bit form.
    expect(b?.originalRecipient).toEqual({ addrType: 'utf-8', address: 'sato=x@例え.jp' });
    expect(report.returned).toEqual({
      kind: 'headers',
      contentType: 'message/global-headers',
      bytes: new TextEncoder().encode('From: 山田@例え.jp\r\nSubject: こんにちは\r\n'),
    });
  });

  it.each(FIXTURES)('%s: LF-only line ends read the same as CRLF', (name) => {
    const a = parseDsn(crlf(fixture(name)));
    const b = parseDsn(lf(fixture(name)));
    expect(b.recipients).toEqual(a.recipients);
    expect(b.perMessage).toEqual(a.perMessage);
    expect(b.text).toBe(a.text);
  });

  it.each(FIXTURES)('%s: a view into a larger buffer reads the same', (name) => {
    const bytes = crlf(fixture(name));
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    expect(parseDsn(padded.subarray(5, 5 + bytes.length))).toEqual(parseDsn(bytes));
  });
});

describe('parseDsn: what is not a DSN', () => {
  it('refuses bytes without a header section (ERR_DSN_NOT_A_REPORT)', () => {
    expect(codeOf(() => parseDsn(lf('garbage')))).toBe('ERR_DSN_NOT_A_REPORT');
    expect(codeOf(() => parseDsn(new Uint8Array()))).toBe('ERR_DSN_NOT_A_REPORT');
  });

  it('refuses a message without a delivery-status part (ERR_DSN_NOT_A_REPORT)', () => {
    expect(codeOf(() => parseDsn(lf('Subject: hi\n\nbody\n')))).toBe('ERR_DSN_NOT_A_REPORT');
  });

  it('refuses a delivery-status without recipients or a required field (ERR_DSN_SYNTAX)', () => {
    const report = (status: string) =>
      lf(
        `Content-Type: multipart/report; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n${status}\n--b--\n`,
      );
    expect(codeOf(() => parseDsn(report('Reporting-MTA: dns; a')))).toBe('ERR_DSN_SYNTAX');
    const noStatus = 'Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b@c\nAction: failed\n';
    expect(codeOf(() => parseDsn(report(noStatus)))).toBe('ERR_DSN_SYNTAX');
    const badAction = `${noStatus.replace('failed', 'bounced')}Status: 5.0.0\n`;
    expect(codeOf(() => parseDsn(report(badAction)))).toBe('ERR_DSN_SYNTAX');
    const badStatus = `${noStatus}Status: 5.01.0\n`;
    expect(codeOf(() => parseDsn(report(badStatus)))).toBe('ERR_DSN_SYNTAX');
  });

  it('reads a truncated report (no close delimiter) as far as it goes', () => {
    const text = fixture('rfc3464-delayed.eml');
    const cut = text.slice(0, text.indexOf('--simple-boundary-42--'));
    expect(parseDsn(crlf(cut)).recipients[0]?.status).toBe('4.4.7');
  });

  it('refuses more than maxBytes (ERR_DSN_TOO_LARGE)', () => {
    expect(codeOf(() => parseDsn(crlf(fixture('rfc3464-delayed.eml')), { maxBytes: 100 }))).toBe(
      'ERR_DSN_TOO_LARGE',
    );
  });
});
