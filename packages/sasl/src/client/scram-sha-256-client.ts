import { decodeBase64Strict, encodeBase64, utf8DecodeStrict, utf8Encode } from '../base64.js';
import type { SaslCrypto } from '../sasl-crypto.js';
import { SaslError } from '../sasl-error.js';
import { saslPrep } from '../saslprep.js';
import {
  encodeSaslname,
  isScramNonce,
  parseScramAttributes,
  xorBytes,
} from '../scram-attributes.js';
import { SCRAM_MIN_ITERATIONS, scramKeys, scramSaltedPassword } from '../scram-credentials.js';
import { checkClientValue, type SaslClientMechanism } from './sasl-client-mechanism.js';

/** Options of {@link createScramSha256Client}. */
export interface ScramClientOptions {
  readonly username: string;
  readonly password: string;
  readonly authorizationIdentity?: string;
  /** The client nonce (c-nonce); random base64 of 18 bytes when absent. */
  readonly nonce?: string;
  /** Smallest iteration count accepted from the server; default 4096 (RFC 7677 §4). */
  readonly minIterations?: number;
  /** Largest iteration count accepted from the server, bounding the work; default 600000. */
  readonly maxIterations?: number;
  /** Cryptography (`nodeSaslCrypto` from `@smtpkit/sasl/node` on Node). */
  readonly crypto: SaslCrypto;
}

/** A client SCRAM exchange; `serverVerified` turns true once `v=` matched. */
export interface ScramClientMechanism extends SaslClientMechanism {
  readonly serverVerified: boolean;
}

const fail = (message: string): never => {
  throw new SaslError('ERR_SASL_SERVER_CHALLENGE', message);
};

/**
 * Client side of SCRAM-SHA-256 (RFC 7677, RFC 5802) without channel binding (gs2 flag `n`).
 * It checks the server nonce, the iteration bounds and the server signature; `complete()` throws
 * if a 235 arrives before the server proved itself.
 *
 * @example
 * ```ts
 * const m = createScramSha256Client({ username: 'user', password: 'pencil' });
 * m.initialResponse(); // base64 of 'n,,n=user,r=...'
 * ```
 */
export function createScramSha256Client(options: ScramClientOptions): ScramClientMechanism {
  checkClientValue('username', options.username);
  checkClientValue('password', options.password);
  const crypto = options.crypto;
  const user = saslPrep(options.username);
  if (user === undefined) throw new SaslError('ERR_SASL_MISUSE_OPTION', 'username fails SASLprep');
  const nonce = options.nonce ?? encodeBase64(crypto.randomBytes(18));
  if (!isScramNonce(nonce))
    throw new SaslError('ERR_SASL_MISUSE_OPTION', 'SCRAM nonce is not printable');
  const authzid = options.authorizationIdentity;
  if (authzid !== undefined) checkClientValue('authorizationIdentity', authzid);
  const gs2Header = `n,${authzid === undefined ? '' : `a=${encodeSaslname(authzid)}`},`;
  const clientFirstBare = `n=${encodeSaslname(user)},r=${nonce}`;
  const minIterations = options.minIterations ?? SCRAM_MIN_ITERATIONS;
  const maxIterations = options.maxIterations ?? 600_000;
  let stage: 'first' | 'final' | 'verify' | 'done' = 'first';
  let expectedSignature: Uint8Array | undefined;
  let serverVerified = false;

  const decode = (challenge: string): string => {
    const bytes = decodeBase64Strict(challenge);
    const text = bytes === undefined ? undefined : utf8DecodeStrict(bytes);
    return text ?? fail('SCRAM challenge is not base64 UTF-8');
  };

  return {
    name: 'SCRAM-SHA-256',
    get serverVerified() {
      return serverVerified;
    },
    initialResponse: () => encodeBase64(gs2Header + clientFirstBare),
    respond(challenge) {
      if (stage === 'first') {
        stage = 'final';
        // An empty challenge asks for the client-first message (no initial response was sent);
        // anything else is server-first answering the initial response.
        if (challenge === '') return encodeBase64(gs2Header + clientFirstBare);
      }
      const text = decode(challenge);
      if (stage === 'final') {
        const attrs = parseScramAttributes(text) ?? fail('SCRAM server-first is malformed');
        const [r, s, i] = attrs;
        if (r?.name === 'm') fail('SCRAM server requires an unsupported extension');
        if (r?.name !== 'r' || s?.name !== 's' || i?.name !== 'i')
          fail('SCRAM server-first is malformed');
        const fullNonce = r?.value ?? '';
        // RFC 5802 §5.1 r: the server's nonce starts with the client's and adds its own part.
        if (!fullNonce.startsWith(nonce) || fullNonce.length === nonce.length)
          fail('SCRAM server nonce does not extend the client nonce');
        if (!isScramNonce(fullNonce)) fail('SCRAM server nonce is not printable');
        const salt = decodeBase64Strict(s?.value ?? '') ?? fail('SCRAM salt is not base64');
        if (salt.length === 0) fail('SCRAM salt is empty');
        if (!/^[1-9][0-9]{0,9}$/.test(i?.value ?? '')) fail('SCRAM iteration count is invalid');
        const iterations = Number(i?.value);
        if (iterations < minIterations || iterations > maxIterations)
          fail(
            `SCRAM iteration count ${iterations} is outside [${minIterations}, ${maxIterations}]`,
          );
        const salted = scramSaltedPassword(options.password, salt, iterations, crypto);
        const keys = scramKeys(salted, crypto);
        const withoutProof = `c=${encodeBase64(gs2Header)},r=${fullNonce}`;
        const authMessage = utf8Encode(`${clientFirstBare},${text},${withoutProof}`);
        const proof = xorBytes(keys.clientKey, crypto.hmac('sha256', keys.storedKey, authMessage));
        expectedSignature = crypto.hmac('sha256', keys.serverKey, authMessage);
        stage = 'verify';
        return encodeBase64(`${withoutProof},p=${encodeBase64(proof)}`);
      }
      if (stage === 'verify') {
        stage = 'done';
        if (text.startsWith('e='))
          throw new SaslError('ERR_SASL_SERVER_ERROR', `SCRAM server error: ${text.slice(2)}`);
        const attrs = parseScramAttributes(text);
        const v = attrs?.[0];
        const signature = v?.name === 'v' ? decodeBase64Strict(v.value) : undefined;
        if (
          signature === undefined ||
          expectedSignature === undefined ||
          !crypto.timingSafeEqual(signature, expectedSignature)
        )
          throw new SaslError('ERR_SASL_SERVER_SIGNATURE', 'SCRAM server signature mismatch');
        serverVerified = true;
        return '';
      }
      return fail('SCRAM server sent a challenge after the exchange ended');
    },
    complete() {
      if (!serverVerified)
        throw new SaslError(
          'ERR_SASL_SERVER_SIGNATURE',
          'SCRAM: 235 before the server proved knowledge of the password',
        );
    },
  };
}
