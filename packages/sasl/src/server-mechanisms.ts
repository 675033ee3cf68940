import { type CramMd5Options, createCramMd5Mechanism } from './cram-md5-mechanism.js';
import { createLoginMechanism } from './login-mechanism.js';
import { createPlainMechanism } from './plain-mechanism.js';
import type { SaslCrypto } from './sasl-crypto.js';
import { SaslError } from './sasl-error.js';
import type { SaslServerMechanism } from './sasl-mechanism.js';
import { createScramSha256Mechanism, type ScramServerOptions } from './scram-sha-256-mechanism.js';
import { createXoauth2Mechanism } from './xoauth2-mechanism.js';

/** The mechanism names this package implements on the server side. */
export const SERVER_SASL_MECHANISMS = [
  'PLAIN',
  'LOGIN',
  'CRAM-MD5',
  'XOAUTH2',
  'SCRAM-SHA-256',
] as const;

/** A mechanism name of {@link SERVER_SASL_MECHANISMS}. */
export type ServerSaslMechanismName = (typeof SERVER_SASL_MECHANISMS)[number];

/** Per-mechanism options of {@link createServerMechanism}. */
export interface ServerMechanismOptions {
  /** Cryptography for SCRAM-SHA-256 (`nodeSaslCrypto` from `@smtpkit/sasl/node` on Node). */
  readonly crypto: SaslCrypto;
  /** Required to create CRAM-MD5: the challenge of this exchange. */
  readonly cramMd5?: CramMd5Options;
  readonly scramSha256?: Omit<ScramServerOptions, 'crypto'>;
}

/**
 * Creates a fresh server mechanism by its name (case-insensitive, RFC 4422 §3.1), or returns
 * `undefined` for a name this package does not implement: the session then answers
 * `saslReplies.R504_5_5_4_MechanismNotSupported`.
 *
 * @example
 * ```ts
 * import { nodeSaslCrypto } from '@smtpkit/sasl/node';
 * const m = createServerMechanism('plain', { crypto: nodeSaslCrypto }); // PLAIN
 * createServerMechanism('GSSAPI', { crypto: nodeSaslCrypto });          // undefined
 * ```
 */
export function createServerMechanism(
  name: string,
  options: ServerMechanismOptions,
): SaslServerMechanism | undefined {
  switch (name.toUpperCase()) {
    case 'PLAIN':
      return createPlainMechanism();
    case 'LOGIN':
      return createLoginMechanism();
    case 'CRAM-MD5':
      if (options.cramMd5 === undefined)
        throw new SaslError('ERR_SASL_MISUSE_OPTION', 'CRAM-MD5 needs options.cramMd5.challenge');
      return createCramMd5Mechanism(options.cramMd5);
    case 'XOAUTH2':
      return createXoauth2Mechanism();
    case 'SCRAM-SHA-256':
      return createScramSha256Mechanism({ ...options.scramSha256, crypto: options.crypto });
    default:
      return undefined;
  }
}
