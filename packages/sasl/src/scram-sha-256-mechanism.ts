import { decodeBase64Strict, encodeBase64, utf8DecodeStrict, utf8Encode } from './base64.js';
import { createCredentials, type SaslCredentials } from './sasl-credentials.js';
import type { SaslCrypto } from './sasl-crypto.js';
import { SaslError } from './sasl-error.js';
import {
  outOfOrder,
  readClientResponse,
  responseFailure,
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  type ScramStoredSecrets,
  steps,
  success,
  verdictFailure,
} from './sasl-mechanism.js';
import { saslPrep } from './saslprep.js';
import {
  decodeSaslname,
  isScramNonce,
  parseScramAttributes,
  xorBytes,
} from './scram-attributes.js';
import { SCRAM_MIN_ITERATIONS } from './scram-credentials.js';

/*
 * RFC 5802 §7:
 *   gs2-cbind-flag  = ("p=" cb-name) / "n" / "y"
 *   gs2-header      = gs2-cbind-flag "," [ authzid ] ","
 *   authzid         = "a=" saslname
 *   username        = "n=" saslname
 *   reserved-mext   = "m=" 1*(value-char)
 *   nonce           = "r=" c-nonce [s-nonce]
 *   client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
 *   client-first-message = gs2-header client-first-message-bare
 *   server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
 *   client-final-message-without-proof = channel-binding "," nonce ["," extensions]
 *   client-final-message = client-final-message-without-proof "," proof
 *   server-final-message = (server-error / verifier) ["," extensions]
 * RFC 5802 §3:
 *   AuthMessage     := client-first-message-bare + "," + server-first-message + "," +
 *                      client-final-message-without-proof
 *   ClientSignature := HMAC(StoredKey, AuthMessage)
 *   ClientProof     := ClientKey XOR ClientSignature
 *   ServerSignature := HMAC(ServerKey, AuthMessage)
 * "The server verifies the nonce and the proof, verifies that the authorization identity (if
 * supplied by the client in the first message) is authorized to act as the authentication
 * identity, and, finally, it responds with a 'server-final-message'."
 * RFC 5802 §6: "If the flag is set to 'y' and the server supports channel binding, the server
 * MUST fail authentication." We offer no -PLUS variant, so 'y' is accepted and 'p=' refused.
 * RFC 5802 §5.1 m: "This attribute is reserved for future extensibility. In this version of
 * SCRAM, its presence in a client or a server message MUST cause authentication failure when the
 * attribute is parsed by the other end."
 */

/** Options of {@link createScramSha256Mechanism}. */
export interface ScramServerOptions {
  /** Cryptography (`nodeSaslCrypto` from `@smtpkit/sasl/node` on Node). */
  readonly crypto: SaslCrypto;
  /** The server nonce part (s-nonce); random base64 of 18 bytes when absent. */
  readonly nonce?: string;
  /**
   * Key that derives a stable decoy salt for unknown users, so that probing the server-first
   * message does not tell which users exist. Random per exchange when absent.
   */
  readonly decoyKey?: Uint8Array;
}

type ScramState =
  | 'initial'
  | 'awaiting-client-first'
  | 'looking-up'
  | 'awaiting-client-final'
  | 'verifying'
  | 'awaiting-ack'
  | 'done';

class ScramSha256Mechanism implements SaslServerMechanism {
  readonly name = 'SCRAM-SHA-256';
  readonly #crypto: SaslCrypto;
  readonly #options: ScramServerOptions;
  #state: ScramState = 'initial';
  #gs2Header = '';
  #clientFirstBare = '';
  #clientNonce = '';
  #username = '';
  #authzid: string | undefined;
  #serverFirst = '';
  #nonce = '';
  #secrets: ScramStoredSecrets | undefined;
  #decoy = false;
  #serverSignature: Uint8Array = new Uint8Array(0);
  #credentials: SaslCredentials | undefined;

