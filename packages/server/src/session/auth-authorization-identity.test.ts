import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { codes, drive, enc, testOptions, written } from './session-driver.test-support.js';
import type { Decision, SessionEvent } from './session-events.js';

// RFC 4616 §2: "The server will verify the authentication identity (authcid) and password
// based upon some form of authentication database [...] If the credentials verify, the server
// will then determine whether the authentication identity is allowed to act as the
// authorization identity (authzid)." A verifier answering a bare `true` checked only the
// password: acting as another user needs the application's word (`{ user }`).
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

  it('an object without `user` is no approval of the authzid either', () => {
    const { events, s } = authAs('admin\0tim\0secret', {});
    expect(codes(events)).toEqual([250, 535]);
    expect(s.user).toBeUndefined();
  });

  it('the verifier naming the user decides: `{ user: "admin" }` is honoured', () => {
    const { events, s } = authAs('admin\0tim\0secret', { user: 'admin' });
    expect(codes(events)).toEqual([250, 235]);
    expect(s.user).toBe('admin');
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
