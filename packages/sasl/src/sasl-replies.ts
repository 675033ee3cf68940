import {
  C235AuthenticationSucceeded,
  C334ServerChallenge,
  C454TemporaryAuthFailure,
  C500SyntaxError,
  C501ParamSyntaxError,
  C503BadSequence,
  C504ParamNotImplemented,
  C530AuthenticationRequired,
  C534AuthMechanismTooWeak,
  C535AuthCredentialsInvalid,
  C538EncryptionRequiredForAuthMechanism,
  createReply,
  type Reply,
} from '@smtpkit/reply';

/*
 * RFC 4954 §6 (Status Codes) pairs each AUTH outcome with a basic and an enhanced code:
 *   235 2.7.0  Authentication Succeeded
 *   454 4.7.0  Temporary authentication failure
 *   500 5.5.6  Authentication Exchange line is too long
 *   501 5.5.2  Cannot Base64-decode Client responses
 *   504 5.5.4  Unrecognized authentication type
 *   530 5.7.0  Authentication required
 *   534 5.7.9  Authentication mechanism is too weak
 *   535 5.7.8  Authentication credentials invalid
 *   538 5.7.11 Encryption required for requested authentication mechanism
 * RFC 4954 §4: "If the client wishes to cancel the authentication exchange, it issues a line with
 * a single '*'. If the server receives such a response, it MUST reject the AUTH command by sending
 * a 501 reply." (X.0.0: other or undefined status, RFC 3463 §3.1.)
 * RFC 4954 §4: "After a successful AUTH command completes, a server MUST reject any further AUTH
 * commands with a 503 reply."
 */

/**
 * The replies of an AUTH exchange (RFC 4954 §6), named by code, enhanced code and meaning.
 *
 * @example
 * ```ts
 * import { saslReplies } from '@smtpkit/server';
 * saslReplies.R535_5_7_8_AuthCredentialsInvalid.code; // 535
 * ```
 */
export const saslReplies = {
  R235_2_7_0_AuthenticationSucceeded: createReply(
    C235AuthenticationSucceeded,
    '2.7.0',
    'Authentication succeeded',
  ),
  R454_4_7_0_TemporaryAuthFailure: createReply(
    C454TemporaryAuthFailure,
    '4.7.0',
    'Temporary authentication failure',
  ),
  R500_5_5_6_AuthLineTooLong: createReply(
    C500SyntaxError,
    '5.5.6',
    'Authentication exchange line is too long',
  ),
  R501_5_0_0_AuthCancelled: createReply(C501ParamSyntaxError, '5.0.0', 'Authentication cancelled'),
  R501_5_5_2_CannotDecodeResponse: createReply(
    C501ParamSyntaxError,
    '5.5.2',
    'Cannot Base64-decode client response',
  ),
  R501_5_5_2_MalformedResponse: createReply(
    C501ParamSyntaxError,
    '5.5.2',
    'Malformed authentication response',
  ),
  R503_5_5_1_AlreadyAuthenticated: createReply(C503BadSequence, '5.5.1', 'Already authenticated'),
  R504_5_5_4_MechanismNotSupported: createReply(
    C504ParamNotImplemented,
    '5.5.4',
    'Unrecognized authentication type',
  ),
  R530_5_7_0_AuthenticationRequired: createReply(
    C530AuthenticationRequired,
    '5.7.0',
    'Authentication required',
  ),
  R534_5_7_9_MechanismTooWeak: createReply(
    C534AuthMechanismTooWeak,
    '5.7.9',
    'Authentication mechanism is too weak',
  ),
  R535_5_7_8_AuthCredentialsInvalid: createReply(
    C535AuthCredentialsInvalid,
    '5.7.8',
    'Authentication credentials invalid',
  ),
  R538_5_7_11_EncryptionRequired: createReply(
    C538EncryptionRequiredForAuthMechanism,
    '5.7.11',
    'Encryption required for requested authentication mechanism',
  ),
} as const satisfies Record<string, Reply>;

/**
 * The 334 continuation that carries a base64 challenge (RFC 4954 §4: `"334" SP [base64]`). An
 * empty challenge is sent as "334 " with nothing after the space.
 *
 * @example
 * ```ts
 * saslChallengeReply('VXNlcm5hbWU6'); // { code: 334, lines: ['VXNlcm5hbWU6'] }
 * ```
 */
export function saslChallengeReply(data: string): Reply {
  return createReply(C334ServerChallenge, undefined, data);
}
