import { encodeBase64, utf8DecodeStrict } from './base64.js';
import { createCredentials, type SaslCredentials } from './sasl-credentials.js';
import {
  outOfOrder,
  readClientResponse,
  responseFailure,
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  steps,
  success,
  verdictFailure,
} from './sasl-mechanism.js';

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

type LoginState = 'initial' | 'awaiting-username' | 'awaiting-password' | 'verifying' | 'done';

/** A LOGIN field: well-formed UTF-8 without NUL; `undefined` otherwise. */
function loginField(bytes: Uint8Array): string | undefined {
  if (bytes.indexOf(0) >= 0) return undefined;
  return utf8DecodeStrict(bytes);
}

class LoginMechanism implements SaslServerMechanism {
  readonly name = 'LOGIN';
  #state: LoginState = 'initial';
  #username = '';
  #credentials: SaslCredentials | undefined;

  start(initialResponse: string | undefined): SaslStep {
    if (this.#state !== 'initial') outOfOrder(this.name, 'start', this.#state);
    if (initialResponse === undefined) {
      this.#state = 'awaiting-username';
      return { kind: 'challenge', data: LOGIN_USERNAME_CHALLENGE };
    }
    // Clients send the user name as the initial response (`AUTH LOGIN dGlt`).
    return this.#username_(initialResponse, true);
  }

  next(clientLine: string): SaslStep {
    if (this.#state === 'awaiting-username') return this.#username_(clientLine, false);
    if (this.#state !== 'awaiting-password') outOfOrder(this.name, 'next', this.#state);
    const response = readClientResponse(clientLine, false);
    this.#state = 'done';
    if (response.kind !== 'data') return responseFailure(response);
    const password = loginField(response.bytes);
    if (password === undefined) return steps.malformed;
    if (password === '') return steps.invalid;
    this.#credentials = createCredentials({
      mechanism: this.name,
      username: this.#username,
      password,
    });
    this.#state = 'verifying';
    return { kind: 'verify', credentials: this.#credentials };
  }

  verified(verdict: SaslVerdict): SaslStep {
    if (this.#state !== 'verifying' || this.#credentials === undefined)
      outOfOrder(this.name, 'verified', this.#state);
    this.#state = 'done';
    return verdict.kind === 'accept' ? success(this.#credentials) : verdictFailure(verdict);
  }

  secrets(): SaslStep {
    return outOfOrder(this.name, 'secrets', this.#state);
  }

  #username_(line: string, initial: boolean): SaslStep {
    const response = readClientResponse(line, initial);
    this.#state = 'done';
    if (response.kind !== 'data') return responseFailure(response);
    const username = loginField(response.bytes);
    if (username === undefined) return steps.malformed;
    if (username === '') return steps.invalid;
    this.#username = username;
    this.#state = 'awaiting-password';
    return { kind: 'challenge', data: LOGIN_PASSWORD_CHALLENGE };
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
