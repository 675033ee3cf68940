import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { createPlainClient } from './client/plain-client.js';
import { runPair } from './pair-driver.test-support.js';
import { createPlainMechanism, parsePlainMessage } from './plain-mechanism.js';
import { SaslError } from './sasl-error.js';
import { saslReplies } from './sasl-replies.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parsePlainMessage (RFC 4616 §2)', () => {
  it('reads the RFC 4616 §4 examples', () => {
    // RFC 4616 §4: "C: \0tim\0tanstaaf" and "C: Ursel\0Kurt\0xipj3plmq"
    expect(parsePlainMessage(enc('\0tim\0tanstaaf'))).toEqual({
      authorizationIdentity: undefined,
      username: 'tim',
      password: 'tanstaaf',
    });
    expect(parsePlainMessage(enc('Ursel\0Kurt\0xipj3plmq'))).toEqual({
      authorizationIdentity: 'Ursel',
      username: 'Kurt',
      password: 'xipj3plmq',
    });
  });
  it('keeps UTF-8 identities', () => {
    expect(parsePlainMessage(enc('\0jörg\0pässwörd'))?.username).toBe('jörg');
  });
  it.each([
    ['no NUL', 'timtanstaaf'],
    ['one NUL', 'tim\0tanstaaf'],
    ['three NULs', '\0tim\0tans\0taaf'],
    ['empty authcid', 'a\0\0pw'],
    ['empty passwd', '\0tim\0'],
    ['empty message', ''],
  ])('refuses %s', (_name, text) => {
    expect(parsePlainMessage(enc(text))).toBeUndefined();
  });
  it('refuses ill-formed UTF-8', () => {
    expect(parsePlainMessage(Uint8Array.from([0, 0x74, 0, 0xc3]))).toBeUndefined();
    expect(parsePlainMessage(Uint8Array.from([0, 0xff, 0, 0x61]))).toBeUndefined();
  });
});

describe('PLAIN server mechanism', () => {
  it('verifies an initial response and succeeds with 235 2.7.0', () => {
    const m = createPlainMechanism();
    const step = m.start('AHRpbQB0YW5zdGFhZg==');
    expect(step.kind).toBe('verify');
    if (step.kind !== 'verify') return;
    expect(step.credentials.username).toBe('tim');
    expect(step.credentials.password).toBe('tanstaaf');
    expect(step.credentials.authorizationIdentity).toBeUndefined();
    expect(m.verified({ kind: 'accept' })).toMatchObject({
      kind: 'success',
      reply: saslReplies.R235_2_7_0_AuthenticationSucceeded,
    });
  });
  it('sends an empty challenge without an initial response', () => {
    const m = createPlainMechanism();
    expect(m.start(undefined)).toEqual({ kind: 'challenge', data: '' });
    expect(m.next(encodeBase64('Ursel\0Kurt\0xipj3plmq')).kind).toBe('verify');
  });
  it('"=" is an empty initial response, which PLAIN cannot accept (501 5.5.2)', () => {
    expect(createPlainMechanism().start('=')).toEqual({
      kind: 'failed',
      reply: saslReplies.R501_5_5_2_MalformedResponse,
    });
  });
  it('"*" cancels with 501 5.0.0 (RFC 4954 §4)', () => {
    const m = createPlainMechanism();
    m.start(undefined);
    expect(m.next('*')).toEqual({ kind: 'cancelled', reply: saslReplies.R501_5_0_0_AuthCancelled });
  });
  it('undecodable base64 fails with 501 5.5.2', () => {
    for (const bad of ['AHRpbQB0YW5zdGFhZg', 'AHRp bQB0', '!!!!', 'AHRpbQB0YW5zdGFhZg==x']) {
      expect(createPlainMechanism().start(bad)).toEqual({
        kind: 'failed',
        reply: saslReplies.R501_5_5_2_CannotDecodeResponse,
      });
    }
  });
  it('maps reject to 535 5.7.8 and temporary to 454 4.7.0', () => {
    const a = createPlainMechanism();
    a.start('AHRpbQB0YW5zdGFhZg==');
    expect(a.verified({ kind: 'reject' })).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
    const b = createPlainMechanism();
    b.start('AHRpbQB0YW5zdGFhZg==');
    expect(b.verified({ kind: 'temporary' })).toEqual({
      kind: 'failed',
      reply: saslReplies.R454_4_7_0_TemporaryAuthFailure,
    });
  });
  it('throws SaslError ERR_SASL_MISUSE_STATE when driven out of order', () => {
    const m = createPlainMechanism();
    expect(() => m.next('x')).toThrow(SaslError);
    m.start('AHRpbQB0YW5zdGFhZg==');
    expect(() => m.start(undefined)).toThrowError(
      expect.objectContaining({ code: 'ERR_SASL_MISUSE_STATE', misuse: true }),
    );
    expect(() => m.secrets(undefined)).toThrow(SaslError);
  });
  it('pairs with the PLAIN client, with and without initial response and authzid', () => {
    for (const useInitialResponse of [true, false]) {
      const r = runPair(
        createPlainMechanism(),
        createPlainClient({
          username: 'Kurt',
          password: 'xipj3plmq',
          authorizationIdentity: 'Ursel',
          useInitialResponse,
        }),
        (c) =>
          c.password === 'xipj3plmq' && c.authorizationIdentity === 'Ursel'
            ? { kind: 'accept' }
            : { kind: 'reject' },
      );
      expect(r.final.kind).toBe('success');
    }
  });
  it('the PLAIN client produces the RFC 4616 §4 messages', () => {
    expect(createPlainClient({ username: 'tim', password: 'tanstaaf' }).initialResponse()).toBe(
      encodeBase64('\0tim\0tanstaaf'),
    );
    expect(() => createPlainClient({ username: 't\0m', password: 'x' })).toThrow(SaslError);
    expect(() => createPlainClient({ username: 'tim', password: 'a\r\nQUIT' })).toThrow(SaslError);
  });
});

describe('RFC 4954 §4 authentication buffer', () => {
  it('a response longer than 12288 octets fails with 500 5.5.6, before decoding', () => {
    const long = encodeBase64(`\0tim\0${'x'.repeat(9300)}`);
    expect(long.length).toBeGreaterThan(12288);
    expect(createPlainMechanism().start(long)).toEqual({
      kind: 'failed',
      reply: saslReplies.R500_5_5_6_AuthLineTooLong,
    });
    const fits = encodeBase64(`\0tim\0${'x'.repeat(9000)}`);
    expect(fits.length).toBeLessThanOrEqual(12288);
    expect(createPlainMechanism().start(fits).kind).toBe('verify');
  });
});
