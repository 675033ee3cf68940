import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { createCramMd5Client } from './client/cram-md5-client.js';
import {
  cramMd5Digest,
  createCramMd5Challenge,
  createCramMd5Mechanism,
  verifyCramMd5,
} from './cram-md5-mechanism.js';
import { nodeSaslCrypto } from './node/node-sasl-crypto.js';
import { runPair } from './pair-driver.test-support.js';
import { SaslError } from './sasl-error.js';
import { saslReplies } from './sasl-replies.js';

// RFC 2195 §2 example:
//   S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
//   C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
// "the shared secret is the string 'tanstaaftanstaaf'"
const RFC_CHALLENGE = '<1896.697170952@postoffice.reston.mci.net>';
const RFC_CHALLENGE_B64 = 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+';
const RFC_RESPONSE_B64 = 'dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw';

describe('CRAM-MD5 (RFC 2195)', () => {
  it('reproduces the RFC 2195 example exchange', () => {
    const m = createCramMd5Mechanism({ challenge: RFC_CHALLENGE });
    expect(m.start(undefined)).toEqual({ kind: 'challenge', data: RFC_CHALLENGE_B64 });
    const step = m.next(RFC_RESPONSE_B64);
    expect(step.kind).toBe('verify');
    if (step.kind !== 'verify') return;
    expect(step.credentials.username).toBe('tim');
    expect(step.credentials.digest).toBe('b913a602c7eda7a495b4e6e7334d3890');
    expect(step.credentials.challenge).toBe(RFC_CHALLENGE);
    expect(
      verifyCramMd5(
        'tanstaaftanstaaf',
        RFC_CHALLENGE,
        step.credentials.digest ?? '',
        nodeSaslCrypto,
      ),
    ).toBe(true);
    expect(
      verifyCramMd5('tanstaaf', RFC_CHALLENGE, step.credentials.digest ?? '', nodeSaslCrypto),
    ).toBe(false);
    expect(verifyCramMd5('tanstaaftanstaaf', RFC_CHALLENGE, 'short', nodeSaslCrypto)).toBe(false);
    expect(m.verified({ kind: 'accept' }).kind).toBe('success');
  });
  it('the client answers the RFC challenge with the RFC response', () => {
    const c = createCramMd5Client({
      crypto: nodeSaslCrypto,
      username: 'tim',
      secret: 'tanstaaftanstaaf',
    });
    expect(c.initialResponse()).toBeUndefined();
    expect(c.respond(RFC_CHALLENGE_B64)).toBe(RFC_RESPONSE_B64);
    expect(cramMd5Digest('tanstaaftanstaaf', RFC_CHALLENGE, nodeSaslCrypto)).toBe(
      'b913a602c7eda7a495b4e6e7334d3890',
    );
  });
  it('refuses an initial response, malformed answers and cancels on "*"', () => {
    expect(createCramMd5Mechanism({ challenge: RFC_CHALLENGE }).start('dGlt')).toEqual({
      kind: 'failed',
      reply: saslReplies.R501_5_5_2_MalformedResponse,
    });
    for (const text of [
      'tim',
      ' b913a602c7eda7a495b4e6e7334d3890',
      'tim b913a602c7',
      'tim zz13a602c7eda7a495b4e6e7334d3890',
    ]) {
      const m = createCramMd5Mechanism({ challenge: RFC_CHALLENGE });
      m.start(undefined);
      expect(m.next(encodeBase64(text))).toEqual({
        kind: 'failed',
        reply: saslReplies.R501_5_5_2_MalformedResponse,
      });
    }
    const m = createCramMd5Mechanism({ challenge: RFC_CHALLENGE });
    m.start(undefined);
    expect(m.next('*').kind).toBe('cancelled');
  });
  it('keeps spaces inside a user name (the digest is the last word)', () => {
    const m = createCramMd5Mechanism({ challenge: RFC_CHALLENGE });
    m.start(undefined);
    const step = m.next(encodeBase64('tim smith b913a602c7eda7a495b4e6e7334d3890'));
    expect(step.kind === 'verify' && step.credentials.username).toBe('tim smith');
  });
  it('builds challenges from injected randomness and a caller-given timestamp', () => {
    const crypto = { ...nodeSaslCrypto, randomBytes: (n: number) => new Uint8Array(n).fill(7) };
    expect(createCramMd5Challenge({ hostname: 'mx.example.org', timestamp: 42, crypto })).toBe(
      '<0707070707070707.42@mx.example.org>',
    );
    expect(() =>
      createCramMd5Challenge({ crypto: nodeSaslCrypto, hostname: 'a b', timestamp: 1 }),
    ).toThrow(SaslError);
    expect(() => createCramMd5Mechanism({ challenge: 'no brackets' })).toThrow(SaslError);
  });
  it('pairs with the CRAM-MD5 client', () => {
    const challenge = createCramMd5Challenge({
      crypto: nodeSaslCrypto,
      hostname: 'mx.example.org',
      timestamp: 1700000000,
    });
    const r = runPair(
      createCramMd5Mechanism({ challenge }),
      createCramMd5Client({ crypto: nodeSaslCrypto, username: 'tim', secret: 'tanstaaftanstaaf' }),
      (c) =>
        verifyCramMd5('tanstaaftanstaaf', c.challenge ?? '', c.digest ?? '', nodeSaslCrypto)
          ? { kind: 'accept' }
          : { kind: 'reject' },
    );
    expect(r.final.kind).toBe('success');
    const wrong = runPair(
      createCramMd5Mechanism({ challenge }),
      createCramMd5Client({ crypto: nodeSaslCrypto, username: 'tim', secret: 'guess' }),
      (c) =>
        verifyCramMd5('tanstaaftanstaaf', c.challenge ?? '', c.digest ?? '', nodeSaslCrypto)
          ? { kind: 'accept' }
          : { kind: 'reject' },
    );
    expect(wrong.final).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
  });
});
