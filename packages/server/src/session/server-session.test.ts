import { createRegistry, defaultExtensions, etrn, etrnReplies } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { xclient, xclientAttributesOf } from '../proxy/xclient-extension.js';
import { ServerSession } from './server-session.js';
import {
  codes,
  drive,
  enc,
  fullExtensions,
  started,
  testOptions,
  written,
} from './session-driver.test-support.js';
import type { SessionEvent } from './session-events.js';

const EHLO = 'EHLO client.example\r\n';
const TX = `${EHLO}MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n`;

function bodyOf(events: readonly SessionEvent[]): string {
  return events
    .flatMap((e) => (e.type === 'body' ? [new TextDecoder('latin1').decode(e.chunk)] : []))
    .join('');
}

describe('ServerSession: start and greeting', () => {
  it('sends the banner at once without a connect hook', () => {
    const s = new ServerSession(testOptions());
    const events = s.start();
    expect(written(events)).toBe('220 mx.example ESMTP Service ready\r\n');
  });

  it('asks the connect hook first and sends its refusal, then closes', () => {
    const s = new ServerSession(testOptions({ hooks: ['connect'] }));
    const events = drive(s, s.start(), () => ({
      kind: 'reply',
      reply: replies.R554_NoSmtpServiceHere,
    }));
    expect(codes(events)).toEqual([554]);
    expect(events.at(-1)).toEqual({ type: 'close', reason: 'refused' });
  });

  it('refuses an early talker (bytes before the banner) with 554 5.5.0 and closes', () => {
    const s = new ServerSession(testOptions({ hooks: ['connect'] }));
    const ask = s.start();
    expect(ask[0]?.type).toBe('ask');
    const events = s.receive(enc(EHLO));
    // RFC 2034: no enhanced code before ENHANCEDSTATUSCODES was offered.
    expect(written(events)).toBe('554 Protocol error: client sent data before the greeting\r\n');
    expect(events.at(-1)).toEqual({ type: 'close', reason: 'early-talker' });
    expect(s.closed).toBe(true);
  });

  it('closes an HTTP request without a reply', () => {
    const s = started();
    const events = s.receive(enc('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(codes(events)).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'close', reason: 'http-probe' });
  });
});

describe('ServerSession: sequencing (the transitions table)', () => {
  const cases: [string, string, number][] = [
    ['before EHLO', 'MAIL FROM:<a@b.example>', 503],
    ['before EHLO', 'RCPT TO:<a@b.example>', 503],
    ['before EHLO', 'DATA', 503],
    ['before EHLO', 'NOOP', 250],
    ['before EHLO', 'RSET', 250],
    ['before EHLO', 'VRFY x', 252],
    ['before EHLO', 'HELP', 214],
    ['before EHLO', 'LHLO x.example', 500],
    ['greeted', 'RCPT TO:<a@b.example>', 503],
    ['greeted', 'DATA', 503],
    ['greeted', 'EXPN list', 502],
    ['greeted', 'BDAT 0 LAST', 503],
    ['greeted', 'FOO', 500],
    ['in MAIL', 'MAIL FROM:<a@b.example>', 503],
    ['in MAIL', 'DATA', 554],
    ['in RCPT', 'MAIL FROM:<a@b.example>', 503],
    ['in RCPT', 'STARTTLS', 503],
  ];
  const prefix: Record<string, string> = {
    'before EHLO': '',
    greeted: EHLO,
    'in MAIL': `${EHLO}MAIL FROM:<a@example.org>\r\n`,
    'in RCPT': TX,
  };
  for (const [phase, line, code] of cases) {
    it(`${phase}: ${line} → ${code}`, () => {
      const s = started();
      drive(s, s.receive(enc(prefix[phase] as string)));
      expect(codes(drive(s, s.receive(enc(`${line}\r\n`))))).toEqual([code]);
    });
  }

  it('RSET and a new EHLO end the transaction (RFC 5321 §4.1.1.5, §4.1.4)', () => {
    for (const reset of ['RSET', 'EHLO again.example']) {
      const s = started();
      drive(s, s.receive(enc(TX)));
      const events = drive(s, s.receive(enc(`${reset}\r\nDATA\r\n`)));
      expect(codes(events)).toEqual([250, 503]);
    }
  });

  it('LMTP: LHLO only (RFC 2033 §4.1)', () => {
    const s = started(testOptions({ lmtp: true }));
    expect(codes(s.receive(enc('EHLO x.example\r\nHELO x.example\r\nLHLO x.example\r\n')))).toEqual(
      [500, 500, 250],
    );
  });
});

describe('ServerSession: pipelining (RFC 2920)', () => {
  it('buffers commands while a hook is pending and replies in order', () => {
    const s = new ServerSession(testOptions({ hooks: ['mail'] }));
    s.start();
    const first = s.receive(enc(`${TX}DATA\r\n`));
    expect(codes(first)).toEqual([250]);
    const ask = first.find((e) => e.type === 'ask');
    expect(ask?.type === 'ask' && ask.hook).toBe('mail');
    expect(s.bufferedLength).toBeGreaterThan(0);
    expect(s.awaitingDecision).toBe(true);
    const rest = s.decide((ask as { id: number }).id, { kind: 'resolved' });
    expect(codes(rest)).toEqual([250, 250, 354]);
    expect(s.awaitingDecision).toBe(false);
  });

  it('awaitingDecision: only while a hook decides on a command; the data hook runs alongside', () => {
    const s = new ServerSession(testOptions({ hooks: ['rcpt', 'data'] }));
    s.start();
    expect(s.awaitingDecision).toBe(false);
    const rcpt = s.receive(enc(TX)).find((e) => e.type === 'ask');
    expect(s.awaitingDecision).toBe(true);
    s.decide((rcpt as { id: number }).id, { kind: 'resolved' });
    expect(s.awaitingDecision).toBe(false);
    // DATA: the data hook is asked while the body streams; the session reads on.
    const data = s.receive(enc('DATA\r\nbody\r\n')).find((e) => e.type === 'ask');
    expect(data?.type === 'ask' && data.hook).toBe('data');
    expect(s.awaitingDecision).toBe(false);
    // The body ended: now the final reply waits for it.
    s.receive(enc('.\r\n'));
    expect(s.awaitingDecision).toBe(true);
    expect(codes(s.decide((data as { id: number }).id, { kind: 'resolved' }))).toEqual([250]);
    expect(s.awaitingDecision).toBe(false);
  });

  it('wantsPause once more than maxPendingBytes are buffered behind a hook', () => {
    const s = new ServerSession(testOptions({ hooks: ['mail'], limits: { maxPendingBytes: 100 } }));
    s.start();
    s.receive(enc(`${EHLO}MAIL FROM:<a@example.org>\r\n`));
    expect(s.wantsPause).toBe(false);
    s.receive(enc('NOOP\r\n'.repeat(30)));
    expect(s.wantsPause).toBe(true);
  });

  it('ignores stale or unknown decisions', () => {
    const s = started();
    expect(s.decide(999, { kind: 'resolved' })).toEqual([]);
  });
});

describe('ServerSession: DATA', () => {
  it('streams the unstuffed body and replies after the data hook decides', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    const a = s.receive(enc(`${TX}DATA\r\n`));
    const ask = a.find((e) => e.type === 'ask' && e.hook === 'data') as { id: number };
    const b = s.receive(enc('Subject: x\r\n\r\n..leading dot\r\n.\r\nNOOP\r\n'));
    expect(bodyOf(b)).toBe('Subject: x\r\n\r\n.leading dot\r\n');
    expect(b.some((e) => e.type === 'body-end')).toBe(true);
    expect(codes(b)).toEqual([]); // no final reply before the hook resolved; NOOP waits too
    expect(s.timeoutFor()).toBe(600_000); // RFC 5321 §4.5.3.2.6
    expect(codes(s.decide(ask.id, { kind: 'resolved' }))).toEqual([250, 250]);
  });

  it('a data hook answering before the end of the body: its reply comes after the terminator', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    const a = s.receive(enc(`${TX}DATA\r\n`));
    const ask = a.find((e) => e.type === 'ask') as { id: number };
    expect(
      s.decide(ask.id, { kind: 'reply', reply: replies.R550_5_7_1_DeliveryNotAuthorized }),
    ).toEqual([]);
    expect(codes(s.receive(enc('x\r\n.\r\n')))).toEqual([550]);
  });

  it('a hook error gives 451 4.3.0 and a log event', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    const a = s.receive(enc(`${TX}DATA\r\nx\r\n.\r\n`));
    const ask = a.find((e) => e.type === 'ask') as { id: number };
    const events = s.decide(ask.id, { kind: 'error', error: new Error('disk full') });
    expect(written(events)).toBe(
      '451 4.3.0 Requested action aborted: local error in processing\r\n',
    );
    expect(events.some((e) => e.type === 'log' && e.level === 'error')).toBe(true);
  });

  it('SIZE is enforced while receiving: 552 5.3.4 after the terminator, body aborted', () => {
    const s = new ServerSession(
      testOptions({
        hooks: ['data'],
        registry: createRegistry(defaultExtensions({ size: { max: 10 } })),
      }),
    );
    s.start();
    s.receive(enc(`${TX}DATA\r\n`));
    const big = s.receive(enc('0123456789ABCDEF\r\n'));
    expect(big.some((e) => e.type === 'body-abort')).toBe(true);
    expect(bodyOf(big)).toBe('');
    const end = s.receive(enc('.\r\nNOOP\r\n'));
    expect(written(end)).toBe(
      '552 5.3.4 Message size exceeds fixed maximum message size\r\n250 2.0.0 OK\r\n',
    );
  });

  it('a declared SIZE over the limit is refused at MAIL (RFC 1870 §6.1)', () => {
    const s = started(
      testOptions({ registry: createRegistry(defaultExtensions({ size: { max: 10 } })) }),
    );
    expect(codes(s.receive(enc(`${EHLO}MAIL FROM:<a@b.example> SIZE=11\r\n`)))).toEqual([250, 552]);
  });

  it('bare LF in DATA (SMTP smuggling) refuses the message with 554 5.6.0', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    s.receive(enc(`${TX}DATA\r\n`));
    const events = s.receive(enc('a\n.\nMAIL FROM:<evil@x.example>\r\n.\r\n'));
    expect(events.some((e) => e.type === 'body-abort')).toBe(true);
    expect(codes(events)).toEqual([554]);
  });

  it('bareLineEndings normalize: the message is accepted', () => {
    const s = started(testOptions({ policy: { bareLineEndings: 'normalize' } }));
    s.receive(enc(`${TX}DATA\r\n`));
    expect(codes(s.receive(enc('a\nb\r\n.\r\n')))).toEqual([250]);
  });

  it('lines over 1000 octets: refused by default (RFC 5321 §4.5.3.1.6), accepted with longLines: ignore', () => {
    const line = `${'x'.repeat(1200)}\r\n.\r\n`;
    const strict = started();
    strict.receive(enc(`${TX}DATA\r\n`));
    expect(codes(strict.receive(enc(line)))).toEqual([554]);
    const lenient = started(testOptions({ policy: { longLines: 'ignore' } }));
    lenient.receive(enc(`${TX}DATA\r\n`));
    expect(codes(lenient.receive(enc(line)))).toEqual([250]);
  });

  it('LMTP: one reply per accepted recipient after the message (RFC 2033 §4.2)', () => {
    const s = new ServerSession(testOptions({ lmtp: true, hooks: ['data'] }));
    s.start();
    const a = s.receive(
      enc(
        'LHLO c.example\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.example>\r\nRCPT TO:<b@x.example>\r\nDATA\r\nhi\r\n.\r\n',
      ),
    );
    const ask = a.find((e) => e.type === 'ask') as { id: number };
    const events = s.decide(ask.id, {
      kind: 'resolved',
      value: [replies.R250_2_0_0_MessageAccepted, replies.R452_4_2_2_MailboxFull],
    });
    expect(codes(events)).toEqual([250, 452]);
  });
});

