import { decodeBase64Strict, encodeBase64 } from '../base64.js';
import { SaslError } from '../sasl-error.js';
import { checkClientValue, type SaslClientMechanism } from './sasl-client-mechanism.js';

/** Options of {@link createLoginClient}. */
export interface LoginClientOptions {
  readonly username: string;
  readonly password: string;
}

/**
 * Client side of LOGIN (draft-murchison-sasl-login): answers the first challenge with the user
 * name and the second with the password, whatever their prompt text.
 *
 * @example
 * ```ts
 * const m = createLoginClient({ username: 'tim', password: 'tanstaaf' });
 * m.respond('VXNlcm5hbWU6'); // 'dGlt'
 * m.respond('UGFzc3dvcmQ6'); // 'dGFuc3RhYWY='
 * ```
 */
export function createLoginClient(options: LoginClientOptions): SaslClientMechanism {
  checkClientValue('username', options.username);
  checkClientValue('password', options.password);
  let answered = 0;
  return {
    name: 'LOGIN',
    initialResponse: () => undefined,
    respond(challenge) {
      if (decodeBase64Strict(challenge) === undefined)
        throw new SaslError('ERR_SASL_SERVER_CHALLENGE', 'LOGIN challenge is not base64');
      answered++;
      if (answered === 1) return encodeBase64(options.username);
      if (answered === 2) return encodeBase64(options.password);
      throw new SaslError('ERR_SASL_SERVER_CHALLENGE', 'LOGIN server sent a third challenge');
    },
    complete: () => {},
  };
}
