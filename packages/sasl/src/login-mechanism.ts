import { encodeBase64, utf8DecodeStrict } from './base64.js';
import { type SaslServerMechanism, type SaslStep, steps } from './sasl-mechanism.js';
import { SingleVerifyMechanism } from './single-verify-mechanism.js';

/*
 * The LOGIN specification (draft-sasl-login, documented again as draft-murchison-sasl-login-00),
 * §2 "Server side of authentication protocol exchange": "The server issues a string which SHOULD
 * be "User Name" in challenge, and receives a client response. This response is recorded as the
 * authorization identity. The server then issues a string which SHOULD be "Password" in
 * challenge, and receives a client response. This response is recorded as the authorization
 * authenticator." §1 (client side): "The contents of both challenges are ignored." Deployed
 * SMTP servers send "Username:" and "Password:", so this server does too.
 * draft-murchison-sasl-login-00 §1: "This mechanism MUST NOT be used without adequate security
 * protection".
 */
/** The LOGIN user-name challenge, `Username:` in base64. */
export const LOGIN_USERNAME_CHALLENGE = encodeBase64('Username:');
/** The LOGIN password challenge, `Password:` in base64. */
export const LOGIN_PASSWORD_CHALLENGE = encodeBase64('Password:');

/** A LOGIN field: well-formed UTF-8 without NUL; `undefined` otherwise. */
function loginField(bytes: Uint8Array): string | undefined {
  if (bytes.indexOf(0) >= 0) return undefined;
  return utf8DecodeStrict(bytes);
}

/** Hands a non-empty LOGIN field to `use`; a malformed or empty one ends the exchange. */
function nonEmptyField(bytes: Uint8Array, use: (value: string) => SaslStep): SaslStep {
  const value = loginField(bytes);
  if (value === undefined) return steps.malformed;
  if (value === '') return steps.invalid;
  return use(value);
}

class LoginMechanism extends SingleVerifyMechanism<'awaiting-username' | 'awaiting-password'> {
  readonly name = 'LOGIN';
  #username = '';
  protected readonly answers = {
    'awaiting-username': (clientLine: string) => this.#username_(clientLine, false),
    'awaiting-password': (clientLine: string) =>
      this.read(clientLine, false, (bytes) =>
        nonEmptyField(bytes, (password) => this.verify({ username: this.#username, password })),
      ),
  };

  protected firstChallenge() {
    return { state: 'awaiting-username', data: LOGIN_USERNAME_CHALLENGE } as const;
  }

  // Clients send the user name as the initial response (`AUTH LOGIN dGlt`).
  protected initialResponse(response: string): SaslStep {
    return this.#username_(response, true);
  }

  #username_(line: string, initial: boolean): SaslStep {
    return this.read(line, initial, (bytes) =>
      nonEmptyField(bytes, (username) => {
        this.#username = username;
        return this.challenge('awaiting-password', LOGIN_PASSWORD_CHALLENGE);
      }),
    );
  }
}

/**
 * A server-side LOGIN exchange (draft-murchison-sasl-login): `Username:` then `Password:`
 * challenges. Offer it only over TLS.
 *
 * @example
 * ```ts
 * const m = createLoginMechanism();
 * m.start(undefined);   // { kind: 'challenge', data: 'VXNlcm5hbWU6' }
 * m.next('dGlt');       // { kind: 'challenge', data: 'UGFzc3dvcmQ6' }
 * m.next('dGFuc3RhYWY='); // { kind: 'verify', credentials: { username: 'tim', ... } }
 * ```
 */
export function createLoginMechanism(): SaslServerMechanism {
  return new LoginMechanism();
}
