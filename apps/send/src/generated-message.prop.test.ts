import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchMessage, defaultMessage, rfc5322Date } from './generated-message.js';

/** Every CR is followed by LF and every LF preceded by CR (RFC 5321 §2.3.8). */
function onlyCrlf(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) return false;
    if (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d) return false;
  }
  return true;
}

describe('benchMessage', () => {
  it('is exactly the size asked for (when a body fits), CRLF lines of at most 77 octets', () => {
    const head = benchMessage(1, 'a@example.org', ['b@example.com']).length;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), (size) => {
        const m = benchMessage(size, 'a@example.org', ['b@example.com']);
        expect(m.length).toBe(size < head + 2 ? head : size);
        expect(onlyCrlf(m)).toBe(true);
        expect(m.subarray(-2).toString()).toBe('\r\n');
        expect(
          m
            .toString('latin1')
            .split('\r\n')
            .every((line) => line.length <= 77),
        ).toBe(true);
      }),
    );
  });
});

describe('defaultMessage', () => {
  it('has the headers a reader expects, CRLF only', () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const m = defaultMessage({
      from: '',
      to: ['b@example.com', '<c@example.com>'],
      idDomain: 'h.example',
      date,
    });
    const text = m.toString();
    expect(text).toMatch(
      /^Date: Fri, 2 Jan 2026 03:04:05 \+0000\r\nFrom: MAILER-DAEMON\r\nTo: <b@example\.com>, <c@example\.com>\r\nSubject: .+\r\nMessage-ID: <[0-9a-f-]{36}@h\.example>\r\n/,
    );
    expect(onlyCrlf(m)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('rfc5322Date follows RFC 5322 §3.3', () => {
    expect(rfc5322Date(new Date(Date.UTC(1989, 1, 13, 23, 32)))).toBe(
      'Mon, 13 Feb 1989 23:32:00 +0000',
    );
  });
});
