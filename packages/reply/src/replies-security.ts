import {
  C220ServiceReady,
  C235AuthenticationSucceeded,
  C334ServerChallenge,
  C432PasswordTransitionNeeded,
  C451LocalError,
  C454TemporaryAuthFailure,
  C454TlsNotAvailable,
  C500SyntaxError,
  C501ParamSyntaxError,
  C503BadSequence,
  C504ParamNotImplemented,
  C530AuthenticationRequired,
  C534AuthMechanismTooWeak,
  C535AuthCredentialsInvalid,
  C538EncryptionRequiredForAuthMechanism,
  C550MailboxUnavailable,
  C554TransactionFailed,
} from './reply-codes.js';
import { createReply as r } from './reply.js';

/**
 * Ready replies for STARTTLS (RFC 3207), AUTH (RFC 4954), REQUIRETLS (RFC 8689), relay and
 * policy decisions (RFC 3463 X.7.x, RFC 7372). Part of `replies`.
 *
 * @example
 * ```ts
 * securityReplies.R535_5_7_8_AuthCredentialsInvalid; // also replies.R535_5_7_8_AuthCredentialsInvalid
 * ```
 */
export const securityReplies = {
  // STARTTLS (RFC 3207 §4).
  /** 220 go ahead with the TLS handshake. */
  R220_2_0_0_ReadyToStartTls: r(C220ServiceReady, '2.0.0', 'Ready to start TLS'),
  /** 501 STARTTLS takes no parameters. */
  R501_5_5_4_StartTlsNoParameters: r(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax error (no parameters allowed)',
  ),
  /** 454 TLS cannot be started now. */
  R454_4_7_0_TlsNotAvailable: r(
    C454TlsNotAvailable,
    '4.7.0',
    'TLS not available due to temporary reason',
  ),
  /** 503 STARTTLS on a connection already under TLS. */
  R503_5_5_1_TlsAlreadyActive: r(C503BadSequence, '5.5.1', 'TLS already active'),
  /** 530 the server requires TLS before this command (RFC 3207 §4). */
  R530_5_7_0_StartTlsRequired: r(
    C530AuthenticationRequired,
    '5.7.0',
    'Must issue a STARTTLS command first',
  ),

  // AUTH (RFC 4954 §4, §6).
  /** 235 authentication succeeded. */
  R235_2_7_0_AuthenticationSucceeded: r(
    C235AuthenticationSucceeded,
    '2.7.0',
    'Authentication successful',
  ),
  /** 334 challenge; put the base64 challenge in the text with `withText` (empty text for none). */
  R334_ServerChallenge: r(C334ServerChallenge, undefined),
  /** 432 the user must change the password. */
  R432_4_7_12_PasswordTransitionNeeded: r(
    C432PasswordTransitionNeeded,
    '4.7.12',
    'A password transition is needed',
  ),
  /** 454 temporary authentication failure. */
  R454_4_7_0_TemporaryAuthFailure: r(
    C454TemporaryAuthFailure,
    '4.7.0',
    'Temporary authentication failure',
  ),
  /** 500 an authentication exchange line is too long. */
  R500_5_5_6_AuthLineTooLong: r(
    C500SyntaxError,
    '5.5.6',
    'Authentication Exchange line is too long',
  ),
  /** 501 a client response is not valid base64. */
  R501_5_5_2_CannotDecodeBase64: r(
    C501ParamSyntaxError,
    '5.5.2',
    'Cannot Base64-decode Client responses',
  ),
  /** 501 the client cancelled the exchange with "*". */
  R501_5_7_0_AuthCancelled: r(
    C501ParamSyntaxError,
    '5.7.0',
    'Client initiated Authentication Exchange',
  ),
  /** 503 AUTH after a successful AUTH (RFC 4954 §4: further AUTH "MUST" get 503). */
  R503_5_5_1_AlreadyAuthenticated: r(C503BadSequence, '5.5.1', 'Already authenticated'),
  /** 503 AUTH during a mail transaction (RFC 4954 §4). */
  R503_5_5_1_AuthDuringTransaction: r(
    C503BadSequence,
    '5.5.1',
    'AUTH not permitted during a mail transaction',
  ),
  /** 504 unknown SASL mechanism. */
  R504_5_5_4_UnrecognizedAuthType: r(
    C504ParamNotImplemented,
    '5.5.4',
    'Unrecognized authentication type',
  ),
  /** 530 authentication required before this command. */
  R530_5_7_0_AuthenticationRequired: r(
    C530AuthenticationRequired,
    '5.7.0',
    'Authentication required',
  ),
  /** 534 mechanism too weak by policy. */
  R534_5_7_9_AuthMechanismTooWeak: r(
    C534AuthMechanismTooWeak,
    '5.7.9',
    'Authentication mechanism is too weak',
  ),
  /** 535 bad credentials. */
  R535_5_7_8_AuthCredentialsInvalid: r(
    C535AuthCredentialsInvalid,
    '5.7.8',
    'Authentication credentials invalid',
  ),
  /** 538 this mechanism needs TLS first. */
  R538_5_7_11_EncryptionRequiredForAuthMechanism: r(
    C538EncryptionRequiredForAuthMechanism,
    '5.7.11',
    'Encryption required for requested authentication mechanism',
  ),

  // REQUIRETLS (RFC 8689 §5).
  /** 550 the next hop does not offer REQUIRETLS, so a REQUIRETLS message cannot go on. */
  R550_5_7_30_RequireTlsSupportRequired: r(
    C550MailboxUnavailable,
    '5.7.30',
    'REQUIRETLS support required',
  ),

  // Relay and policy (RFC 5321 §3.6.2, §7.1; RFC 3463 X.7.1).
  /** 550 the server is not an open relay: recipient domain not local, sender not authorized. */
  R550_5_7_1_RelayDenied: r(C550MailboxUnavailable, '5.7.1', 'Relay access denied'),
  /** 554 relay refused, for servers that answer relay attempts with 554 "Transaction failed". */
  R554_5_7_1_RelayDenied: r(C554TransactionFailed, '5.7.1', 'Relay access denied'),
  /** 550 refused by policy. */
  R550_5_7_1_DeliveryNotAuthorized: r(
    C550MailboxUnavailable,
    '5.7.1',
    'Delivery not authorized, message refused',
  ),
  /** 451 greylisting: try again later. */
  R451_4_7_1_Greylisted: r(C451LocalError, '4.7.1', 'Greylisted, please try again later'),
  /** 550 SPF check failed (RFC 7372 §3.2, X.7.23). */
  R550_5_7_23_SpfValidationFailed: r(C550MailboxUnavailable, '5.7.23', 'SPF validation failed'),
  /** 451 SPF check gave a temporary error (RFC 7372 §3.2, X.7.24). */
  R451_4_7_24_SpfValidationError: r(C451LocalError, '4.7.24', 'SPF validation error'),
  /** 550 no passing DKIM signature (RFC 7372 §3.1, X.7.20). */
  R550_5_7_20_NoPassingDkimSignature: r(
    C550MailboxUnavailable,
    '5.7.20',
    'No passing DKIM signature found',
  ),
  /** 550 reverse DNS check failed (RFC 7372 §3.3, X.7.25). */
  R550_5_7_25_ReverseDnsValidationFailed: r(
    C550MailboxUnavailable,
    '5.7.25',
    'Reverse DNS validation failed',
  ),
  /** 550 the sender's domain publishes a null MX (RFC 7505 §4.2, X.7.27). */
  R550_5_7_27_SenderAddressHasNullMx: r(
    C550MailboxUnavailable,
    '5.7.27',
    'Sender address has null MX',
  ),
} as const;