describe('ServerSession: BDAT (RFC 3030)', () => {
  it('LMTP with BDAT: one reply per recipient after LAST (RFC 2033 §4.2)', () => {
    const s = new ServerSession(testOptions({ lmtp: true, hooks: ['data'] }));
    s.start();
    const a = drive(
      s,
      s.receive(
        enc(
          'LHLO c.example\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.example>\r\nRCPT TO:<b@x.example>\r\nBDAT 2 LAST\r\nhi',
        ),
      ),
      (e) => (e.hook === 'data' ? undefined : { kind: 'resolved' }),
    );
    const ask = a.find((e) => e.type === 'ask' && e.hook === 'data') as { id: number };
    expect(
      codes(s.decide(ask.id, { kind: 'reply', reply: replies.R451_4_3_0_LocalError })),
    ).toEqual([451, 451]);
  });

  it('reads chunks as octets, 250 per chunk, the final reply after LAST', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    const a = drive(s, s.receive(enc(`${TX}BDAT 5\r\nab\r\nxBDAT 3 LAST\r\n.\r\n`)), (e) =>
      e.hook === 'data' ? undefined : { kind: 'resolved' },
    );
    expect(bodyOf(a)).toBe('ab\r\nx.\r\n');
    const ask = a.find((e) => e.type === 'ask' && e.hook === 'data') as { id: number };
    expect(codes(a)).toEqual([250, 250, 250, 250]);
    expect(codes(s.decide(ask.id, { kind: 'resolved' }))).toEqual([250]);
  });

  it('a refused BDAT still consumes its octets (no desync)', () => {
    const s = started();
    drive(s, s.receive(enc(EHLO)));
    const events = s.receive(enc('BDAT 17\r\nMAIL FROM:<a@b.c>NOOP\r\n'));
    expect(codes(events)).toEqual([503, 250]);
  });

  it('an unreadable BDAT size closes the connection', () => {
    const s = started();
    drive(s, s.receive(enc(TX)));
    const events = s.receive(enc('BDAT x1\r\n'));
    expect(codes(events)).toEqual([501]);
    expect(events.at(-1)?.type).toBe('close');
  });

  it('a chunk over SIZE gets 552 and ends the transaction', () => {
    const s = started(
      testOptions({ registry: createRegistry(defaultExtensions({ size: { max: 4 } })) }),
    );
    drive(s, s.receive(enc(TX)));
    expect(codes(s.receive(enc('BDAT 6\r\n123456BDAT 1 LAST\r\nx')))).toEqual([552, 503]);
  });

  it('DATA after BDAT is refused (RFC 3030 §2)', () => {
    const s = started();
    drive(s, s.receive(enc(TX)));
    expect(codes(s.receive(enc('BDAT 1\r\nxDATA\r\n')))).toEqual([250, 503]);
  });
});

