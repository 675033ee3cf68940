import { auth, createRegistry, defaultExtensions, etrn, startTls } from '@smtpkit/extensions';
import { createServerMechanism } from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { ServerSession } from './server-session.js';
import type { Decision, SessionEvent } from './session-events.js';
import type { ServerSessionOptions } from './session-options.js';

/** The extensions most session tests run with: the defaults plus STARTTLS, AUTH and ETRN. */
export function fullExtensions(size = 1_000_000) {
  return [
    ...defaultExtensions({ size: { max: size } }),
    startTls(),
    auth({ mechanisms: ['PLAIN', 'LOGIN', 'CRAM-MD5'], allowWithoutTls: true }),
    etrn(),
  ] as const;
}

/** Session options for tests; `hooks` lists the hooks the test's decider answers. */
export function testOptions(overrides: Partial<ServerSessionOptions> = {}): ServerSessionOptions {
  return {
    hostname: 'mx.example',
    registry: createRegistry(fullExtensions()),
    sasl: (name) =>
      createServerMechanism(name, {
        crypto: nodeSaslCrypto,
        cramMd5: { challenge: '<1896.697170952@mx.example>' },
      }),
    ...overrides,
  };
}

/** Answers an ask; `undefined` leaves it pending. */
export type Decider = (ask: Extract<SessionEvent, { type: 'ask' }>) => Decision | undefined;

/** Runs events through a decider until no ask is answerable; returns every event seen. */
export function drive(
  session: ServerSession,
  events: readonly SessionEvent[],
  decider: Decider = () => ({ kind: 'resolved' }),
): SessionEvent[] {
  const all: SessionEvent[] = [];
  const queue = [...events];
  while (queue.length > 0) {
    const e = queue.shift() as SessionEvent;
    all.push(e);
    if (e.type === 'ask') {
      const d = decider(e);
      if (d !== undefined) queue.push(...session.decide(e.id, d));
    }
  }
  return all;
}

const decoder = new TextDecoder('latin1');

/** The bytes written, as text. */
export function written(events: readonly SessionEvent[]): string {
  let out = '';
  for (const e of events) if (e.type === 'write') out += decoder.decode(e.bytes);
  return out;
}

/** The reply codes written, in order. */
export function codes(events: readonly SessionEvent[]): number[] {
  return events.flatMap((e) => (e.type === 'write' ? [e.reply.code] : []));
}

/** A started session with the banner consumed. */
export function started(options: ServerSessionOptions = testOptions()): ServerSession {
  const s = new ServerSession(options);
  s.start();
  return s;
}

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
