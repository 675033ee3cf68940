import { decodeBase64Strict, encodeBase64, utf8DecodeStrict } from '../base64.js';
import { cramMd5Digest } from '../cram-md5-mechanism.js';
import type { SaslCrypto } from '../sasl-crypto.js';
import { SaslError } from '../sasl-error.js';
import { checkClientValue, type SaslClientMechanism } from './sasl-client-mechanism.js';

/** Options of {@link createCramMd5Client}. */
export interface CramMd5ClientOptions {
  readonly username: string;
  /** The shared secret. */
  readonly secret: string;
  /** Cryptography (`nodeSaslCrypto` from `@smtpkit/sasl/node` on Node). */
  readonly crypto: SaslCrypto;
}

/**
 * Client side of CRAM-MD5 (RFC 2195): `user SP hex(HMAC-MD5(secret, challenge))`.
 *
 * @example
 * ```ts
 * createCramMd5Client({ username: 'tim', secret: 'tanstaaftanstaaf' })
 *   .respond('PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+');
 * // 'dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw'
 * ```
 */
export function createCramMd5Client(options: CramMd5ClientOptions): SaslClientMechanism {
  checkClientValue('username', options.username);
  checkClientValue('secret', options.secret);
  let done = false;
  return {
    name: 'CRAM-MD5',
    initialResponse: () => undefined,
    respond(challenge) {
      const bytes = decodeBase64Strict(challenge);
      const text = bytes === undefined ? undefined : utf8DecodeStrict(bytes);
      if (text === undefined || text === '' || done)
        throw new SaslError('ERR_SASL_SERVER_CHALLENGE', 'CRAM-MD5 challenge is invalid');
      done = true;
      const digest = cramMd5Digest(options.secret, text, options.crypto);
      return encodeBase64(`${options.username} ${digest}`);
    },
    complete: () => {},
  };
}
