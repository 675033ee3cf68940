/** buildDsn: what the report returns, and its RFC 6533 forms. */
import { describe, expect, it } from 'vitest';
import { buildDsn } from './build-dsn.js';
import { parseDsn } from './parse-dsn.js';
import { decode, encode, failure } from './test-support.js';

describe('buildDsn: the returned message (RFC 3461 §4.3, RFC 3462/6522 third part)', () => {
  const original = encode('From: alice@example.com\r\nSubject: hi\r\n\r\nHello Bob\r\n');

  it('RET=FULL or no RET: the whole message as message/rfc822', () => {
    for (const ret of ['FULL', undefined] as const) {
      const dsn = buildDsn(
        failure({
          envelope: { sender: 'a@example.com', ...(ret === undefined ? {} : { ret }) },
          original,
        }),
      );
      const returned = parseDsn(dsn.message).returned;
      expect(returned?.kind).toBe('message');
      expect(returned?.contentType).toBe('message/rfc822');
      expect(returned?.bytes).toEqual(original);
    }
  });

  it('RET=HDRS: the header section only, as text/rfc822-headers', () => {
    const dsn = buildDsn(failure({ envelope: { sender: 'a@example.com', ret: 'HDRS' }, original }));
    const returned = parseDsn(dsn.message).returned;
    expect(returned?.contentType).toBe('text/rfc822-headers');
    expect(decode(returned?.bytes ?? new Uint8Array())).toBe(
      'From: alice@example.com\r\nSubject: hi\r\n',
    );
    expect(decode(dsn.message)).not.toContain('Hello Bob');
  });

  it('a message larger than returnFullLimit: headers only', () => {
    const dsn = buildDsn(failure({ original, returnFullLimit: 10 }));
    expect(parseDsn(dsn.message).returned?.kind).toBe('headers');
  });

  it('no failure reported: headers only, whatever RET says', () => {
    for (const [action, status] of [
      ['delayed', '4.4.1'],
      ['delivered', '2.0.0'],
    ] as const) {
      const dsn = buildDsn(
        failure({
          envelope: { sender: 'a@example.com', ret: 'FULL' },
          original,
          recipients: [{ address: 'b@x.org', action, status }],
        }),
      );
      expect(parseDsn(dsn.message).returned?.kind).toBe('headers');
    }
  });

  it('a line longer than 998 octets in the message: headers only; no original: two parts', () => {
    const long = encode(`Subject: x\r\n\r\n${'y'.repeat(1200)}\r\n`);
    expect(parseDsn(buildDsn(failure({ original: long })).message).returned?.kind).toBe('headers');
    const { original: _, ...without } = failure();
    expect(parseDsn(buildDsn(without).message).returned).toBeUndefined();
  });

  it('8-bit content: the part says 8bit and the DSN needs BODY=8BITMIME', () => {
    const eight = new Uint8Array([...encode('Subject: caf'), 0xe9, ...encode('\r\n\r\nbody\r\n')]);
    const dsn = buildDsn(failure({ original: eight }));
    expect(dsn.body).toBe('8BITMIME');
    expect(parseDsn(dsn.message).returned?.bytes).toEqual(eight);
  });
});

describe('buildDsn: RFC 6533 internationalized DSNs', () => {
  it('an SMTPUTF8 message: message/global-delivery-status, message/global, utf-8 address type', () => {
    const dsn = buildDsn(
      failure({
        envelope: { sender: '山田@例え.jp', smtputf8: true },
        recipients: [
          {
            address: '鈴木@例え.jp',
            orcpt: { addrType: 'utf-8', address: '鈴木+tag@例え.jp' },
            action: 'failed',
            reply: { code: 550, enhanced: '5.1.1', text: '宛先がありません' },
          },
        ],
        original: encode('From: 山田@例え.jp\r\nSubject: こんにちは\r\n\r\n本文\r\n'),
      }),
    );
    expect(dsn.smtputf8).toBe(true);
    expect(dsn.body).toBe('8BITMIME');
    const text = decode(dsn.message);
    expect(text).toContain('Content-Type: message/global-delivery-status\r\n');
    expect(text).toContain('Content-Type: message/global\r\n');
    expect(text).toContain('Final-Recipient: utf-8; 鈴木@例え.jp\r\n');
    expect(text).toContain('Original-Recipient: utf-8; 鈴木+tag@例え.jp\r\n');
    const report = parseDsn(dsn.message);
    expect(report.global).toBe(true);
    expect(report.recipients[0]?.originalRecipient).toEqual({
      addrType: 'utf-8',
      address: '鈴木+tag@例え.jp',
    });
    expect(report.recipients[0]?.diagnosticCode?.text).toBe('550 5.1.1 宛先がありません');
  });

  it('global headers only for RET=HDRS: message/global-headers', () => {
    const dsn = buildDsn(
      failure({
        envelope: { sender: '山田@例え.jp', smtputf8: true, ret: 'HDRS' },
        original: encode('Subject: こんにちは\r\n\r\n本文\r\n'),
      }),
    );
    expect(parseDsn(dsn.message).returned?.contentType).toBe('message/global-headers');
  });

  it('an ASCII report keeps a UTF-8 ORCPT in the 7-bit utf-8-addr-xtext form', () => {
    const dsn = buildDsn(
      failure({
        recipients: [
          {
            address: 'bob@example.org',
            orcpt: { addrType: 'utf-8', address: 'e=mc2@ドメ.jp' },
            action: 'failed',
            status: '5.1.1',
          },
        ],
      }),
    );
    const text = decode(dsn.message);
    expect(text).toContain('Content-Type: message/delivery-status\r\n');
    expect(text).toContain('Original-Recipient: utf-8; e\\x{3D}mc2@\\x{30C9}\\x{30E1}.jp\r\n');
    expect(dsn.message.every((b) => b < 0x80)).toBe(true);
    expect(parseDsn(dsn.message).recipients[0]?.originalRecipient).toEqual({
      addrType: 'utf-8',
      address: 'e=mc2@ドメ.jp',
    });
  });

  it('a UTF-8 recipient makes the report global even without the SMTPUTF8 flag', () => {
    const dsn = buildDsn(
      failure({ recipients: [{ address: 'ü@example.org', action: 'failed', status: '5.1.1' }] }),
    );
    expect(dsn.smtputf8).toBe(true);
    expect(parseDsn(dsn.message).global).toBe(true);
  });
});

describe('buildDsn: UTF-8 in the header fields', () => {
  it('a UTF-8 Subject or From needs SMTPUTF8 (RFC 6532) even in an ASCII report', () => {
    const dsn = buildDsn(failure({ subject: 'Non remis : adresse inconnue – échec' }));
    expect(dsn.smtputf8).toBe(true);
    expect(parseDsn(dsn.message).global).toBe(false);
    expect(buildDsn(failure({ from: 'rückläufer@example.com' })).smtputf8).toBe(true);
    expect(() => buildDsn(failure({ fromName: 'Rückläufer' }))).toThrow(/printable ASCII/);
  });
});
