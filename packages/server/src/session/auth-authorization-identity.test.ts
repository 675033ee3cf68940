import { auth, createRegistry, defaultExtensions } from '@smtpkit/extensions';
import { createScramSha256Client, createServerMechanism, scramCredentials } from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { codes, drive, enc, testOptions, written } from './session-driver.test-support.js';
import type { Decision, SessionEvent } from './session-events.js';

// RFC 4616 §2: "Upon receipt of the message, the server will verify the presented (in the
// message) authentication identity (authcid) and password (passwd) with the system
// authentication database, and it will verify that the authentication credentials permit the
// client to act as the (presented or derived) authorization identity (authzid)." A verifier
// answering a bare `true` checked only the password: acting as another identity needs the
// verifier to grant that identity by name (`{ authorize: 'admin' }`); nothing else does.
const EHLO = 'EHLO client.example\r\n';

function authAs(plain: string, verdict: unknown): { events: SessionEvent[]; s: ServerSession } {
  const s = new ServerSession(testOptions({ hooks: ['auth'] }));
  s.start();
  const events = drive(
    s,
    s.receive(enc(`${EHLO}AUTH PLAIN ${btoa(plain)}\r\n`)),
    (): Decision => ({ kind: 'resolved', value: verdict }),
  );
  return { events, s };
}

describe('AUTH PLAIN authorization identity (RFC 4616 §2)', () => {
  it('a bare `true` does not let tim act as admin: 535 5.7.8, no user, a log event', () => {
    const { events, s } = authAs('admin\0tim\0secret', true);
    expect(codes(events)).toEqual([250, 535]);
    expect(written(events)).toContain('535 5.7.8');
    expect(s.user).toBeUndefined();
    expect(s.context.authenticated).toBe(false);
    const log = events.find((e) => e.type === 'log');
    expect(log?.type === 'log' && log.level).toBe('warn');
    // The log names no identity and no secret.
    expect(JSON.stringify(log)).not.toMatch(/admin|tim|secret/);
  });

  it('an object without `authorize` is no approval of the authzid either', () => {
    for (const verdict of [{}, { user: 'admin' }, { user: 'tim' }]) {
      const { events, s } = authAs('admin\0tim\0secret', verdict);
      expect(codes(events)).toEqual([250, 535]);
      expect(s.user).toBeUndefined();
    }
  });

  it('the verifier granting that identity by name decides: `{ authorize: "admin" }`', () => {
    const { events, s } = authAs('admin\0tim\0secret', { authorize: 'admin' });
    expect(codes(events)).toEqual([250, 235]);
    expect(s.user).toBe('admin');
  });

  it('a grant of another identity is no grant of the one asked for', () => {
    const { events, s } = authAs('admin\0tim\0secret', { authorize: 'root' });
    expect(codes(events)).toEqual([250, 535]);
    expect(s.user).toBeUndefined();
  });

  it('no authzid asked: `{ authorize }` names the derived identity (RFC 4422 §3.4.1)', () => {
    const { events, s } = authAs('\0tim\0secret', { authorize: 'tim@example.org' });
    expect(codes(events)).toEqual([250, 235]);
    expect(s.user).toBe('tim@example.org');
  });

  it('an authzid equal to the authcid needs no approval', () => {
    const { events, s } = authAs('tim\0tim\0secret', true);
    expect(codes(events)).toEqual([250, 235]);
    expect(s.user).toBe('tim');
  });

  it('no authzid: a bare `true` authenticates the authcid', () => {
    const { events, s } = authAs('\0tim\0secret', true);
    expect(codes(events)).toEqual([250, 235]);
    expect(s.user).toBe('tim');
  });

  it('a refusal stays a refusal', () => {
    const { events, s } = authAs('admin\0tim\0secret', false);
    expect(codes(events)).toEqual([250, 535]);
    expect(s.user).toBeUndefined();
  });
});

describe('AUTH SCRAM-SHA-256 authorization identity (RFC 5802 §5.1 a=, RFC 4616 §2 rule)', () => {
  const registry = createRegistry([
    ...defaultExtensions(),
    auth({ mechanisms: ['SCRAM-SHA-256'], allowWithoutTls: true }),
  ]);
  const secrets = scramCredentials('pencil', new Uint8Array(16).fill(7), 4096, nodeSaslCrypto);

  function scramAs(authzid: string | undefined, verdict: unknown): ServerSession {
    const s = new ServerSession(
      testOptions({
        registry,
        hooks: ['auth', 'auth-lookup'],
        sasl: (name) => createServerMechanism(name, { crypto: nodeSaslCrypto }),
      }),
    );
    s.start();
    const client = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
      ...(authzid === undefined ? {} : { authorizationIdentity: authzid }),
    });
    const decider = (e: Extract<SessionEvent, { type: 'ask' }>): Decision => ({
      kind: 'resolved',
      value: e.hook === 'auth-lookup' ? secrets : verdict,
    });
    let events = drive(
      s,
      s.receive(enc(`${EHLO}AUTH SCRAM-SHA-256 ${client.initialResponse()}\r\n`)),
      decider,
    );
    for (let round = 0; round < 4; round++) {
      const last = events.filter((e) => e.type === 'write').at(-1);
      if (last?.type !== 'write' || last.reply.code !== 334) break;
      events = drive(
        s,
        s.receive(enc(`${client.respond(last.reply.lines[0] ?? '')}\r\n`)),
        decider,
      );
    }
    return s;
  }

  it('a bare `true` does not let user act as admin', () => {
    expect(scramAs('admin', true).user).toBeUndefined();
  });

  it('`{ authorize: "admin" }` from the verifier is honoured, `{ user: "admin" }` is not', () => {
    expect(scramAs('admin', { authorize: 'admin' }).user).toBe('admin');
    expect(scramAs('admin', { user: 'admin' }).user).toBeUndefined();
  });

  it('no authzid: a bare `true` authenticates the user', () => {
    expect(scramAs(undefined, true).user).toBe('user');
  });
});