describe('ServerSession: SMTPUTF8 (RFC 6531)', () => {
  it('refuses a non-ASCII address without the SMTPUTF8 parameter (553 5.6.7)', () => {
    const s = started();
    expect(codes(s.receive(enc(`${EHLO}MAIL FROM:<δοκιμή@example.org>\r\n`)))).toEqual([250, 553]);
  });

  it('accepts it with the parameter, and non-ASCII recipients in that transaction', () => {
    const s = started();
    expect(
      codes(
        s.receive(
          enc(`${EHLO}MAIL FROM:<δοκιμή@example.org> SMTPUTF8\r\nRCPT TO:<用户@例子.广告>\r\n`),
        ),
      ),
    ).toEqual([250, 250, 250]);
  });
});

describe('ServerSession: STARTTLS (RFC 3207)', () => {
  it('discards plaintext pipelined after STARTTLS and requires EHLO again', () => {
    const s = started();
    const events = s.receive(enc(`${EHLO}STARTTLS\r\nMAIL FROM:<injected@x.example>\r\n`));
    expect(codes(events)).toEqual([250, 220]);
    expect(events.some((e) => e.type === 'starttls')).toBe(true);
    expect(events.some((e) => e.type === 'log' && e.message.includes('discarded'))).toBe(true);
    expect(s.timeoutFor()).toBe(30_000);
    s.tlsEstablished({ protocol: 'TLSv1.3', cipher: 'x' });
    expect(codes(s.receive(enc('MAIL FROM:<a@b.example>\r\n')))).toEqual([503]);
    expect(codes(s.receive(enc(EHLO)))).toEqual([250]);
    expect(s.tlsInfo?.protocol).toBe('TLSv1.3');
  });
});

