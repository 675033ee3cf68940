import {
  C214HelpMessage,
  C220ServiceReady,
  C221ServiceClosing,
  C250Ok,
  C251EtrnNoMessagesWaiting,
  C251UserNotLocalWillForward,
  C252CannotVerify,
  C252EtrnPendingMessagesStarted,
  C253EtrnPendingMessagesCount,
  C354StartMailInput,
  C450MailboxUnavailable,
  C451LocalError,
  C455ParamsNotAccommodated,
  C458UnableToQueueMessages,
  C459NodeNotAllowed,
  C500SyntaxError,
  C501ParamSyntaxError,
  C502CommandNotImplemented,
  C503BadSequence,
  C504ParamNotImplemented,
  C550MailboxUnavailable,
  C551UserNotLocal,
  C553MailboxNameNotAllowed,
  C554TransactionFailed,
  C555ParamsNotRecognized,
} from './reply-codes.js';
import { createReply as r } from './reply.js';

/**
 * Ready replies for the RFC 5321 command dialogue and the extensions that only add verbs or
 * parameters (8BITMIME, BINARYMIME/CHUNKING, DSN, SMTPUTF8, ETRN, LMTP). Part of `replies`.
 *
 * RFC 2034 §4 puts no enhanced status on the greeting nor on the HELO/EHLO response, so those
 * replies carry none.
 *
 * @example
 * ```ts
 * sessionReplies.R250_2_1_5_RecipientOk; // also reachable as replies.R250_2_1_5_RecipientOk
 * ```
 */
