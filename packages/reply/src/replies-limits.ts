import {
  C421ServiceNotAvailable,
  C451LocalError,
  C452InsufficientStorage,
  C500SyntaxError,
  C552StorageExceeded,
  C554TransactionFailed,
} from './reply-codes.js';
import { createReply as r } from './reply.js';

/**
 * Ready replies for the named limits (RFC 5321 §4.5.3) and the attacks the server defends
 * against: SMTP smuggling with bare LF / bare CR, early talkers, error floods, timeouts, shutdown.
 * Part of `replies`.
 *
 * @example
 * ```ts
 * limitReplies.R421_4_4_2_Timeout; // also reachable as replies.R421_4_4_2_Timeout
 * ```
 */
export const limitReplies = {
  /**
   * 452 recipient limit reached. RFC 5321 §4.5.3.1.10: a server whose recipient limit is
   * exhausted "MUST use a response code of 452"; RFC 3463 X.5.3 is "Too many recipients".
   */
  R452_4_5_3_TooManyRecipients: r(C452InsufficientStorage, '4.5.3', 'Too many recipients'),
  /** 552 message larger than the SIZE limit (RFC 1870 §6, X.3.4). */
  R552_5_3_4_MessageTooBig: r(
    C552StorageExceeded,
    '5.3.4',
    'Message size exceeds fixed maximum message size',
  ),
  /** 452 not enough storage for this message now (RFC 1870 §6, X.3.1). */
  R452_4_3_1_InsufficientSystemStorage: r(
    C452InsufficientStorage,
    '4.3.1',
    'Insufficient system storage',
  ),
  /** 552 the mailbox is over its quota (X.2.2). */
  R552_5_2_2_MailboxFull: r(C552StorageExceeded, '5.2.2', 'Mailbox full'),
  /**
   * 452 the mailbox is over its quota, temporarily. RFC 3463 X.2.2: "This code should be used as
   * a persistent transient failure."
   */
  R452_4_2_2_MailboxFull: r(C452InsufficientStorage, '4.2.2', 'Mailbox full'),
  /** 552 message longer than an administrative limit (X.2.3). */
  R552_5_2_3_MessageLengthExceedsLimit: r(
    C552StorageExceeded,
    '5.2.3',
    'Message length exceeds administrative limit',
  ),
  /** 554 a text line of the message exceeds 1000 octets (RFC 5321 §4.5.3.1.6). */
  R554_5_6_0_MessageLineTooLong: r(C554TransactionFailed, '5.6.0', 'Message line too long'),
  /** 554 too many Received header fields: a mail loop (RFC 5321 §6.3, X.4.6). */
  R554_5_4_6_RoutingLoopDetected: r(C554TransactionFailed, '5.4.6', 'Routing loop detected'),

  /** 421 too many errors in this session; the server closes the connection. */
  R421_4_7_0_TooManyErrors: r(
    C421ServiceNotAvailable,
    '4.7.0',
    'Too many errors, closing connection',
  ),
  /** 421 too many connections (from this client or in total). */
  R421_4_7_0_TooManyConnections: r(
    C421ServiceNotAvailable,
    '4.7.0',
    'Too many connections, try again later',
  ),
  /** 421 command or data timeout (RFC 5321 §4.5.3.2, X.4.2 "Bad connection"). */
  R421_4_4_2_Timeout: r(C421ServiceNotAvailable, '4.4.2', 'Timeout exceeded, closing connection'),
  /** 421 the service is shutting down (RFC 5321 §4.2.3 note on 421; RFC 3463 X.3.2 "imminent shutdown"). */
  R421_4_3_2_ShuttingDown: r(
    C421ServiceNotAvailable,
    '4.3.2',
    'Service shutting down, closing connection',
  ),
  /** 421 service not available, generic. */
  R421_4_3_0_ServiceNotAvailable: r(
    C421ServiceNotAvailable,
    '4.3.0',
    'Service not available, closing transmission channel',
  ),
  /** 451 mail system congestion (X.4.5). */
  R451_4_4_5_MailSystemCongestion: r(
    C451LocalError,
    '4.4.5',
    'Mail system congestion, try again later',
  ),

  /** 554 the client sent before the greeting or pipelined without PIPELINING (RFC 5321 §4.3.1, RFC 2920 §3.1). */
  R554_5_5_0_EarlyTalker: r(
    C554TransactionFailed,
    '5.5.0',
    'Protocol error: client sent data before the greeting',
  ),
  /** 554 command pipelining without PIPELINING, or other synchronization breach. */
  R554_5_5_0_ProtocolSynchronization: r(
    C554TransactionFailed,
    '5.5.0',
    'Protocol synchronization error',
  ),
  /** 500 an HTTP request line on the SMTP port. */
  R500_5_5_1_HttpProbe: r(C500SyntaxError, '5.5.1', 'This is an SMTP server, not an HTTP server'),
  /** 500 a command line ended with a bare LF (RFC 5321 §2.3.8: lines end with CRLF). */
  R500_5_5_2_BareLineFeedInCommand: r(C500SyntaxError, '5.5.2', 'Bare LF not allowed in commands'),
  /**
   * 554 message data holds a bare LF: refused so that no `<LF>.<LF>`-style sequence can smuggle a
   * second message (RFC 5321 §2.3.8, §4.1.1.4).
   */
  R554_5_6_0_BareLineFeed: r(C554TransactionFailed, '5.6.0', 'Bare LF in message data not allowed'),
  /** 554 message data holds a bare CR (RFC 5321 §2.3.8, §4.1.1.4). */
  R554_5_6_0_BareCarriageReturn: r(
    C554TransactionFailed,
    '5.6.0',
    'Bare CR in message data not allowed',
  ),
} as const;