describe('ServerSession: AUTH (RFC 4954)', () => {
  it('PLAIN with an initial response, verified by the auth hook', () => {
    const s = new ServerSession(testOptions({ hooks: ['auth'] }));
    s.start();
    const creds = btoa('\0tim\0tanstaaf');
    const events = drive(s, s.receive(enc(`${EHLO}AUTH PLAIN ${creds}\r\n`)), (e) => {
      const c = (e.payload as { credentials: { username: string; password?: string } }).credentials;
      return { kind: 'resolved', value: c.username === 'tim' && c.password === 'tanstaaf' };
    });
    expect(codes(events)).toEqual([250, 235]);
    expect(s.user).toBe('tim');
    expect(codes(s.receive(enc(`AUTH PLAIN ${creds}\r\n`)))).toEqual([503]);
  });

  it('LOGIN cancelled with "*" (501), then a wrong password (535)', () => {
    const s = new ServerSession(testOptions({ hooks: ['auth'] }));
    s.start();
    const a = s.receive(enc(`${EHLO}AUTH LOGIN\r\n*\r\n`));
    expect(codes(a)).toEqual([250, 334, 501]);
    const b = drive(
      s,
      s.receive(enc(`AUTH LOGIN\r\n${btoa('tim')}\r\n${btoa('bad')}\r\n`)),
      () => ({
        kind: 'resolved',
        value: false,
      }),
    );
    expect(codes(b)).toEqual([334, 334, 535]);
  });

  it('policy authWithoutTls: false refuses AUTH in plaintext (538 5.7.11)', () => {
    const s = started(testOptions({ policy: { authWithoutTls: false } }));
    expect(codes(s.receive(enc(`${EHLO}AUTH PLAIN\r\n`)))).toEqual([250, 538]);
  });

  it('the secrets never appear in events', () => {
    const s = new ServerSession(testOptions({ hooks: ['auth'] }));
    s.start();
    const events = drive(
      s,
      s.receive(enc(`${EHLO}AUTH PLAIN ${btoa('\0tim\0s3cr3t-pw')}\r\n`)),
      () => ({
        kind: 'resolved',
        value: true,
      }),
    );
    expect(JSON.stringify(events.filter((e) => e.type !== 'write'))).not.toContain('s3cr3t-pw');
  });
});

