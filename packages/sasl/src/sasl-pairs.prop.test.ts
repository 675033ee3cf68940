import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCramMd5Client } from './client/cram-md5-client.js';
import { createLoginClient } from './client/login-client.js';
import { createPlainClient } from './client/plain-client.js';
import { createScramSha256Client } from './client/scram-sha-256-client.js';
import { createXoauth2Client } from './client/xoauth2-client.js';
import { createCramMd5Mechanism, verifyCramMd5 } from './cram-md5-mechanism.js';
import { createLoginMechanism } from './login-mechanism.js';
import { nodeSaslCrypto } from './node/node-sasl-crypto.js';
import { runPair } from './pair-driver.test-support.js';
import { createPlainMechanism } from './plain-mechanism.js';
import type { SaslCredentials } from './sasl-credentials.js';
import type { SaslVerdict } from './sasl-mechanism.js';
import { saslPrep } from './saslprep.js';
import { scramCredentials } from './scram-credentials.js';
import { createScramSha256Mechanism } from './scram-sha-256-mechanism.js';
import { createXoauth2Mechanism } from './xoauth2-mechanism.js';

// Identities and secrets from the protocols' own separators as well as arbitrary Unicode:
// NUL, CR and LF are refused by the clients, everything else must survive the round trip.
const unit = fc.oneof(
  fc.constantFrom(...',=:@. +/\\"<>;'.split(''), '=2C', '=3D', 'é', '字', '\u{1F600}', '\x01'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
);
const field = fc
  .array(unit, { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''))
  .filter((s) => !/[\0\r\n]/.test(s) && s.trim() === s && s !== '');

function expecting(check: (c: SaslCredentials) => boolean): (c: SaslCredentials) => SaslVerdict {
  return (c) => (check(c) ? { kind: 'accept' } : { kind: 'reject' });
}

describe('server and client mechanisms agree on any credentials', () => {
  it('PLAIN and LOGIN carry identities and passwords unchanged', () => {
    fc.assert(
      fc.property(
        field,
        field,
        fc.option(field, { nil: undefined }),
        (username, password, authz) => {
          const plain = runPair(
            createPlainMechanism(),
            createPlainClient({
              username,
              password,
              ...(authz === undefined ? {} : { authorizationIdentity: authz }),
            }),
            expecting(
              (c) =>
                c.username === username &&
                c.password === password &&
                c.authorizationIdentity === authz,
            ),
          );
          expect(plain.final.kind).toBe('success');
          const login = runPair(
            createLoginMechanism(),
            createLoginClient({ username, password }),
            expecting((c) => c.username === username && c.password === password),
          );
          expect(login.final.kind).toBe('success');
        },
      ),
    );
  });
  it('CRAM-MD5 verifies with the right secret only', () => {
    fc.assert(
      fc.property(
        field.filter((u) => !u.includes(' ')),
        field,
        field,
        (username, secret, other) => {
          const challenge = '<123.456@mx.example.org>';
          const run = (s: string) =>
            runPair(
              createCramMd5Mechanism({ challenge }),
              createCramMd5Client({ crypto: nodeSaslCrypto, username, secret: s }),
              expecting(
                (c) =>
                  c.username === username &&
                  verifyCramMd5(secret, c.challenge ?? '', c.digest ?? '', nodeSaslCrypto),
              ),
            ).final.kind;
          expect(run(secret)).toBe('success');
          if (other !== secret) expect(run(other)).toBe('failed');
        },
      ),
    );
  });
  it('XOAUTH2 carries the user and token', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,40}=*$/);
    fc.assert(
      fc.property(
        field.filter((u) => !u.includes('\x01')),
        token,
        (username, t) => {
          const r = runPair(
            createXoauth2Mechanism(),
            createXoauth2Client({ username, token: t }),
            expecting((c) => c.username === username && c.token === t),
          );
          expect(r.final.kind).toBe('success');
        },
      ),
    );
  });
  it('SCRAM-SHA-256 authenticates both ways for any SASLprep-able user and password', () => {
    fc.assert(
      fc.property(
        field,
        field,
        fc.option(field, { nil: undefined }),
        (username, password, authz) => {
          const user = saslPrep(username);
          fc.pre(
            user !== undefined &&
              user !== '' &&
              saslPrep(password) !== undefined &&
              (authz === undefined || saslPrep(authz) !== undefined),
          );
          const stored = scramCredentials(
            password,
            new Uint8Array(16).fill(5),
            4096,
            nodeSaslCrypto,
          );
          const client = createScramSha256Client({
            crypto: nodeSaslCrypto,
            username,
            password,
            ...(authz === undefined ? {} : { authorizationIdentity: authz }),
          });
          const r = runPair(
            createScramSha256Mechanism({ crypto: nodeSaslCrypto }),
            client,
            expecting((c) => c.username === user && c.authorizationIdentity === authz),
            (u) => (u === user ? stored : undefined),
          );
          expect(r.final.kind).toBe('success');
          expect(client.serverVerified).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