  constructor(options: ScramServerOptions) {
    this.#options = options;
    this.#crypto = options.crypto;
    if (options.nonce !== undefined && !isScramNonce(options.nonce))
      throw new SaslError(
        'ERR_SASL_MISUSE_OPTION',
        'SCRAM nonce must be printable ASCII without ","',
      );
  }

  start(initialResponse: string | undefined): SaslStep {
    if (this.#state !== 'initial') outOfOrder(this.name, 'start', this.#state);
    if (initialResponse === undefined) {
      this.#state = 'awaiting-client-first';
      return { kind: 'challenge', data: '' };
    }
    return this.#clientFirst(initialResponse, true);
  }

  next(clientLine: string): SaslStep {
    switch (this.#state) {
      case 'awaiting-client-first':
        return this.#clientFirst(clientLine, false);
      case 'awaiting-client-final':
        return this.#clientFinal(clientLine);
      case 'awaiting-ack': {
        // RFC 4422 §4 (3c): the additional data with success went out as a challenge; the
        // client answers it with an empty response.
        this.#state = 'done';
        if (clientLine === '*') return steps.cancelled;
        if (clientLine !== '' || this.#credentials === undefined) return steps.malformed;
        return success(this.#credentials);
      }
      default:
        return outOfOrder(this.name, 'next', this.#state);
    }
  }

  secrets(stored: ScramStoredSecrets | undefined): SaslStep {
    if (this.#state !== 'looking-up') outOfOrder(this.name, 'secrets', this.#state);
    if (stored !== undefined && stored.iterations < SCRAM_MIN_ITERATIONS)
      throw new SaslError(
        'ERR_SASL_MISUSE_OPTION',
        `stored SCRAM iterations below ${SCRAM_MIN_ITERATIONS}`,
      );
    const crypto = this.#crypto;
    if (stored === undefined) {
      // An unknown user gets a decoy exchange that can only fail, at the same step a wrong
      // password fails.
      const key = this.#options.decoyKey ?? crypto.randomBytes(32);
      const salt = crypto.hmac('sha256', key, utf8Encode(this.#username)).subarray(0, 16);
      stored = {
        salt,
        iterations: SCRAM_MIN_ITERATIONS,
        storedKey: crypto.randomBytes(32),
        serverKey: crypto.randomBytes(32),
      };
      this.#decoy = true;
    }
    this.#secrets = stored;
    const serverNonce = this.#options.nonce ?? encodeBase64(crypto.randomBytes(18));
    this.#nonce = this.#clientNonce + serverNonce;
    this.#serverFirst = `r=${this.#nonce},s=${encodeBase64(stored.salt)},i=${stored.iterations}`;
    this.#state = 'awaiting-client-final';
    return { kind: 'challenge', data: encodeBase64(this.#serverFirst) };
  }

  verified(verdict: SaslVerdict): SaslStep {
    if (this.#state !== 'verifying') outOfOrder(this.name, 'verified', this.#state);
    if (verdict.kind !== 'accept') {
      this.#state = 'done';
      return verdictFailure(verdict);
    }
    this.#state = 'awaiting-ack';
    return { kind: 'challenge', data: encodeBase64(`v=${encodeBase64(this.#serverSignature)}`) };
  }

  #clientFirst(line: string, initial: boolean): SaslStep {
    const response = readClientResponse(line, initial);
    this.#state = 'done';
    if (response.kind !== 'data') return responseFailure(response);
    const text = utf8DecodeStrict(response.bytes);
    if (text === undefined) return steps.malformed;
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","
    const comma1 = text.indexOf(',');
    const comma2 = comma1 < 0 ? -1 : text.indexOf(',', comma1 + 1);
    if (comma2 < 0) return steps.malformed;
    const flag = text.slice(0, comma1);
    if (flag.startsWith('p=')) return steps.invalid; // channel binding: we offer no -PLUS
    if (flag !== 'n' && flag !== 'y') return steps.malformed;
    const authzidField = text.slice(comma1 + 1, comma2);
    let authzid: string | undefined;
    if (authzidField !== '') {
      if (!authzidField.startsWith('a=')) return steps.malformed;
      authzid = decodeSaslname(authzidField.slice(2));
      if (authzid === undefined) return steps.malformed;
    }
    this.#gs2Header = text.slice(0, comma2 + 1);
    this.#clientFirstBare = text.slice(comma2 + 1);
    const attributes = parseScramAttributes(this.#clientFirstBare);
    if (attributes === undefined) return steps.malformed;
    const [user, nonce] = attributes;
    if (user?.name === 'm') return steps.invalid; // unsupported mandatory extension
    if (user?.name !== 'n' || nonce?.name !== 'r' || !isScramNonce(nonce.value))
      return steps.malformed;
    const decoded = decodeSaslname(user.value);
    const username = decoded === undefined ? undefined : saslPrep(decoded);
    if (username === undefined || username === '') return steps.malformed;
    this.#username = username;
    this.#authzid = authzid;
    this.#clientNonce = nonce.value;
    this.#state = 'looking-up';
    return authzid === undefined
      ? { kind: 'lookup', username }
      : { kind: 'lookup', username, authorizationIdentity: authzid };
  }

  #clientFinal(line: string): SaslStep {
    const response = readClientResponse(line, false);
    this.#state = 'done';
    if (response.kind !== 'data') return responseFailure(response);
    const text = utf8DecodeStrict(response.bytes);
    if (text === undefined) return steps.malformed;
    const proofAt = text.lastIndexOf(',p=');
    if (proofAt < 0) return steps.malformed;
    const withoutProof = text.slice(0, proofAt);
    const attributes = parseScramAttributes(withoutProof);
    const proof = decodeBase64Strict(text.slice(proofAt + 3));
    if (attributes === undefined || proof === undefined) return steps.malformed;
    const [binding, nonce] = attributes;
    if (binding?.name !== 'c' || nonce?.name !== 'r') return steps.malformed;
    // channel-binding = "c=" base64(gs2-header [ cbind-data ]); no cbind-data without -PLUS.
    if (binding.value !== encodeBase64(this.#gs2Header)) return steps.invalid;
    if (nonce.value !== this.#nonce) return steps.invalid;
    const secrets = this.#secrets;
    if (secrets === undefined || proof.length !== secrets.storedKey.length) return steps.invalid;
    const crypto = this.#crypto;
    const authMessage = utf8Encode(`${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`);
    const clientSignature = crypto.hmac('sha256', secrets.storedKey, authMessage);
    const clientKey = xorBytes(proof, clientSignature);
    const matches = crypto.timingSafeEqual(crypto.hash('sha256', clientKey), secrets.storedKey);
    if (!matches || this.#decoy) return steps.invalid;
    this.#serverSignature = crypto.hmac('sha256', secrets.serverKey, authMessage);
    this.#credentials = createCredentials({
      mechanism: this.name,
      username: this.#username,
      scram: { proofVerified: true, iterations: secrets.iterations },
      ...(this.#authzid === undefined ? {} : { authorizationIdentity: this.#authzid }),
    });
    this.#state = 'verifying';
    return { kind: 'verify', credentials: this.#credentials };
  }
}

/**
 * A server-side SCRAM-SHA-256 exchange (RFC 7677, RFC 5802) without channel binding. The steps:
 * `lookup` (answer with `secrets(stored)` from {@link scramCredentials}), a challenge carrying
 * server-first, a `verify` once the client's proof checks out (authorization), a challenge
 * carrying server-final (`v=...`), then `success` after the client's empty line.
 *
 * @example
 * ```ts
 * const m = createScramSha256Mechanism({ crypto: nodeSaslCrypto }); // from '@smtpkit/sasl/node'
 * let step = m.start(encodeBase64('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')); // { kind: 'lookup' }
 * step = m.secrets(await db.scramSecrets('user'));                       // server-first
 * ```
 */
export function createScramSha256Mechanism(options: ScramServerOptions): SaslServerMechanism {
  return new ScramSha256Mechanism(options);
}
