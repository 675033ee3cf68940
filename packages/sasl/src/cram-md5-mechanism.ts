import { encodeBase64, utf8Encode } from './base64.js';
import type { SaslCrypto } from './sasl-crypto.js';
import { SaslError } from './sasl-error.js';
import { type SaslServerMechanism, type SaslStep, steps } from './sasl-mechanism.js';
import { SingleVerifyMechanism } from './single-verify-mechanism.js';

/*
 * RFC 2195 §2: "The data encoded in the first ready response contains an presumptively arbitrary
 * string of random digits, a timestamp, and the fully-qualified primary host name of the server.
 * The syntax of the unencoded form must correspond to that of an RFC 822 'msg-id' [RFC822] as
 * described in [POP3]."
 * "The client makes note of the data and then responds with a string consisting of the user name,
 * a space, and a 'digest'. The latter is computed by applying the keyed MD5 algorithm from
 * [KEYED-MD5] where the key is a shared secret and the digested text is the timestamp (including
 * angle-brackets)." "The `digest' parameter itself is a 16-octet value which is sent in
 * hexadecimal format, using lower-case ASCII characters."
 */

/** Options of {@link createCramMd5Challenge}. */
export interface CramMd5ChallengeOptions {
  /** The server's fully-qualified host name. */
  readonly hostname: string;
  /** A timestamp chosen by the caller (seconds or milliseconds; this package reads no clock). */
  readonly timestamp: number;
  /** Source of the random digits (`nodeSaslCrypto` from `@smtpkit/sasl/node` on Node). */
  readonly crypto: SaslCrypto;
}

/**
 * Builds an RFC 2195 challenge `<random-digits.timestamp@hostname>`.
 *
 * @example
 * ```ts
 * createCramMd5Challenge({ hostname: 'mx.example.org', timestamp: 697170952 });
 * // '<4826193741029384.697170952@mx.example.org>'
 * ```
 */
export function createCramMd5Challenge(options: CramMd5ChallengeOptions): string {
  const random = options.crypto.randomBytes(8);
  let digits = '';
  for (const b of random) digits += String(b % 100).padStart(2, '0');
  if (!Number.isSafeInteger(options.timestamp) || options.timestamp < 0)
    throw new SaslError(
      'ERR_SASL_MISUSE_OPTION',
      'CRAM-MD5 timestamp must be a non-negative integer',
    );
  if (!/^[A-Za-z0-9.-]+$/.test(options.hostname))
    throw new SaslError('ERR_SASL_MISUSE_OPTION', 'CRAM-MD5 hostname must be a host name');
  return `<${digits}.${options.timestamp}@${options.hostname}>`;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * The CRAM-MD5 digest: lower-case hex of HMAC-MD5(secret, challenge) (RFC 2195 §2).
 *
 * @example
 * ```ts
 * cramMd5Digest('tanstaaftanstaaf', '<1896.697170952@postoffice.reston.mci.net>');
 * // 'b913a602c7eda7a495b4e6e7334d3890'
 * ```
 */
export function cramMd5Digest(secret: string, challenge: string, crypto: SaslCrypto): string {
  return hex(crypto.hmac('md5', utf8Encode(secret), utf8Encode(challenge)));
}

/**
 * Checks a CRAM-MD5 digest against the shared secret, in constant time.
 *
 * @example
 * ```ts
 * verifyCramMd5('tanstaaftanstaaf', '<1896.697170952@postoffice.reston.mci.net>',
 *   'b913a602c7eda7a495b4e6e7334d3890'); // true
 * ```
 */
export function verifyCramMd5(
  secret: string,
  challenge: string,
  digest: string,
  crypto: SaslCrypto,
): boolean {
  const expected = utf8Encode(cramMd5Digest(secret, challenge, crypto));
  return crypto.timingSafeEqual(expected, utf8Encode(digest.toLowerCase()));
}

/** Options of {@link createCramMd5Mechanism}. */
export interface CramMd5Options {
  /** The challenge to send, e.g. from {@link createCramMd5Challenge}. */
  readonly challenge: string;
}

/** 16 octets in hex: 32 digits; upper case is accepted too, as deployed servers do. */
const DIGEST = /^[0-9a-fA-F]{32}$/;

class CramMd5Mechanism extends SingleVerifyMechanism<'awaiting-response'> {
  readonly name = 'CRAM-MD5';
  readonly #challenge: string;
  protected readonly answers = {
    'awaiting-response': (clientLine: string) =>
      this.readText(clientLine, false, (text) => this.#response(text)),
  };

  constructor(options: CramMd5Options) {
    super();
    if (!/^<[\x21-\x7e]+>$/.test(options.challenge))
      throw new SaslError('ERR_SASL_MISUSE_OPTION', 'CRAM-MD5 challenge must look like <id@host>');
    this.#challenge = options.challenge;
  }

  protected firstChallenge() {
    return { state: 'awaiting-response', data: encodeBase64(this.#challenge) } as const;
  }

  // The server speaks first in CRAM-MD5: an initial response cannot be an answer.
  protected initialResponse(): SaslStep {
    return this.finish(steps.malformed);
  }

  #response(text: string): SaslStep {
    if (text.includes('\0')) return steps.malformed;
    // "the user name, a space, and a 'digest'": the digest has no space, the name may.
    const space = text.lastIndexOf(' ');
    const username = text.slice(0, Math.max(space, 0));
    const digest = text.slice(space + 1);
    if (space <= 0 || !DIGEST.test(digest)) return steps.malformed;
    return this.verify({ username, digest: digest.toLowerCase(), challenge: this.#challenge });
  }
}

/**
 * A server-side CRAM-MD5 exchange (RFC 2195). The verifier receives `username`, `digest` and
 * `challenge` and checks them with {@link verifyCramMd5} against the stored shared secret.
 *
 * @example
 * ```ts
 * const m = createCramMd5Mechanism({ challenge: '<1896.697170952@postoffice.reston.mci.net>' });
 * m.start(undefined); // { kind: 'challenge', data: 'PDE4OTYu...' }
 * ```
 */
export function createCramMd5Mechanism(options: CramMd5Options): SaslServerMechanism {
  return new CramMd5Mechanism(options);
}