describe('ServerSession: extension verbs and VRFY/EXPN policies', () => {
  it('ETRN asks its hook and sends the reply (RFC 1985)', () => {
    const s = new ServerSession(testOptions({ hooks: ['etrn'] }));
    s.start();
    const events = drive(s, s.receive(enc(`${EHLO}ETRN @example.org\r\n`)), (e) => ({
      kind: 'resolved',
      value: etrnReplies.R250_2_0_0_QueuingStarted((e.payload as { node: string }).node),
    }));
    expect(codes(events)).toEqual([250, 250]);
  });

  it('ETRN without a hook: 502', () => {
    const s = started(testOptions({ registry: createRegistry([...defaultExtensions(), etrn()]) }));
    expect(codes(s.receive(enc(`${EHLO}ETRN example.org\r\n`)))).toEqual([250, 502]);
  });

  it('VRFY disabled: 502', () => {
    const s = started(testOptions({ policy: { vrfy: 'disabled' } }));
    expect(codes(s.receive(enc('VRFY x\r\n')))).toEqual([502]);
  });
});

describe('ServerSession: limits', () => {
  it('recipients beyond the limit get 452 4.5.3', () => {
    const s = started(testOptions({ limits: { recipients: 2 } }));
    const events = s.receive(
      enc(`${EHLO}MAIL FROM:<>\r\n${'RCPT TO:<a@b.example>\r\n'.repeat(3)}`),
    );
    expect(codes(events)).toEqual([250, 250, 250, 250, 452]);
  });

  it('too many errors: 421 4.7.0 and close', () => {
    const s = started(testOptions({ limits: { errors: 2 } }));
    const events = s.receive(
      enc('MAIL FROM:<a@b.example>\r\nDATA\r\nRCPT TO:<a@b.example>\r\nNOOP\r\n'),
    );
    expect(codes(events)).toEqual([503, 503, 421]);
    expect(events.at(-1)).toEqual({ type: 'close', reason: 'too-many-errors' });
  });

  it('too many unknown commands: 421 and close', () => {
    const s = started(testOptions({ limits: { unknownCommands: 1 } }));
    expect(codes(s.receive(enc('FOO\r\nBAR\r\n')))).toEqual([500, 421]);
  });

  it('an over-long command line gets 500 5.5.2', () => {
    const s = started();
    expect(codes(s.receive(enc(`NOOP ${'x'.repeat(600)}\r\nNOOP\r\n`)))).toEqual([500, 250]);
  });
});

