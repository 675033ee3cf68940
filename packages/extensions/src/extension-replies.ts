import { C501ParamSyntaxError, createReply, replies } from '@smtpkit/reply';

/**
 * The replies the registry and the built-in extensions send, named by code, enhanced code and
 * meaning. Most are the very values of `@smtpkit/reply`'s `replies` catalogue (so a server can
 * compare by identity); the few the catalogue lacks are made here. Extension packages may reuse
 * them.
 *
 * @example
 * ```ts
 * import { extensionReplies } from '@smtpkit/extensions';
 * extensionReplies.R555_5_5_4_ParameterNotRecognized.code; // 555
 * ```
 */
export const extensionReplies = Object.freeze({
  /** RFC 5321 §4.1.1.11: a MAIL/RCPT parameter that is not recognized (or not offered). */
  R555_5_5_4_ParameterNotRecognized: replies.R555_5_5_4_ParameterNotRecognized,
  /** A parameter given twice. */
  R501_5_5_4_DuplicateParameter: replies.R501_5_5_4_DuplicateParameter,
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
  R501_5_5_4_SyntaxErrorInParameters: replies.R501_5_5_4_SyntaxErrorInParameters,
  /** RFC 6152 §2 / RFC 3030 §3: BODY is 7BIT, 8BITMIME or BINARYMIME. */
  R501_5_5_4_InvalidBodyType: replies.R501_5_5_4_InvalidBodyType,
  /** RFC 3030 §2: chunk-size = 1*DIGIT. */
  R501_5_5_4_InvalidChunkSize: replies.R501_5_5_4_InvalidChunkSize,
  /** RFC 5321 §4.2.4: a command out of sequence. */
  R503_5_5_1_BadSequence: replies.R503_5_5_1_BadSequence,
  /** RFC 3030 §2: BDAT needs a transaction with at least one accepted recipient. */
  R503_5_5_1_NeedRcptCommand: replies.R503_5_5_1_NeedRcptCommand,
  R503_5_5_1_NeedMailCommand: replies.R503_5_5_1_NeedMailCommand,
  R250_2_0_0_ChunkAccepted: replies.R250_2_0_0_ChunkAccepted,
  /** RFC 5321 §4.2.4: a command recognized but not offered in this session. */
  R502_5_5_1_CommandNotImplemented: replies.R502_5_5_1_CommandNotImplemented,
  /** RFC 1870 §6.1: the declared size exceeds the fixed maximum message size. */
  R552_5_3_4_MessageTooBig: replies.R552_5_3_4_MessageTooBig,
  /** RFC 3030 §3: DATA is not allowed after MAIL with BODY=BINARYMIME. */
  R503_5_5_1_BinaryMimeRequiresBdat: replies.R503_5_5_1_BinaryMimeRequiresBdat,
  /** RFC 3030 §2: DATA and BDAT are not mixed in one transaction. */
  R503_5_5_1_DataAfterBdat: replies.R503_5_5_1_DataAfterBdat,
  /** RFC 3207 §4: the go-ahead for the TLS handshake. */
  R220_2_0_0_ReadyToStartTls: replies.R220_2_0_0_ReadyToStartTls,
  /** RFC 3207 §4: TLS cannot be started now. */
  R454_4_7_0_TlsNotAvailable: replies.R454_4_7_0_TlsNotAvailable,
  /** RFC 3207 §4: STARTTLS takes no argument. */
  R501_5_5_4_StartTlsNoParameters: replies.R501_5_5_4_StartTlsNoParameters,
  /** RFC 3207 §4.2: STARTTLS again once TLS is in effect. */
  R503_5_5_1_TlsAlreadyActive: replies.R503_5_5_1_TlsAlreadyActive,
  /** RFC 4954 §4: AUTH after a successful AUTH. */
  R503_5_5_1_AlreadyAuthenticated: replies.R503_5_5_1_AlreadyAuthenticated,
  /** RFC 4954 §4: AUTH during a mail transaction. */
  R503_5_5_1_AuthDuringTransaction: replies.R503_5_5_1_AuthDuringTransaction,
  /** RFC 4954 §4: an initial response that is not base64. */
  R501_5_5_2_CannotDecodeBase64: replies.R501_5_5_2_CannotDecodeBase64,
  /** RFC 4954 §4: a mechanism the server does not offer. */
  R504_5_5_4_UnrecognizedAuthType: replies.R504_5_5_4_UnrecognizedAuthType,
  /** RFC 4954 §6: the mechanism is only offered under TLS. */
  R538_5_7_11_EncryptionRequiredForAuthMechanism:
    replies.R538_5_7_11_EncryptionRequiredForAuthMechanism,
  /** RFC 8689 §5: REQUIRETLS cannot be honoured by the next hop. */
  R550_5_7_30_RequireTlsSupportRequired: replies.R550_5_7_30_RequireTlsSupportRequired,
});
