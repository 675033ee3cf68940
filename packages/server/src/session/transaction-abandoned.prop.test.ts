import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { drive, enc, testOptions } from './session-driver.test-support.js';
import type { SessionEvent } from './session-events.js';

// Whatever the client sends, every message handed to the data hook ends exactly once: with its
// end (body-end) or its abort (body-abort), by the time the connection ends. A message left
// open would keep its hook waiting for ever (RFC 5321 §4.1.1.5: RSET discards the mail data).
const STEPS = [
  'EHLO c.test\r\n',
  'HELO c.test\r\n',
  'MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\n',
  'MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nBDAT 1\r\nx',
  'RCPT TO:<x@y.test>\r\n',
  'BDAT 1\r\nx',
  'BDAT 2 LAST\r\nyz',
  'BDAT 3\r\nxy',
  'DATA\r\nbody\r\n.\r\n',
  'RSET\r\n',
  'NOOP\r\n',
  'QUIT\r\n',
  'FOO\r\n',
];

function endings(events: readonly SessionEvent[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const e of events) {
    if (e.type === 'body-end' || e.type === 'body-abort') seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
  }
  return seen;
}

describe('data hooks always see their message end or abort', () => {
  it('any command sequence, any chunking: one body-end or body-abort per data ask', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STEPS), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        (steps, cuts) => {
          const s = new ServerSession(testOptions({ hooks: ['data'], limits: { errors: 100 } }));
          const bytes = enc(`EHLO c.test\r\n${steps.join('')}`);
          const all: SessionEvent[] = [...s.start()];
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const n = cuts[i % cuts.length] as number;
            all.push(...drive(s, s.receive(bytes.subarray(at, at + n))));
            at += n;
          }
          all.push(...s.end());
          const asks = all.flatMap((e) => (e.type === 'ask' && e.hook === 'data' ? [e.id] : []));
          const ended = endings(all);
          for (const id of asks) expect(ended.get(id), `ask ${id}`).toBe(1);
          expect([...ended.keys()].every((id) => asks.includes(id))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