describe('ServerSession: timeouts and shutdown', () => {
  it('says which RFC 5321 §4.5.3.2 timeout applies per phase', () => {
    const s = new ServerSession(
      testOptions({
        limits: { timeouts: { command: 1, mail: 2, rcpt: 3, dataInit: 4, dataBlock: 5 } },
      }),
    );
    s.start();
    expect(s.timeoutFor()).toBe(1);
    s.receive(enc(`${EHLO}MAIL FROM:<>\r\n`));
    expect(s.timeoutFor()).toBe(2);
    s.receive(enc('RCPT TO:<a@b.example>\r\n'));
    expect(s.timeoutFor()).toBe(3);
    s.receive(enc('DATA\r\n'));
    expect(s.timeoutFor()).toBe(4);
    s.receive(enc('x'));
    expect(s.timeoutFor()).toBe(5);
    const events = s.timeout();
    expect(codes(events)).toEqual([421]);
    expect(s.timeoutFor()).toBeUndefined();
  });

  it('shutdown: idle sessions get 421 4.3.2 at once', () => {
    const s = started();
    expect(written(s.shutdown())).toBe('421 Service shutting down, closing connection\r\n');
    const t = started();
    t.receive(enc(EHLO));
    expect(written(t.shutdown())).toBe('421 4.3.2 Service shutting down, closing connection\r\n');
  });

  it('shutdown: a transaction in flight finishes first', () => {
    const s = started();
    s.receive(enc(`${TX}DATA\r\n`));
    expect(codes(s.shutdown())).toEqual([]);
    const events = s.receive(enc('x\r\n.\r\n'));
    expect(codes(events)).toEqual([250, 421]);
    expect(s.closed).toBe(true);
  });

  it('the peer closing mid-body aborts the body', () => {
    const s = new ServerSession(testOptions({ hooks: ['data'] }));
    s.start();
    s.receive(enc(`${TX}DATA\r\nabc`));
    const events = s.end();
    expect(events.map((e) => e.type)).toEqual(['body-abort', 'close']);
  });
});

describe('ServerSession: XCLIENT', () => {
  it('from an allowed peer: attributes kept, new banner', () => {
    const s = started(
      testOptions({
        registry: createRegistry([...fullExtensions(), xclient({ allowFrom: ['127.0.0.0/8'] })]),
        remoteAddress: '127.0.0.1',
      }),
    );
    const a = s.receive(enc('EHLO proxy.example\r\n'));
    expect(written(a)).toContain('XCLIENT');
    const b = s.receive(enc('XCLIENT ADDR=192.0.2.7 HELO=client.example LOGIN=alice\r\n'));
    expect(codes(b)).toEqual([220]);
    expect(xclientAttributesOf(s.forwardedClient)?.addr).toEqual({
      kind: 'value',
      value: '192.0.2.7',
    });
    expect(s.heloName).toBe('client.example');
    expect(s.user).toBe('alice');
    expect(s.state.phase).toBe('connected');
  });

  it('from another peer: 550 5.7.0', () => {
    const s = started(
      testOptions({
        registry: createRegistry([...fullExtensions(), xclient({ allowFrom: ['10.0.0.0/8'] })]),
        remoteAddress: '127.0.0.1',
      }),
    );
    const ehlo = s.receive(enc('EHLO proxy.example\r\n'));
    expect(written(ehlo)).not.toContain('XCLIENT');
    expect(codes(s.receive(enc('XCLIENT ADDR=192.0.2.7\r\n')))).toEqual([550]);
  });
});
