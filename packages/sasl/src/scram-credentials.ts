import { utf8Encode } from './base64.js';
import type { SaslCrypto } from './sasl-crypto.js';
import { SaslError } from './sasl-error.js';
import type { ScramStoredSecrets } from './sasl-mechanism.js';
import { saslPrep } from './saslprep.js';

/*
 * RFC 5802 §3:
 *   SaltedPassword  := Hi(Normalize(password), salt, i)
 *   ClientKey       := HMAC(SaltedPassword, "Client Key")
 *   StoredKey       := H(ClientKey)
 *   ServerKey       := HMAC(SaltedPassword, "Server Key")
 * RFC 7677 §4: "the iteration-count ... SHOULD be at least 4096".
 */

/** RFC 7677 §4: the smallest iteration count this package accepts. */
export const SCRAM_MIN_ITERATIONS = 4096;

const CLIENT_KEY = utf8Encode('Client Key');
const SERVER_KEY = utf8Encode('Server Key');

/** SaltedPassword of RFC 5802 §3 (PBKDF2-HMAC-SHA-256 of the SASLprep'ed password). */
export function scramSaltedPassword(
  password: string,
  salt: Uint8Array,
  iterations: number,
  crypto: SaslCrypto,
): Uint8Array {
  const prepared = saslPrep(password);
  if (prepared === undefined)
    throw new SaslError('ERR_SASL_MISUSE_OPTION', 'password holds characters SASLprep prohibits');
  return crypto.pbkdf2(utf8Encode(prepared), salt, iterations, 32);
}

/**
 * The secrets a server stores for SCRAM-SHA-256 instead of the password (StoredKey, ServerKey,
 * salt, iteration count). `iterations` must be at least 4096 (RFC 7677 §4).
 *
 * @example
 * ```ts
 * const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
 * const secrets = scramCredentials('pencil', salt, 4096);
 * // store secrets.salt, secrets.iterations, secrets.storedKey, secrets.serverKey
 * ```
 */
export function scramCredentials(
  password: string,
  salt: Uint8Array,
  iterations: number,
  crypto: SaslCrypto,
): ScramStoredSecrets {
  if (!Number.isSafeInteger(iterations) || iterations < SCRAM_MIN_ITERATIONS)
    throw new SaslError(
      'ERR_SASL_MISUSE_OPTION',
      `SCRAM iterations must be >= ${SCRAM_MIN_ITERATIONS}`,
    );
  if (salt.length === 0)
    throw new SaslError('ERR_SASL_MISUSE_OPTION', 'SCRAM salt must not be empty');
  const salted = scramSaltedPassword(password, salt, iterations, crypto);
  const clientKey = crypto.hmac('sha256', salted, CLIENT_KEY);
  return {
    salt: Uint8Array.from(salt),
    iterations,
    storedKey: crypto.hash('sha256', clientKey),
    serverKey: crypto.hmac('sha256', salted, SERVER_KEY),
  };
}

/** ClientKey and ServerKey from a SaltedPassword: the client side of the same derivation. */
export function scramKeys(
  salted: Uint8Array,
  crypto: SaslCrypto,
): { clientKey: Uint8Array; storedKey: Uint8Array; serverKey: Uint8Array } {
  const clientKey = crypto.hmac('sha256', salted, CLIENT_KEY);
  return {
    clientKey,
    storedKey: crypto.hash('sha256', clientKey),
    serverKey: crypto.hmac('sha256', salted, SERVER_KEY),
  };
}
