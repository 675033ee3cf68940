import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { createLoginClient } from './client/login-client.js';
import {
  createLoginMechanism,
  LOGIN_PASSWORD_CHALLENGE,
  LOGIN_USERNAME_CHALLENGE,
} from './login-mechanism.js';
import { runPair } from './pair-driver.test-support.js';
import { saslReplies } from './sasl-replies.js';

describe('LOGIN server mechanism (draft-murchison-sasl-login)', () => {
  it('challenges with "Username:" and "Password:" in base64', () => {
    expect(LOGIN_USERNAME_CHALLENGE).toBe('VXNlcm5hbWU6');
    expect(LOGIN_PASSWORD_CHALLENGE).toBe('UGFzc3dvcmQ6');
    const m = createLoginMechanism();
    expect(m.start(undefined)).toEqual({ kind: 'challenge', data: 'VXNlcm5hbWU6' });
    expect(m.next(encodeBase64('tim'))).toEqual({ kind: 'challenge', data: 'UGFzc3dvcmQ6' });
    const step = m.next(encodeBase64('tanstaaf'));
    expect(step.kind).toBe('verify');
    if (step.kind === 'verify') {
      expect(step.credentials.username).toBe('tim');
      expect(step.credentials.password).toBe('tanstaaf');
      expect(step.credentials.mechanism).toBe('LOGIN');
    }
    expect(m.verified({ kind: 'accept' }).kind).toBe('success');
  });
  it('takes the user name from an initial response', () => {
    const m = createLoginMechanism();
    expect(m.start(encodeBase64('tim'))).toEqual({ kind: 'challenge', data: 'UGFzc3dvcmQ6' });
  });
  it('cancels on "*" at either prompt', () => {
    const a = createLoginMechanism();
    a.start(undefined);
    expect(a.next('*')).toEqual({ kind: 'cancelled', reply: saslReplies.R501_5_0_0_AuthCancelled });
    const b = createLoginMechanism();
    b.start(undefined);
    b.next(encodeBase64('tim'));
    expect(b.next('*').kind).toBe('cancelled');
  });
  it('refuses bad base64, NUL, empty user or password', () => {
    const a = createLoginMechanism();
    a.start(undefined);
    expect(a.next('dGlt=')).toEqual({
      kind: 'failed',
      reply: saslReplies.R501_5_5_2_CannotDecodeResponse,
    });
    const b = createLoginMechanism();
    expect(b.start(encodeBase64('t\0m'))).toEqual({
      kind: 'failed',
      reply: saslReplies.R501_5_5_2_MalformedResponse,
    });
    const c = createLoginMechanism();
    expect(c.start('=')).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
    const d = createLoginMechanism();
    d.start(encodeBase64('tim'));
    expect(d.next('')).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
  });
  it('pairs with the LOGIN client', () => {
    const r = runPair(
      createLoginMechanism(),
      createLoginClient({ username: 'tim', password: 'tanstaaf' }),
      (c) => (c.password === 'tanstaaf' ? { kind: 'accept' } : { kind: 'reject' }),
    );
    expect(r.transcript).toEqual([
      'C: AUTH LOGIN',
      'S: 334 VXNlcm5hbWU6',
      'C: dGlt',
      'S: 334 UGFzc3dvcmQ6',
      'C: dGFuc3RhYWY=',
      'S: 235',
    ]);
  });
});
