import { parseMailbox } from '@smtpkit/address';
import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientEvent, SendEnvelope } from './client-events.js';
import { ClientSession } from './client-session.js';
import { pair } from './pair.test-support.js';

// A server no one here wrote may send anything: the client session stays bounded, never throws
// for what the server sends, and tells the I/O layer to close when the exchange cannot go on.

const enc = (text: string) => new TextEncoder().encode(text);
const box = (a: string) => ({ kind: 'mailbox', mailbox: parseMailbox(a) }) as const;
const ENVELOPE: SendEnvelope = { from: box('a@example.org'), to: [box('b@example.com')] };

function session(): ClientSession {
  return new ClientSession({
    hostname: 'c.example',
    registry: createRegistry(defaultExtensions()),
  });
}

function ready(
  s: ClientSession,
  ehlo = '250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n',
): void {
  s.receive(enc('220 mx.example ESMTP\r\n'));
  s.hello();
  s.receive(enc(ehlo));
  expect(s.state.phase).toBe('ready');
}

const types = (events: readonly ClientEvent[]) => events.map((e) => e.type);

describe('hostile servers', () => {
  it('a 100,000-line reply is refused once its line limit is passed, and the session closes', () => {
    const s = session();
    s.receive(enc('220 mx.example ESMTP\r\n'));
    s.hello();
    const events = s.receive(enc('250-x\r\n'.repeat(100_000)));
    expect(types(events)).toEqual(['error', 'close']);
    const error = events[0]?.type === 'error' ? events[0].error : undefined;
    expect(error?.code).toBe('ERR_CLIENT_PROTOCOL');
    expect(s.closed).toBe(true);
  });

  it('a bare LF inside a reply line is a protocol error, not a line end', () => {
    const s = session();
    const events = s.receive(enc('220 mx.example\n250 injected\r\n'));
    expect(types(events)).toEqual(['error', 'close']);
  });

  it('a reply sent before the TLS handshake (response injection, RFC 3207 §6) is dropped', () => {
    const s = session();
    ready(s);
    s.startTls();
    // The 220 and a forged EHLO reply arrive together, before the handshake.
    const events = s.receive(enc('220 go ahead\r\n250-mx.example\r\n250 AUTH PLAIN\r\n'));
    expect(types(events)).toEqual(['starttls']);
    s.tlsEstablished();
    expect(s.state.phase).toBe('greeted');
    const hello = s.hello();
    expect(new TextDecoder().decode(hello[0]?.type === 'write' ? hello[0].bytes : undefined)).toBe(
      'EHLO c.example\r\n',
    );
    // The forged capabilities were never read: the real EHLO reply decides.
    const real = s.receive(enc('250-mx.example\r\n250 PIPELINING\r\n'));
    expect(real[0]?.type === 'ready' && real[0].capabilities.has('AUTH')).toBe(false);
  });

  it('a refused STARTTLS is an error the caller sees (never a silent plaintext fallback)', () => {
    const s = session();
    ready(s);
    s.startTls();
    const events = s.receive(enc('454 4.7.0 TLS not available\r\n'));
    expect(events[0]?.type === 'error' && events[0].error.code).toBe('ERR_CLIENT_TLS_REQUIRED');
    expect(s.secure).toBe(false);
  });

  it('a reply nobody asked for closes the session as a protocol error; 421 as the server leaving', () => {
    const s = session();
    ready(s);
    expect(types(s.receive(enc('250 surprise\r\n')))).toEqual(['error', 'close']);
    const t = session();
    ready(t);
    const events = t.receive(enc('421 4.3.2 shutting down\r\n'));
    expect(events.at(-1)).toEqual({ type: 'close', reason: 'server-closed' });
  });

  it('a server that drops the connection mid-DATA fails the transaction', () => {
    const s = session();
    ready(s);
    s.send(ENVELOPE);
    s.receive(enc('250 ok\r\n250 ok\r\n354 go\r\n'));
    expect(s.state.phase).toBe('body');
    const events = s.serverClosed();
    expect(events[0]?.type === 'error' && events[0].error.code).toBe('ERR_CLIENT_CLOSED');
    expect(events.at(-1)).toEqual({ type: 'close', reason: 'server-closed' });
  });

  it('a 554 greeting is a refusal: QUIT, then close', () => {
    const s = session();
    const events = s.receive(enc('554 5.3.2 no service\r\n'));
    expect(types(events)).toEqual(['greeting', 'error', 'write', 'close']);
  });

  it('EHLO refused with 502: HELO follows, with no capabilities', () => {
    const s = session();
    s.receive(enc('220 old.example\r\n'));
    s.hello();
    const helo = s.receive(enc('502 5.5.1 EHLO not implemented\r\n'));
    expect(types(helo)).toEqual(['write']);
    const events = s.receive(enc('250 old.example\r\n'));
    expect(events[0]?.type === 'ready' && events[0].capabilities.keywords.size).toBe(0);
  });

  it('each phase asks for its RFC 5321 §4.5.3.2 timeout', () => {
    const s = session();
    expect(s.timeoutFor()).toBe(300_000); // greeting
    ready(s, '250-mx.example\r\n250 SIZE\r\n');
    expect(s.timeoutFor()).toBeUndefined(); // idle: nothing awaited
    s.send(ENVELOPE);
    expect(s.timeoutFor()).toBe(300_000); // MAIL
    s.receive(enc('250 ok\r\n'));
    expect(s.timeoutFor()).toBe(300_000); // RCPT
    s.receive(enc('250 ok\r\n'));
    expect(s.timeoutFor()).toBe(120_000); // DATA initiation
    s.receive(enc('354 go\r\n'));
    expect(s.timeoutFor()).toBe(180_000); // data block
    s.bodyEnd();
    expect(s.timeoutFor()).toBe(600_000); // DATA termination
  });
});

describe('property: chunking of the bytes never changes the outcome', () => {
  it('any split of both directions gives the same results as whole writes', () => {
    const outcome = (chunk?: number) => {
      const p = pair(chunk === undefined ? {} : { chunk });
      p.run((c) => c.hello());
      const sent = p.run((c) => c.send(ENVELOPE, enc('Subject: x\r\n\r\n.\r\n..\r\nbody\r\n')));
      const result = sent.find((e) => e.type === 'sent');
      return {
        result: result?.type === 'sent' ? result.result : undefined,
        body: new TextDecoder().decode(p.bodies[0]),
      };
    };
    const whole = outcome();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (chunk) => {
        expect(outcome(chunk)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });
});
