import {
  C220ServiceReady,
  C454TlsNotAvailable,
  C501ParamSyntaxError,
  C502CommandNotImplemented,
  C503BadSequence,
  C504ParamNotImplemented,
  C538EncryptionRequiredForAuthMechanism,
  C550MailboxUnavailable,
  C552StorageExceeded,
  C555ParamsNotRecognized,
  createReply,
} from '@smtpkit/reply';

/**
 * The replies the registry and the built-in extensions send, named by code, enhanced code and
 * meaning. Extension packages may reuse them.
 *
 * @example
 * ```ts
 * import { extensionReplies } from '@smtpkit/extensions';
 * extensionReplies.R555_5_5_4_ParameterNotRecognized.code; // 555
 * ```
 */
export const extensionReplies = Object.freeze({
  /** RFC 5321 §4.1.1.11: a MAIL/RCPT parameter that is not recognized. */
  R555_5_5_4_ParameterNotRecognized: createReply(
    C555ParamsNotRecognized,
    '5.5.4',
    'Parameter not recognized',
  ),
  /** RFC 5321 §4.1.1.11: a parameter given twice. */
  R501_5_5_4_DuplicateParameter: createReply(C501ParamSyntaxError, '5.5.4', 'Duplicate parameter'),
  /** A parameter value that does not follow its syntax. */
  R501_5_5_4_InvalidParameterValue: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Invalid parameter value',
  ),
  /** A parameter that takes no value was given one (SMTPUTF8, REQUIRETLS). */
  R501_5_5_4_ParameterTakesNoValue: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Parameter takes no value',
  ),
  /** A parameter that needs a value was given none (SIZE, BODY, ...). */
  R501_5_5_4_ParameterNeedsValue: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Parameter needs a value',
  ),
  /** A verb argument that does not follow its syntax. */
  R501_5_5_4_SyntaxErrorInArguments: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax error in arguments',
  ),
  /** RFC 5321 §4.2.4: a command out of sequence. */
  R503_5_5_1_BadSequence: createReply(C503BadSequence, '5.5.1', 'Bad sequence of commands'),
  /** RFC 5321 §4.2.4: a command recognized but not offered in this session. */
  R502_5_5_1_CommandNotImplemented: createReply(
    C502CommandNotImplemented,
    '5.5.1',
    'Command not implemented',
  ),
  /** RFC 1870 §6.1: the declared size exceeds the fixed maximum message size. */
  R552_5_3_4_MessageSizeExceedsLimit: createReply(
    C552StorageExceeded,
    '5.3.4',
    'Message size exceeds fixed maximum message size',
  ),
  /** RFC 3030 §3: DATA is not allowed after MAIL with BODY=BINARYMIME. */
  R503_5_5_1_BinaryMimeNeedsBdat: createReply(
    C503BadSequence,
    '5.5.1',
    'BODY=BINARYMIME requires BDAT, not DATA',
  ),
  /** RFC 3030 §2: DATA and BDAT are not mixed in one transaction. */
  R503_5_5_1_NoDataAfterBdat: createReply(
    C503BadSequence,
    '5.5.1',
    'DATA is not allowed after BDAT',
  ),
  /** RFC 3030 §2: BDAT needs a transaction with at least one accepted recipient. */
  R503_5_5_1_BdatNeedsRecipients: createReply(
    C503BadSequence,
    '5.5.1',
    'BDAT needs MAIL and at least one accepted RCPT',
  ),
  /** RFC 3207 §4: the go-ahead for the TLS handshake. */
  R220_2_0_0_ReadyToStartTls: createReply(C220ServiceReady, '2.0.0', 'Ready to start TLS'),
  /** RFC 3207 §4: TLS cannot be started now. */
  R454_4_7_0_TlsNotAvailable: createReply(
    C454TlsNotAvailable,
    '4.7.0',
    'TLS not available due to temporary reason',
  ),
  /** RFC 3207 §4: STARTTLS takes no argument. */
  R501_5_5_4_StartTlsTakesNoArgument: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax error (no parameters allowed)',
  ),
  /** RFC 3207 §4.2: STARTTLS again once TLS is in effect. */
  R503_5_5_1_TlsAlreadyActive: createReply(C503BadSequence, '5.5.1', 'TLS already active'),
  /** RFC 4954 §4: AUTH after a successful AUTH. */
  R503_5_5_1_AlreadyAuthenticated: createReply(C503BadSequence, '5.5.1', 'Already authenticated'),
  /** RFC 4954 §4: AUTH during a mail transaction. */
  R503_5_5_1_AuthDuringTransaction: createReply(
    C503BadSequence,
    '5.5.1',
    'AUTH not allowed during a mail transaction',
  ),
  /** RFC 4954 §4: an initial response that is not base64. */
  R501_5_5_2_CannotDecodeResponse: createReply(
    C501ParamSyntaxError,
    '5.5.2',
    'Cannot Base64-decode client response',
  ),
  /** RFC 4954 §4: a mechanism the server does not offer. */
  R504_5_5_4_MechanismNotSupported: createReply(
    C504ParamNotImplemented,
    '5.5.4',
    'Unrecognized authentication type',
  ),
  /** RFC 4954 §6: the mechanism is only offered under TLS. */
  R538_5_7_11_EncryptionRequired: createReply(
    C538EncryptionRequiredForAuthMechanism,
    '5.7.11',
    'Encryption required for requested authentication mechanism',
  ),
  /** RFC 8689 §5: REQUIRETLS cannot be honoured by the next hop. */
  R550_5_7_10_RequireTlsSupportRequired: createReply(
    C550MailboxUnavailable,
    '5.7.10',
    'REQUIRETLS support required',
  ),
});
