import { utf8DecodeStrict } from './base64.js';
import { type SaslServerMechanism, type SaslStep, steps } from './sasl-mechanism.js';
import { SingleVerifyMechanism } from './single-verify-mechanism.js';

/** What PLAIN carries: `[authzid] NUL authcid NUL passwd` decoded (RFC 4616 §2). */
export interface PlainMessage {
  readonly authorizationIdentity: string | undefined;
  readonly username: string;
  readonly password: string;
}

/*
 * RFC 4616 §2:
 *   message   = [authzid] UTF8NUL authcid UTF8NUL passwd
 *   authcid   = 1*SAFE ; MUST accept up to 255 octets
 *   authzid   = 1*SAFE ; MUST accept up to 255 octets
 *   passwd    = 1*SAFE ; MUST accept up to 255 octets
 *   UTF8NUL   = %x00 ; UTF-8 encoded NUL character
 *   SAFE      = UTF1 / UTF2 / UTF3 / UTF4 ; any UTF-8 encoded Unicode character except NUL
 */
/**
 * Parses the PLAIN `message` rule; `undefined` when it does not match (wrong NUL count, empty
 * authcid or passwd, ill-formed UTF-8).
 *
 * @example
 * ```ts
 * parsePlainMessage(new TextEncoder().encode('\0tim\0tanstaaf'));
 * // { authorizationIdentity: undefined, username: 'tim', password: 'tanstaaf' }
 * ```
 */
export function parsePlainMessage(bytes: Uint8Array): PlainMessage | undefined {
  const first = bytes.indexOf(0);
  if (first < 0) return undefined;
  const second = bytes.indexOf(0, first + 1);
  if (second < 0 || bytes.indexOf(0, second + 1) >= 0) return undefined;
  const authzid = utf8DecodeStrict(bytes.subarray(0, first));
  const authcid = utf8DecodeStrict(bytes.subarray(first + 1, second));
  const passwd = utf8DecodeStrict(bytes.subarray(second + 1));
  if (authzid === undefined || authcid === undefined || passwd === undefined) return undefined;
  if (authcid === '' || passwd === '') return undefined;
  return {
    authorizationIdentity: authzid === '' ? undefined : authzid,
    username: authcid,
    password: passwd,
  };
}

class PlainMechanism extends SingleVerifyMechanism<'awaiting-response'> {
  readonly name = 'PLAIN';
  protected readonly answers = {
    'awaiting-response': (clientLine: string) => this.#message(clientLine, false),
  };

  // RFC 4954 §4: without an initial response the server sends an empty challenge.
  protected firstChallenge() {
    return { state: 'awaiting-response', data: '' } as const;
  }

  protected initialResponse(response: string): SaslStep {
    return this.#message(response, true);
  }

  #message(line: string, initial: boolean): SaslStep {
    return this.read(line, initial, (bytes) => {
      const message = parsePlainMessage(bytes);
      if (message === undefined) return steps.malformed;
      return this.verify({
        username: message.username,
        password: message.password,
        ...(message.authorizationIdentity === undefined
          ? {}
          : { authorizationIdentity: message.authorizationIdentity }),
      });
    });
  }
}

/**
 * A server-side PLAIN exchange (RFC 4616). Offer it only over TLS (RFC 4616 §5).
 *
 * @example
 * ```ts
 * const m = createPlainMechanism();
 * m.start(undefined);                  // { kind: 'challenge', data: '' }
 * m.next('AHRpbQB0YW5zdGFhZg==');       // { kind: 'verify', credentials: { username: 'tim', ... } }
 * ```
 */
export function createPlainMechanism(): SaslServerMechanism {
  return new PlainMechanism();
}