export const sessionReplies = {
  // Connection opening and closing (RFC 5321 §3.1, §4.1.1.10).
  /** 220 greeting; set the text to "<domain> ESMTP" with `withText`. */
  R220_ServiceReady: r(C220ServiceReady, undefined, 'Service ready'),
  /** 554 at connection opening: "No SMTP service here" (RFC 5321 §3.1). */
  R554_NoSmtpServiceHere: r(C554TransactionFailed, undefined, 'No SMTP service here'),
  /** 221 reply to QUIT. */
  R221_2_0_0_ServiceClosing: r(C221ServiceClosing, '2.0.0', 'Service closing transmission channel'),

  // HELO / EHLO / LHLO (RFC 5321 §4.1.1.1, RFC 2033 §4.1).
  /** 250 reply to HELO/EHLO/LHLO; first line is the server's domain (set it with `withText`). */
  R250_Hello: r(C250Ok, undefined, 'Hello'),
  /** 501 when the HELO/EHLO argument is not a domain or address literal. */
  R501_5_5_4_InvalidHelloArgument: r(
    C501ParamSyntaxError,
    '5.5.4',
    'Invalid domain name in HELO/EHLO',
  ),
  /** 503 for a mail command before HELO/EHLO. */
  R503_5_5_1_HelloFirst: r(C503BadSequence, '5.5.1', 'Send HELO/EHLO first'),
  /** 500 to HELO/EHLO on an LMTP server, which knows only LHLO (RFC 2033 §4.1). */
  R500_5_5_1_LmtpRequiresLhlo: r(C500SyntaxError, '5.5.1', 'LMTP requires LHLO'),

  // Generic success and syntax (RFC 5321 §4.2.3, RFC 3463 X.5.x).
  /** 250 generic success (NOOP, RSET, ...). */
  R250_2_0_0_Ok: r(C250Ok, '2.0.0', 'OK'),
  /** 500 the command line could not be parsed. */
  R500_5_5_2_SyntaxError: r(C500SyntaxError, '5.5.2', 'Syntax error, command unrecognized'),
  /** 500 unknown verb. */
  R500_5_5_1_CommandUnrecognized: r(C500SyntaxError, '5.5.1', 'Command unrecognized'),
  /** 500 command line longer than the limit (RFC 5321 §4.5.3.1.4, §4.2.3 note on 500). */
  R500_5_5_2_LineTooLong: r(C500SyntaxError, '5.5.2', 'Line too long'),
  /** 501 bad arguments. */
  R501_5_5_4_SyntaxErrorInParameters: r(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax error in parameters or arguments',
  ),
  /** 501 the same ESMTP parameter given twice. */
  R501_5_5_4_DuplicateParameter: r(C501ParamSyntaxError, '5.5.4', 'Duplicate parameter'),
  /** 502 verb known but not implemented or disabled (RFC 5321 §4.2.4). */
  R502_5_5_1_CommandNotImplemented: r(
    C502CommandNotImplemented,
    '5.5.1',
    'Command not implemented',
  ),
  /** 503 command out of sequence. */
  R503_5_5_1_BadSequence: r(C503BadSequence, '5.5.1', 'Bad sequence of commands'),
  /** 504 parameter known but not implemented. */
  R504_5_5_4_ParameterNotImplemented: r(
    C504ParamNotImplemented,
    '5.5.4',
    'Command parameter not implemented',
  ),
  /** 555 unknown MAIL/RCPT parameter (RFC 5321 §4.1.1.11). */
  R555_5_5_4_ParameterNotRecognized: r(
    C555ParamsNotRecognized,
    '5.5.4',
    'MAIL FROM/RCPT TO parameters not recognized or not implemented',
  ),
  /** 455 the server cannot accommodate the parameters now (RFC 5321 §4.2.3). */
  R455_4_5_4_ParametersNotAccommodated: r(
    C455ParamsNotAccommodated,
    '4.5.4',
    'Server unable to accommodate parameters',
  ),

  // MAIL (RFC 5321 §4.1.1.2).
  /** 250 sender accepted. */
  R250_2_1_0_SenderOk: r(C250Ok, '2.1.0', 'Sender OK'),
  /** 501 reverse-path syntax error (RFC 3463 X.1.7 "Bad sender's mailbox address syntax"). */
  R501_5_1_7_BadSenderAddressSyntax: r(C501ParamSyntaxError, '5.1.7', 'Bad sender address syntax'),
  /** 503 MAIL inside a transaction. */
  R503_5_5_1_SenderAlreadySpecified: r(C503BadSequence, '5.5.1', 'Sender already specified'),
  /** 503 RCPT or DATA before MAIL. */
  R503_5_5_1_NeedMailCommand: r(C503BadSequence, '5.5.1', 'Need MAIL command'),

  // RCPT (RFC 5321 §4.1.1.3).
  /** 250 recipient accepted (RFC 3463 X.1.5 "Destination address valid"). */
  R250_2_1_5_RecipientOk: r(C250Ok, '2.1.5', 'Recipient OK'),
  /** 251 user not local, the server forwards (RFC 5321 §3.4). */
  R251_2_0_0_UserNotLocalWillForward: r(
    C251UserNotLocalWillForward,
    '2.0.0',
    'User not local; will forward',
  ),
  /** 501 forward-path syntax error (RFC 3463 X.1.3). */
  R501_5_1_3_BadRecipientAddressSyntax: r(
    C501ParamSyntaxError,
    '5.1.3',
    'Bad recipient address syntax',
  ),
  /** 550 no such mailbox (RFC 3463 X.1.1). */
  R550_5_1_1_NoSuchUser: r(C550MailboxUnavailable, '5.1.1', 'No such user'),
  /** 550 destination domain or system unknown (RFC 3463 X.1.2). */
  R550_5_1_2_BadDestinationSystem: r(
    C550MailboxUnavailable,
    '5.1.2',
    'Bad destination system address',
  ),
  /** 550 mailbox disabled (RFC 3463 X.2.1). */
  R550_5_2_1_MailboxDisabled: r(
    C550MailboxUnavailable,
    '5.2.1',
    'Mailbox disabled, not accepting messages',
  ),
  /** 450 mailbox temporarily unavailable, e.g. busy or locked (RFC 5321 §4.2.3). */
  R450_4_2_0_MailboxUnavailable: r(
    C450MailboxUnavailable,
    '4.2.0',
    'Mailbox temporarily unavailable',
  ),
  /** 551 user not local; the text should name the forward-path (RFC 5321 §3.4). */
  R551_5_7_1_UserNotLocal: r(C551UserNotLocal, '5.7.1', 'User not local; please try another path'),
  /** 503 DATA/BDAT with no accepted recipient. */
  R503_5_5_1_NeedRcptCommand: r(C503BadSequence, '5.5.1', 'Need RCPT command'),
  /** 554 DATA with no valid recipients (RFC 5321 §3.3: "no valid recipients"). */
  R554_5_5_1_NoValidRecipients: r(C554TransactionFailed, '5.5.1', 'No valid recipients'),

  // DATA (RFC 5321 §4.1.1.4).
  /** 354 go ahead (no enhanced status: RFC 3463 defines none for class 3). */
  R354_StartMailInput: r(C354StartMailInput, undefined, 'Start mail input; end with <CRLF>.<CRLF>'),
  /** 250 message accepted; add the queue id with `withText`. */
  R250_2_0_0_MessageAccepted: r(C250Ok, '2.0.0', 'Message accepted for delivery'),
  /** 451 local error, e.g. a hook threw something that is not a reply (RFC 3463 X.3.0). */
  R451_4_3_0_LocalError: r(
    C451LocalError,
    '4.3.0',
    'Requested action aborted: local error in processing',
  ),
  /** 554 generic transaction failure. */
  R554_5_0_0_TransactionFailed: r(C554TransactionFailed, '5.0.0', 'Transaction failed'),

  // BINARYMIME / CHUNKING (RFC 3030).
  /** 250 one BDAT chunk accepted; put the octet count in the text with `withText`. */
  R250_2_0_0_ChunkAccepted: r(C250Ok, '2.0.0', 'Chunk accepted'),
  /** 503 DATA after BDAT in one transaction (RFC 3030 §2: a 503 "MUST be issued"). */
  R503_5_5_1_DataAfterBdat: r(C503BadSequence, '5.5.1', 'DATA not allowed after BDAT'),
  /** 503 DATA after MAIL BODY=BINARYMIME (RFC 3030 §3: a 503 "MUST be sent"). */
  R503_5_5_1_BinaryMimeRequiresBdat: r(C503BadSequence, '5.5.1', 'BODY=BINARYMIME requires BDAT'),
  /** 501 BDAT size argument is not a number. */
  R501_5_5_4_InvalidChunkSize: r(C501ParamSyntaxError, '5.5.4', 'Invalid BDAT chunk size'),

  // 8BITMIME / BINARYMIME body types (RFC 6152, RFC 3030).
  /** 501 unknown BODY= value. */
  R501_5_5_4_InvalidBodyType: r(C501ParamSyntaxError, '5.5.4', 'Unsupported BODY type'),

  // SMTPUTF8 (RFC 6531 §3.5, §3.7.4).
  /** 553 UTF-8 address in a transaction without SMTPUTF8 (RFC 6531 §3.5, X.6.7). */
  R553_5_6_7_Utf8AddressNotPermitted: r(
    C553MailboxNameNotAllowed,
    '5.6.7',
    'Non-ASCII addresses not permitted without SMTPUTF8',
  ),
  /** 553 VRFY/EXPN answer needs UTF-8 but the client did not ask for it (RFC 6531 §3.7.4.2, X.6.8). */
  R553_5_6_8_Utf8ReplyRequired: r(
    C553MailboxNameNotAllowed,
    '5.6.8',
    'UTF-8 string reply is required, but not permitted by the client',
  ),

  // VRFY / EXPN / HELP (RFC 5321 §3.5, §4.1.1.6-8).
  /** 252 VRFY not answered, but the server will try delivery (RFC 5321 §3.5.3). */
  R252_2_0_0_CannotVerify: r(
    C252CannotVerify,
    '2.0.0',
    'Cannot VRFY user, but will accept message and attempt delivery',
  ),
  /** 550 EXPN refused (RFC 3463 X.7.2 "Mailing list expansion prohibited"). */
  R550_5_7_2_ExpansionProhibited: r(
    C550MailboxUnavailable,
    '5.7.2',
    'Mailing list expansion prohibited',
  ),
  /** 214 HELP answer. */
  R214_2_0_0_Help: r(C214HelpMessage, '2.0.0', 'See RFC 5321'),

  // ETRN (RFC 1985 §5); RFC 3463 X.5.0 is registered with 250-253, 458 and 459.
  /** 250 queue run started. */
  R250_2_0_0_QueuingStarted: r(C250Ok, '2.0.0', 'Queuing started'),
  /** 251 no messages waiting for the node. */
  R251_2_0_0_NoMessagesWaiting: r(
    C251EtrnNoMessagesWaiting,
    '2.0.0',
    'OK, no messages waiting for node',
  ),
  /** 252 pending messages for the node started. */
  R252_2_0_0_PendingMessagesStarted: r(
    C252EtrnPendingMessagesStarted,
    '2.0.0',
    'OK, pending messages for node started',
  ),
  /** 253 <n> pending messages started; put the count in the text with `withText`. */
  R253_2_0_0_PendingMessagesCount: r(
    C253EtrnPendingMessagesCount,
    '2.0.0',
    'OK, pending messages for node started',
  ),
  /** 458 unable to queue messages for the node. */
  R458_4_5_0_UnableToQueue: r(
    C458UnableToQueueMessages,
    '4.5.0',
    'Unable to queue messages for node',
  ),
  /** 459 node not allowed. */
  R459_4_5_0_NodeNotAllowed: r(C459NodeNotAllowed, '4.5.0', 'Node not allowed'),
} as const;
