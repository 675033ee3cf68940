import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { codes, drive, enc, testOptions } from './session-driver.test-support.js';
import type { SessionEvent } from './session-events.js';

// RFC 5321 §4.1.1.5 (RSET): "Any stored sender, recipients, and mail data MUST be discarded, and
// all buffers and state tables cleared." RFC 5321 §4.1.4: an EHLO "issued later in the session"
// resets the transaction like RSET. A message whose BDAT chunks were cut short this way never
// ends, so its data hook must be told (body-abort) or it waits forever.
const TX = 'MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\n';

function dataAsk(events: readonly SessionEvent[]): number {
  const ask = events.find((e) => e.type === 'ask' && e.hook === 'data');
  if (ask?.type !== 'ask') throw new Error('no data ask');
  return ask.id;
}

function aborts(events: readonly SessionEvent[]): number[] {
  return events.flatMap((e) => (e.type === 'body-abort' ? [e.id] : []));
}

describe('a BDAT message abandoned between chunks', () => {
  for (const [lmtp, hello, command] of [
    [false, 'EHLO c.test', 'RSET'],
    [false, 'EHLO c.test', 'EHLO c.test'],
    [false, 'EHLO c.test', 'HELO c.test'],
    [false, 'EHLO c.test', 'QUIT'],
    [true, 'LHLO c.test', 'RSET'],
    [true, 'LHLO c.test', 'LHLO c.test'],
  ] as const) {
    it(`${lmtp ? 'LMTP ' : ''}${command} aborts the open body of the data hook`, () => {
      const s = new ServerSession(testOptions({ lmtp, hooks: ['data'] }));
      s.start();
      const first = s.receive(enc(`${hello}\r\n${TX}BDAT 1\r\nx`));
      const id = dataAsk(first);
      expect(aborts(first)).toEqual([]);
      const events = s.receive(enc(`${command}\r\n`));
      expect(aborts(events)).toEqual([id]);
      // The abort comes before the command's own reply.
      expect(events.findIndex((e) => e.type === 'body-abort')).toBeLessThan(
        events.findIndex((e) => e.type === 'write'),
      );
      expect(codes(events)[0]).toBe(command === 'QUIT' ? 221 : 250);
      // The hook answering late changes nothing.
      expect(codes(s.decide(id, { kind: 'resolved' }))).toEqual([]);
    });
  }

  it('200 abandoned messages on one connection: every data hook is aborted', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    const events = drive(
      s,
      s.receive(enc(`EHLO c.test\r\n${`${TX}BDAT 1\r\nxRSET\r\n`.repeat(200)}`)),
      (e) => (e.hook === 'data' ? undefined : { kind: 'resolved' }),
    );
    const asks = events.flatMap((e) => (e.type === 'ask' && e.hook === 'data' ? [e.id] : []));
    expect(asks).toHaveLength(200);
    expect(aborts(events)).toEqual(asks);
  });

  it('RSET after a chunk that already failed (SIZE) does not abort twice', () => {
    const s = new ServerSession(
      testOptions({
        hooks: ['data'],
        registry: createRegistry(defaultExtensions({ size: { max: 2 } })),
      }),
    );
    s.start();
    const a = s.receive(enc(`EHLO c.test\r\n${TX}BDAT 3\r\nxyzRSET\r\n`));
    expect(aborts(a)).toHaveLength(1);
    expect(codes(a)).toEqual([250, 250, 250, 552, 250]);
  });
});

describe('an EHLO refused by the helo hook keeps the state (RFC 5321 §4.1.4)', () => {
  // RFC 5321 §4.1.4: "The SMTP server MUST stay in the same state after transmitting these
  // replies that it was in before the EHLO was received."
  it('the open transaction survives a refused EHLO', () => {
    const s = new ServerSession(testOptions({ hooks: ['helo'] }));
    s.start();
    let n = 0;
    const events = drive(
      s,
      s.receive(enc(`EHLO good.test\r\n${TX}EHLO bad.test\r\nDATA\r\n`)),
      () =>
        ++n === 1
          ? { kind: 'resolved' }
          : { kind: 'reply', reply: replies.R550_5_7_1_DeliveryNotAuthorized },
    );
    expect(codes(events)).toEqual([250, 250, 250, 550, 354]);
    expect(s.envelope?.recipients).toHaveLength(1);
  });

  it('an accepted second EHLO still resets the transaction', () => {
    const s = new ServerSession(testOptions({ hooks: ['helo'] }));
    s.start();
    const events = drive(s, s.receive(enc(`EHLO good.test\r\n${TX}EHLO again.test\r\nDATA\r\n`)));
    expect(codes(events)).toEqual([250, 250, 250, 250, 503]);
  });

  it('a refused EHLO before any greeting leaves the session ungreeted', () => {
    const s = new ServerSession(testOptions({ hooks: ['helo'] }));
    s.start();
    const events = drive(s, s.receive(enc('EHLO bad.test\r\nMAIL FROM:<a@b.test>\r\n')), () => ({
      kind: 'reply',
      reply: replies.R550_5_7_1_DeliveryNotAuthorized,
    }));
    expect(codes(events)).toEqual([550, 503]);
  });
});

describe('LMTP replies (RFC 2033)', () => {
  // RFC 2033 §4.2: "If there were no successful RCPT commands in the mail transaction, the DATA
  // command MUST fail with a 503 reply code."
  it('DATA without an accepted recipient: 503', () => {
    const s = new ServerSession(testOptions({ lmtp: true }));
    s.start();
    expect(codes(s.receive(enc('LHLO c.test\r\nMAIL FROM:<a@b.test>\r\nDATA\r\n')))).toEqual([
      250, 250, 503,
    ]);
  });

  it('SMTP keeps 554 for DATA without an accepted recipient (RFC 5321 §3.3)', () => {
    const s = new ServerSession(testOptions());
    s.start();
    expect(codes(s.receive(enc('EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nDATA\r\n')))).toEqual([
      250, 250, 554,
    ]);
  });

  // RFC 2033 §4.2: one reply per recipient after the end of the message; every other command
  // (a non-final BDAT chunk included) has exactly one reply, or pipelined replies desynchronise.
  it('a failed non-final BDAT chunk gets one reply, not one per recipient', () => {
    const s = new ServerSession(
      testOptions({
        lmtp: true,
        registry: createRegistry(defaultExtensions({ size: { max: 2 } })),
      }),
    );
    s.start();
    const events = s.receive(
      enc(
        'LHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nRCPT TO:<z@y.test>\r\nBDAT 3\r\nxyzNOOP\r\n',
      ),
    );
    expect(codes(events)).toEqual([250, 250, 250, 250, 552, 250]);
  });

  it('a failed BDAT LAST chunk still gets one reply per recipient', () => {
    const s = new ServerSession(
      testOptions({
        lmtp: true,
        registry: createRegistry(defaultExtensions({ size: { max: 2 } })),
      }),
    );
    s.start();
    const events = s.receive(
      enc(
        'LHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nRCPT TO:<z@y.test>\r\nBDAT 3 LAST\r\nxyzNOOP\r\n',
      ),
    );
    expect(codes(events)).toEqual([250, 250, 250, 250, 552, 552, 250]);
  });
});
