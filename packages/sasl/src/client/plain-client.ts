import { encodeBase64 } from '../base64.js';
import { checkClientValue, type SaslClientMechanism } from './sasl-client-mechanism.js';

/** Options of {@link createPlainClient}. */
export interface PlainClientOptions {
  readonly username: string;
  readonly password: string;
  readonly authorizationIdentity?: string;
  /** Send the message as the AUTH initial response (RFC 4954 §4); default true. */
  readonly useInitialResponse?: boolean;
}

/**
 * Client side of PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`.
 *
 * @example
 * ```ts
 * createPlainClient({ username: 'tim', password: 'tanstaaf' }).initialResponse();
 * // 'AHRpbQB0YW5zdGFhZg=='
 * ```
 */
export function createPlainClient(options: PlainClientOptions): SaslClientMechanism {
  checkClientValue('username', options.username);
  checkClientValue('password', options.password);
  if (options.authorizationIdentity !== undefined)
    checkClientValue('authorizationIdentity', options.authorizationIdentity);
  const message = encodeBase64(
    `${options.authorizationIdentity ?? ''}\0${options.username}\0${options.password}`,
  );
  const useInitial = options.useInitialResponse ?? true;
  return {
    name: 'PLAIN',
    initialResponse: () => (useInitial ? message : undefined),
    respond: () => message,
    complete: () => {},
  };
}
