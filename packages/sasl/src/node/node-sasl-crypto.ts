import {
  createHash,
  createHmac,
  timingSafeEqual as nodeTimingSafeEqual,
  pbkdf2Sync,
  randomBytes,
} from 'node:crypto';
import type { SaslCrypto } from '../sasl-crypto.js';

/**
 * {@link SaslCrypto} backed by `node:crypto`: the default of every mechanism.
 *
 * @example
 * ```ts
 * nodeSaslCrypto.randomBytes(18).length; // 18
 * ```
 */
export const nodeSaslCrypto: SaslCrypto = {
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  hash: (algorithm, data) => new Uint8Array(createHash(algorithm).update(data).digest()),
  pbkdf2: (password, salt, iterations, length) =>
    new Uint8Array(pbkdf2Sync(password, salt, iterations, length, 'sha256')),
  timingSafeEqual: (a, b) => a.length === b.length && nodeTimingSafeEqual(a, b),
};
