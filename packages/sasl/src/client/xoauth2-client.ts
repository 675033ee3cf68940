import { decodeBase64Strict, encodeBase64, utf8DecodeStrict } from '../base64.js';
import { SaslError } from '../sasl-error.js';
import { checkClientValue, type SaslClientMechanism } from './sasl-client-mechanism.js';

/** Options of {@link createXoauth2Client}. */
export interface Xoauth2ClientOptions {
  readonly username: string;
  /** The OAuth 2.0 access token. */
  readonly token: string;
}

/** A client XOAUTH2 exchange; `errorJson` holds the server's JSON error after a failure. */
export interface Xoauth2ClientMechanism extends SaslClientMechanism {
  readonly errorJson: string | undefined;
}

/**
 * Client side of XOAUTH2: `user=...^Aauth=Bearer ...^A^A` as the initial response; the answer to
 * an error challenge is an empty line.
 *
 * @example
 * ```ts
 * createXoauth2Client({ username: 'a@b.c', token: 'ya29.x' }).initialResponse();
 * ```
 */
export function createXoauth2Client(options: Xoauth2ClientOptions): Xoauth2ClientMechanism {
  checkClientValue('username', options.username);
  checkClientValue('token', options.token);
  if (
    options.username.includes('\x01') ||
    options.token.includes('\x01') ||
    /\s/.test(options.token)
  )
    throw new SaslError('ERR_SASL_MISUSE_OPTION', 'XOAUTH2 values must not contain ^A or spaces');
  const message = encodeBase64(`user=${options.username}\x01auth=Bearer ${options.token}\x01\x01`);
  let errorJson: string | undefined;
  return {
    name: 'XOAUTH2',
    get errorJson() {
      return errorJson;
    },
    initialResponse: () => message,
    respond(challenge) {
      if (challenge === '') return message;
      const bytes = decodeBase64Strict(challenge);
      const text = bytes === undefined ? undefined : utf8DecodeStrict(bytes);
      if (text === undefined)
        throw new SaslError('ERR_SASL_SERVER_CHALLENGE', 'XOAUTH2 challenge is not base64');
      errorJson = text;
      return '';
    },
    complete: () => {},
  };
}
