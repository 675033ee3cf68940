// Attack: a command hidden behind a bare LF. RFC 5321 §2.3.8: lines end with CRLF; a server that
// answers `NOOP<LF>` with 500 and then reads `RSET<CRLF>` as the next command runs what the client
// put behind the bare LF, and `MAIL FROM:<a@b.example><LF>RCPT TO:<victim@example.com><CRLF>`
// would add a recipient. The whole line up to the CRLF is one refused line: one 500, nothing run.
// Written against the public API only (`ServerSession` from the package index).
import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
import { describe, expect, it } from 'vitest';
import { ServerSession, type ServerSessionOptions, type SessionEvent } from '../index.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

const codes = (events: readonly SessionEvent[]): number[] =>
  events.flatMap((e) => (e.type === 'write' ? [e.reply.code] : []));

function session(overrides: Partial<ServerSessionOptions> = {}): ServerSession {
  const s = new ServerSession({
    hostname: 'mx.example',
    registry: createRegistry(defaultExtensions()),
    ...overrides,
  });
  s.start();
  return s;
}

/** Every event for `text`, sent whole and then one byte at a time to a fresh session each. */
function bothWays(
  prefix: string,
  text: string,
  options?: Partial<ServerSessionOptions>,
): { session: ServerSession; events: SessionEvent[] }[] {
  const whole = session(options);
  whole.receive(enc(prefix));
  const wholeEvents = whole.receive(enc(text));
  const bytewise = session(options);
  bytewise.receive(enc(prefix));
  const bytewiseEvents = [...enc(text)].flatMap((b) => bytewise.receive(Uint8Array.of(b)));
  return [
    { session: whole, events: wholeEvents },
    { session: bytewise, events: bytewiseEvents },
  ];
}

describe('attack: commands behind a bare LF', () => {
  it('answers NOOP<LF>RSET<CRLF> with exactly one 500 and no 250', () => {
    for (const { events } of bothWays('', 'NOOP\nRSET\r\n')) {
      expect(codes(events)).toEqual([500]);
    }
  });

  it('adds no recipient for MAIL FROM:<a@b.example><LF>RCPT TO:<victim@example.com><CRLF>', () => {
    for (const { session: s, events } of bothWays(
      'EHLO client.example\r\n',
      'MAIL FROM:<a@b.example>\nRCPT TO:<victim@example.com>\r\n',
      { hooks: ['mail', 'rcpt'] },
    )) {
      expect(codes(events)).toEqual([500]);
      expect(events.filter((e) => e.type === 'ask')).toEqual([]);
      expect(s.envelope).toBeUndefined();
      // The session still frames on CRLF: the next command is read and answered.
      expect(codes(s.receive(enc('NOOP\r\n')))).toEqual([250]);
    }
  });

  it('adds no recipient to an open transaction for NOOP<LF>RCPT TO:<victim@example.com><CRLF>', () => {
    for (const { session: s, events } of bothWays(
      'EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n',
      'NOOP\nRCPT TO:<victim@example.com>\r\n',
    )) {
      expect(codes(events)).toEqual([500]);
      expect(s.envelope?.recipients).toEqual([]);
    }
  });
});
