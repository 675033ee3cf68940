import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import { createScramSha256Client } from './client/scram-sha-256-client.js';
import { nodeSaslCrypto } from './node/node-sasl-crypto.js';
import { runPair } from './pair-driver.test-support.js';
import { SaslError } from './sasl-error.js';
import { saslReplies } from './sasl-replies.js';
import { decodeSaslname, encodeSaslname } from './scram-attributes.js';
import { scramCredentials } from './scram-credentials.js';
import { createScramSha256Mechanism } from './scram-sha-256-mechanism.js';

// RFC 7677 §3, "This is a simple example of a SCRAM-SHA-256 authentication exchange when the
// client doesn't support channel bindings. The username 'user' and password 'pencil' are used."
//   C: n,,n=user,r=rOprNGfwEbeRWgbNEkqO
//   S: r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096
//   C: c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
//   S: v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=
const C1 = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const S1 = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const C2 =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const S2 = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
const SALT = decodeBase64Strict('W22ZaJ0SNY7soEsUEjb6gQ==') as Uint8Array;
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const pencil = scramCredentials('pencil', SALT, 4096, nodeSaslCrypto);

function rfcServer() {
  const m = createScramSha256Mechanism({ crypto: nodeSaslCrypto, nonce: SERVER_NONCE });
  const lookup = m.start(encodeBase64(C1));
  expect(lookup).toEqual({ kind: 'lookup', username: 'user' });
  expect(m.secrets(pencil)).toEqual({ kind: 'challenge', data: encodeBase64(S1) });
  return m;
}

