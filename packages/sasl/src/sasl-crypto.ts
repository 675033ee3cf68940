/**
 * The cryptography the mechanisms need, injected so the exchange logic stays a pure state machine
 * that tests can drive with fixed nonces. {@link nodeSaslCrypto} implements it with `node:crypto`.
 *
 * @example
 * ```ts
 * const fixed: SaslCrypto = { ...nodeSaslCrypto, randomBytes: (n) => new Uint8Array(n) };
 * ```
 */
export interface SaslCrypto {
  /** `n` cryptographically random bytes (nonces, decoy salts). */
  randomBytes(n: number): Uint8Array;
  /** HMAC (RFC 2104) with MD5 (CRAM-MD5) or SHA-256 (SCRAM-SHA-256). */
  hmac(algorithm: 'md5' | 'sha256', key: Uint8Array, data: Uint8Array): Uint8Array;
  /** A plain hash: SHA-256 for SCRAM's H(). */
  hash(algorithm: 'sha256', data: Uint8Array): Uint8Array;
  /** PBKDF2 with HMAC-SHA-256 (RFC 8018), SCRAM's Hi(). */
  pbkdf2(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array;
  /** Constant-time equality; false when the lengths differ. */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}
