/** The README snippet, as a test: its printed values are the asserted ones. */
import { describe, expect, it } from 'vitest';
import {
  AddressError,
  domainsEqual,
  formatMailbox,
  formatPath,
  isAddressError,
  parseDomain,
  parseMailbox,
  requiresSmtpUtf8,
  scanForwardPath,
  scanReversePath,
} from './index.js';

describe('README', () => {
  it('runs as documented', () => {
    const line = 'MAIL FROM:<@relay.example:"John Doe"@Example.COM> SIZE=1024';
    const { value, end } = scanReversePath(line, 'MAIL FROM:'.length);
    expect(value).toEqual({
      kind: 'mailbox',
      mailbox: {
        localPart: 'John Doe',
        domain: { kind: 'domain', ascii: 'example.com', unicode: 'example.com' },
      },
    });
    expect(line.slice(end)).toBe(' SIZE=1024');
    expect(formatPath(value)).toBe('<"John Doe"@example.com>');
    expect(scanForwardPath('RCPT TO:<postmaster>', 8).value).toEqual({ kind: 'postmaster' });

    const m = parseMailbox('测试@普遍接受-测试.世界', { smtputf8: true });
    expect(m.domain).toEqual({
      kind: 'domain',
      ascii: 'xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g',
      unicode: '普遍接受-测试.世界',
    });
    expect(formatMailbox(m)).toBe('测试@xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g');
    expect(formatMailbox(m, 'unicode')).toBe('测试@普遍接受-测试.世界');
    expect(requiresSmtpUtf8(m)).toBe(true);
    // The README narrows the mailbox's domain (a Domain or an address literal) before comparing.
    expect(m.domain.kind).toBe('domain');
    if (m.domain.kind === 'domain') {
      expect(domainsEqual(m.domain, parseDomain('XN----F38AM99BQVCD5LIY1CXSG.xn--rhqv96g'))).toBe(
        true,
      );
    }

    let caught: unknown;
    try {
      scanReversePath('<pelé@example.com>');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AddressError);
    expect(isAddressError(caught)).toBe(true);
    if (!isAddressError(caught)) return;
    expect([caught.code, caught.reply?.code, caught.position]).toEqual([
      'ERR_ADDRESS_UTF8_NOT_PERMITTED',
      553,
      4,
    ]);
  });
});