describe('SCRAM-SHA-256 server (RFC 7677, RFC 5802)', () => {
  it('reproduces the RFC 7677 §3 exchange exactly', () => {
    const m = rfcServer();
    const verify = m.next(encodeBase64(C2));
    expect(verify.kind).toBe('verify');
    if (verify.kind !== 'verify') return;
    expect(verify.credentials.username).toBe('user');
    expect(verify.credentials.scram).toEqual({ proofVerified: true, iterations: 4096 });
    expect(m.verified({ kind: 'accept' })).toEqual({ kind: 'challenge', data: encodeBase64(S2) });
    expect(m.next('')).toMatchObject({
      kind: 'success',
      reply: saslReplies.R235_2_7_0_AuthenticationSucceeded,
    });
  });
  it('the client reproduces the RFC 7677 §3 messages and checks the server signature', () => {
    const c = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
      nonce: 'rOprNGfwEbeRWgbNEkqO',
    });
    expect(c.initialResponse()).toBe(encodeBase64(C1));
    expect(c.respond(encodeBase64(S1))).toBe(encodeBase64(C2));
    expect(() => c.complete()).toThrow(SaslError);
    expect(c.respond(encodeBase64(S2))).toBe('');
    expect(c.serverVerified).toBe(true);
    expect(() => c.complete()).not.toThrow();
  });
  it('the client refuses a forged server signature', () => {
    const c = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
      nonce: 'rOprNGfwEbeRWgbNEkqO',
    });
    c.initialResponse();
    c.respond(encodeBase64(S1));
    expect(() => c.respond(encodeBase64(`v=${encodeBase64(new Uint8Array(32))}`))).toThrowError(
      expect.objectContaining({ code: 'ERR_SASL_SERVER_SIGNATURE' }),
    );
  });
  it('the client refuses a nonce that does not extend its own, and low iteration counts', () => {
    const c = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
      nonce: 'abc',
    });
    expect(() => c.respond(encodeBase64('r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'))).toThrow(
      SaslError,
    );
    const d = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
      nonce: 'abc',
    });
    expect(() => d.respond(encodeBase64('r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1024'))).toThrow(
      /iteration/,
    );
    const e = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
      nonce: 'abc',
    });
    expect(() => e.respond(encodeBase64('r=abc123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999'))).toThrow(
      /iteration/,
    );
  });
  it('a wrong proof fails with 535 5.7.8 before any verify step', () => {
    const m = rfcServer();
    const forged = C2.replace('p=dHzb', 'p=dHzc');
    expect(m.next(encodeBase64(forged))).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
  });
  it('a changed nonce or channel binding fails', () => {
    const a = rfcServer();
    expect(a.next(encodeBase64(C2.replace('$k0,p', '$k1,p'))).kind).toBe('failed');
    const b = rfcServer();
    expect(b.next(encodeBase64(C2.replace('c=biws', 'c=eSws'))).kind).toBe('failed');
  });
  it("refuses 'p=' channel binding (no -PLUS offered) and unknown mandatory extensions", () => {
    expect(
      createScramSha256Mechanism({ crypto: nodeSaslCrypto }).start(
        encodeBase64('p=tls-unique,,n=user,r=abc'),
      ),
    ).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
    expect(
      createScramSha256Mechanism({ crypto: nodeSaslCrypto }).start(
        encodeBase64('n,,m=ext,n=user,r=abc'),
      ).kind,
    ).toBe('failed');
  });
  it("accepts the 'y' flag, since this server offers no channel binding (RFC 5802 §6)", () => {
    const m = createScramSha256Mechanism({ crypto: nodeSaslCrypto });
    expect(m.start(encodeBase64('y,,n=user,r=abc')).kind).toBe('lookup');
  });
  it('decodes saslname escapes and the authorization identity', () => {
    const m = createScramSha256Mechanism({ crypto: nodeSaslCrypto });
    expect(m.start(encodeBase64('n,a=boss=2Cinc,n=us=3Der,r=abc'))).toEqual({
      kind: 'lookup',
      username: 'us=er',
      authorizationIdentity: 'boss,inc',
    });
    expect(decodeSaslname('a=2Cb=3Dc')).toBe('a,b=c');
    expect(decodeSaslname('a=2cb')).toBeUndefined();
    expect(decodeSaslname('a=b')).toBeUndefined();
    expect(encodeSaslname('a,b=c')).toBe('a=2Cb=3Dc');
    expect(
      createScramSha256Mechanism({ crypto: nodeSaslCrypto }).start(
        encodeBase64('n,,n=us=er,r=abc'),
      ),
    ).toEqual({
      kind: 'failed',
      reply: saslReplies.R501_5_5_2_MalformedResponse,
    });
  });
  it('an unknown user gets a decoy server-first and fails at the proof, like a bad password', () => {
    const m = createScramSha256Mechanism({
      crypto: nodeSaslCrypto,
      decoyKey: new Uint8Array(32).fill(1),
    });
    m.start(encodeBase64('n,,n=ghost,r=abc'));
    const first = m.secrets(undefined);
    expect(first.kind).toBe('challenge');
    if (first.kind !== 'challenge') return;
    const text = new TextDecoder().decode(decodeBase64Strict(first.data));
    expect(text).toMatch(/^r=abc[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
    const client = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'ghost',
      password: 'x',
      nonce: 'abc',
    });
    client.initialResponse();
    expect(m.next(client.respond(first.data))).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
  });
  it('scramCredentials refuses fewer than 4096 iterations (RFC 7677 §4)', () => {
    expect(() => scramCredentials('pencil', SALT, 4095, nodeSaslCrypto)).toThrowError(
      expect.objectContaining({ code: 'ERR_SASL_MISUSE_OPTION' }),
    );
    const m = createScramSha256Mechanism({ crypto: nodeSaslCrypto });
    m.start(encodeBase64(C1));
    expect(() => m.secrets({ ...pencil, iterations: 1 })).toThrow(SaslError);
  });
  it('pairs with the client for a UTF-8 user, an authzid, with and without initial response', () => {
    const salt = nodeSaslCrypto.randomBytes(16);
    const stored = scramCredentials('pässwörd', salt, 4096, nodeSaslCrypto);
    for (const initial of [true, false]) {
      const client = createScramSha256Client({
        crypto: nodeSaslCrypto,
        username: 'jörg,=x',
        password: 'pässwörd',
        authorizationIdentity: 'admin',
      });
      const wrapped = initial
        ? client
        : {
            ...client,
            name: client.name,
            initialResponse: () => undefined,
            respond: client.respond,
            complete: client.complete,
          };
      const r = runPair(
        createScramSha256Mechanism({ crypto: nodeSaslCrypto }),
        wrapped,
        (c) =>
          c.username === 'jörg,=x' && c.authorizationIdentity === 'admin'
            ? { kind: 'accept' }
            : { kind: 'reject' },
        (u) => (u === 'jörg,=x' ? stored : undefined),
      );
      expect(r.final.kind).toBe('success');
      expect(client.serverVerified).toBe(true);
    }
  });
  it('a reject verdict after a good proof fails 535 without sending the server signature', () => {
    const m = rfcServer();
    m.next(encodeBase64(C2));
    expect(m.verified({ kind: 'reject' })).toEqual({
      kind: 'failed',
      reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    });
  });
});
