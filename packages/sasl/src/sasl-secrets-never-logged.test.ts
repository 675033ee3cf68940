import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { createCramMd5Mechanism } from './cram-md5-mechanism.js';
import { createLoginMechanism } from './login-mechanism.js';
import { createPlainMechanism } from './plain-mechanism.js';
import {
  createCredentials,
  REDACTED,
  redactAuthLine,
  redactCredentials,
  type SaslCredentials,
} from './sasl-credentials.js';
import type { SaslStep } from './sasl-mechanism.js';
import { createXoauth2Mechanism } from './xoauth2-mechanism.js';

// Attack: AUTH secrets leaking into logs (server issue: "AUTH secrets never logged").
const SECRET = 'tanstaaf-SECRET';

function allRenderings(c: SaslCredentials): string[] {
  return [
    JSON.stringify(c),
    JSON.stringify({ nested: { c } }),
    String(c),
    `${c}`,
    inspect(c),
    inspect({ c }, { depth: 5 }),
    JSON.stringify({ ...c }),
    Object.keys(c).join(','),
    JSON.stringify(Object.entries(c)),
  ];
}

function credentialsFrom(step: SaslStep): SaslCredentials {
  if (step.kind !== 'verify') throw new Error(`expected verify, got ${step.kind}`);
  return step.credentials;
}

describe('SASL secrets never reach logs', () => {
  it('PLAIN, LOGIN, XOAUTH2 and CRAM-MD5 credentials hide their secret in every rendering', () => {
    const plain = credentialsFrom(createPlainMechanism().start(encodeBase64(`\0tim\0${SECRET}`)));
    const login = createLoginMechanism();
    login.start(encodeBase64('tim'));
    const loginCreds = credentialsFrom(login.next(encodeBase64(SECRET)));
    const xoauth = credentialsFrom(
      createXoauth2Mechanism().start(encodeBase64(`user=tim\x01auth=Bearer ${SECRET}\x01\x01`)),
    );
    const cram = createCramMd5Mechanism({ challenge: '<1.2@h>' });
    cram.start(undefined);
    const cramCreds = credentialsFrom(
      cram.next(encodeBase64('tim 0123456789abcdef0123456789abcdef')),
    );
    for (const c of [plain, loginCreds, xoauth]) {
      for (const text of allRenderings(c)) {
        expect(text).not.toContain(SECRET);
      }
      expect(JSON.stringify(c)).toContain(REDACTED);
      expect(JSON.stringify(c)).toContain('tim');
    }
    for (const text of allRenderings(cramCreds)) expect(text).not.toContain('0123456789abcdef');
    // ...while the verifier can still read them.
    expect(plain.password).toBe(SECRET);
    expect(loginCreds.password).toBe(SECRET);
    expect(xoauth.token).toBe(SECRET);
  });
  it('credentials are frozen: a hook cannot swap the identity afterwards', () => {
    const c = createCredentials({ mechanism: 'PLAIN', username: 'tim', password: SECRET });
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (c as { username: string }).username = 'root';
    }).toThrow(TypeError);
  });
  it('redactCredentials makes a plain loggable object', () => {
    expect(redactCredentials({ mechanism: 'XOAUTH2', username: 'u', token: SECRET })).toEqual({
      mechanism: 'XOAUTH2',
      username: 'u',
      token: REDACTED,
    });
  });
  it('redactAuthLine hides initial responses and continuation lines', () => {
    const line = `AUTH PLAIN ${encodeBase64(`\0tim\0${SECRET}`)}`;
    expect(redactAuthLine(line)).toBe(`AUTH PLAIN ${REDACTED}`);
    expect(redactAuthLine('auth login')).toBe('auth login');
    expect(redactAuthLine(encodeBase64(SECRET))).toBe(REDACTED);
    expect(redactAuthLine('*')).toBe('*');
  });
});
