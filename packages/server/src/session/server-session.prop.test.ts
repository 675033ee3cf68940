import { concat } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { drive, enc, testOptions, written } from './session-driver.test-support.js';
import type { SessionEvent } from './session-events.js';

const CLIENT = enc(
  [
    'EHLO client.example',
    'MAIL FROM:<a@example.org> SIZE=100',
    'RCPT TO:<b@example.com>',
    'RCPT TO:<c@example.com> NOTIFY=NEVER',
    'DATA',
    'Subject: x',
    '',
    '..dot-stuffed',
    '.',
    'MAIL FROM:<> BODY=BINARYMIME',
    'RCPT TO:<d@example.com>',
    'BDAT 7',
    'line\r\n.BDAT 0 LAST',
    'VRFY someone',
    'RSET',
    'NOOP',
    'ETRN example.org',
    'QUIT',
    '',
  ].join('\r\n'),
);

/** Splits `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** Feeds chunks, answering every ask at once; returns every event. */
function feed(chunks: readonly Uint8Array[], hooks: string[]): SessionEvent[] {
  const s = new ServerSession(testOptions({ hooks }));
  const events = drive(s, s.start());
  for (const c of chunks) events.push(...drive(s, s.receive(c)));
  return events;
}

const HOOKS = [[], ['mail', 'rcpt', 'data', 'helo', 'etrn']];

describe('ServerSession properties', () => {
  for (const hooks of HOOKS) {
    it(`any chunking of a client dialogue gives the same bytes (hooks: ${hooks.join(',') || 'none'})`, () => {
      const whole = written(feed([CLIENT], hooks));
      expect(whole).toContain('221 2.0.0');
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 40 }), (offsets) => {
          expect(written(feed(split(CLIENT, offsets), hooks))).toBe(whole);
        }),
      );
    });
  }

  it('byte by byte gives the same bytes', () => {
    const chunks = Array.from(CLIENT, (b) => Uint8Array.of(b));
    expect(written(feed(chunks, ['data']))).toBe(written(feed([CLIENT], ['data'])));
  });

  it('the body delivered is the same whatever the chunking', () => {
    const body = (events: SessionEvent[]) =>
      concat(events.flatMap((e) => (e.type === 'body' ? [e.chunk] : [])));
    const reference = body(feed([CLIENT], ['data']));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (offsets) => {
        expect(body(feed(split(CLIENT, offsets), ['data']))).toEqual(reference);
      }),
    );
  });

  const alphabet = fc.constantFrom(
    ...'<>:@.,;="\\\r\n abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\t\0\x7f\xe9'.split(
      '',
    ),
    'MAIL FROM:',
    'RCPT TO:',
    'DATA\r\n',
    'BDAT ',
    ' LAST\r\n',
    'EHLO x\r\n',
    'STARTTLS\r\n',
    'AUTH PLAIN ',
    'AUTH LOGIN\r\n',
    'RSET\r\n',
    '\r\n.\r\n',
    'XCLIENT ',
  );

  it('arbitrary protocol-alphabet input never throws, and nothing follows a close', () => {
    fc.assert(
      fc.property(fc.array(fc.array(alphabet, { maxLength: 30 }), { maxLength: 12 }), (pieces) => {
        const s = new ServerSession(testOptions({ hooks: ['mail', 'rcpt', 'data', 'auth'] }));
        drive(s, s.start());
        let closed = false;
        for (const p of pieces) {
          const events = drive(s, s.receive(enc(p.join(''))));
          if (closed) expect(events).toEqual([]);
          if (events.some((e) => e.type === 'close')) closed = true;
          if (s.state.phase === 'tls-handshake')
            drive(s, s.tlsEstablished({ protocol: 'TLSv1.3', cipher: 'x' }));
        }
      }),
    );
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const s = new ServerSession(testOptions());
        drive(s, s.start());
        drive(s, s.receive(enc('EHLO x.example\r\n')));
        for (const c of chunks) drive(s, s.receive(c));
        drive(s, s.end());
      }),
    );
  });
});
