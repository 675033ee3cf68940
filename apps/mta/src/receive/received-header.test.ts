import { describe, expect, it } from 'vitest';
import { receivedHeader, withProtocol } from './received-header.js';

const base = {
  helo: 'client.example',
  remoteAddress: '192.0.2.1',
  by: 'mx.example.org',
  esmtp: true,
  smtputf8: false,
  id: 's1',
  date: new Date(Date.UTC(2026, 11, 7, 19, 0, 5)),
};

describe('Received: (RFC 5321 §4.4)', () => {
  it('writes from, by, with, id and the date, folded with CRLF', () => {
    expect(receivedHeader(base)).toBe(
      'Received: from client.example ([192.0.2.1])\r\n\tby mx.example.org (smtpkit) with ESMTP id s1;\r\n\tMon, 7 Dec 2026 19:00:05 +0000\r\n',
    );
  });

  it('names the TLS version and cipher and the user (RFC 8314 §7), and the protocol type (RFC 3848)', () => {
    const text = receivedHeader({
      ...base,
      tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
      user: 'alice',
      for: 'bob@example.org',
    });
    expect(text).toContain(
      '(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384) (authenticated as alice)',
    );
    expect(text).toContain('with ESMTPSA id s1');
    expect(text).toContain('for <bob@example.org>;');
  });

  it.each([
    [{ esmtp: false }, 'SMTP'],
    [{}, 'ESMTP'],
    [{ tls: {} }, 'ESMTPS'],
    [{ user: 'a' }, 'ESMTPA'],
    [{ smtputf8: true, tls: {}, user: 'a' }, 'UTF8SMTPSA'],
    [{ lmtp: true }, 'LMTP'],
  ])('protocol type %j → %s', (facts, expected) => {
    expect(withProtocol({ ...base, ...facts })).toBe(expected);
  });

  it('never lets client-chosen text break the field', () => {
    const text = receivedHeader({ ...base, helo: 'evil\r\nX-Injected: 1', user: 'a)b\r\n' });
    expect(text).not.toContain('\r\nX-Injected');
    expect(text.split('\r\n').every((l, i) => i === 0 || l === '' || l.startsWith('\t'))).toBe(
      true,
    );
  });

  it('writes an IPv6 client as an address literal', () => {
    expect(receivedHeader({ ...base, remoteAddress: '2001:db8::1' })).toContain(
      '([IPv6:2001:db8::1])',
    );
  });
});
