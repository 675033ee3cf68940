import {
  createCramMd5Client,
  createLoginClient,
  createPlainClient,
  createScramSha256Client,
  createXoauth2Client,
  isSaslError,
  type SaslClientMechanism,
} from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { ClientError } from '../client-error.js';
import type { ClientAuthMechanism, ClientAuthOptions } from './client-options.js';

/**
 * The mechanisms the client speaks, strongest first. SCRAM-SHA-256 (RFC 7677) proves the password
 * without sending it and checks the server's proof; CRAM-MD5 (RFC 2195) does not send it either;
 * PLAIN (RFC 4616) and LOGIN send it (under TLS); XOAUTH2 sends a bearer token.
 */
export const CLIENT_AUTH_MECHANISMS: readonly ClientAuthMechanism[] = Object.freeze([
  'SCRAM-SHA-256',
  'CRAM-MD5',
  'PLAIN',
  'LOGIN',
  'XOAUTH2',
]);

/** Whether `auth` carries what `mechanism` needs (a password, or an access token for XOAUTH2). */
function usable(mechanism: ClientAuthMechanism, auth: ClientAuthOptions): boolean {
  return mechanism === 'XOAUTH2' ? auth.accessToken !== undefined : auth.password !== undefined;
}

/**
 * Refuses, before anything is sent, credentials no mechanism could carry (empty, or with NUL,
 * CR or LF), as `ERR_CLIENT_MISUSE_INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * checkAuthOptions({ username: 'tim', password: 'x\r\n' }); // throws
 * ```
 */
export function checkAuthOptions(auth: ClientAuthOptions): void {
  const candidates =
    auth.mechanism === undefined
      ? CLIENT_AUTH_MECHANISMS.filter((m) => usable(m, auth))
      : [auth.mechanism];
  if (candidates.length === 0 || !candidates.every((m) => usable(m, auth))) {
    throw new ClientError(
      'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      'auth needs a password (or an accessToken for XOAUTH2)',
    );
  }
  for (const m of candidates) createMechanism(m, auth);
}

/**
 * The SASL mechanism to authenticate with: `auth.mechanism` when given (the server must offer
 * it), else the strongest the server offers that the credentials allow.
 *
 * @throws {ClientError} `ERR_CLIENT_EXTENSION` when the server offers none of them.
 * @example
 * ```ts
 * chooseMechanism({ username: 'tim', password: 'x' }, ['PLAIN', 'SCRAM-SHA-256']).name; // 'SCRAM-SHA-256'
 * ```
 */
export function chooseMechanism(
  auth: ClientAuthOptions,
  offered: readonly string[],
): SaslClientMechanism {
  const names = new Set(offered.map((m) => m.toUpperCase()));
  const name =
    auth.mechanism ?? CLIENT_AUTH_MECHANISMS.find((m) => names.has(m) && usable(m, auth));
  if (name === undefined || !names.has(name)) {
    const what = name === undefined ? 'none of the mechanisms the client can use' : name;
    throw new ClientError(
      'ERR_CLIENT_EXTENSION',
      `the server offers ${what} (AUTH ${[...names].join(' ')})`,
      { command: 'AUTH', permanent: true },
    );
  }
  return createMechanism(name, auth);
}

function createMechanism(name: ClientAuthMechanism, auth: ClientAuthOptions): SaslClientMechanism {
  const username = auth.username;
  const password = auth.password ?? '';
  const authzid =
    auth.authorizationIdentity === undefined
      ? {}
      : { authorizationIdentity: auth.authorizationIdentity };
  try {
    switch (name) {
      case 'SCRAM-SHA-256':
        return createScramSha256Client({ username, password, crypto: nodeSaslCrypto, ...authzid });
      case 'CRAM-MD5':
        return createCramMd5Client({ username, secret: password, crypto: nodeSaslCrypto });
      case 'PLAIN':
        return createPlainClient({ username, password, ...authzid });
      case 'LOGIN':
        return createLoginClient({ username, password });
      case 'XOAUTH2':
        return createXoauth2Client({ username, token: auth.accessToken ?? '' });
    }
  } catch (error) {
    if (isSaslError(error)) {
      throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', `auth: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
