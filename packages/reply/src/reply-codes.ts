/**
 * Basic reply codes named by number and meaning. RFC 5321 §4.2.3 lists the base set; the others
 * come from the extensions that define them (RFC 4954 AUTH, RFC 3207 STARTTLS, RFC 1985 ETRN,
 * RFC 7504 521/556). Use them with `createReply`, or take a ready reply from `replies`.
 *
 * @example
 * ```ts
 * import { createReply, C550MailboxUnavailable } from '@smtpkit/reply';
 * createReply(C550MailboxUnavailable, '5.1.1', 'No such user');
 * ```
 */

// RFC 5321 §4.2.3, in numeric order.

/**
 * 211 System status, or system help reply (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C211SystemStatus); // 'positive'
 * ```
 */
export const C211SystemStatus = 211;
/**
 * 214 Help message (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C214HelpMessage); // 'positive'
 * ```
 */
export const C214HelpMessage = 214;
/**
 * 220 <domain> Service ready (RFC 5321 §4.2.3); also RFC 3207 "Ready to start TLS".
 *
 * @example
 * ```ts
 * replyClass(C220ServiceReady); // 'positive'
 * ```
 */
export const C220ServiceReady = 220;
/**
 * 221 <domain> Service closing transmission channel (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C221ServiceClosing); // 'positive'
 * ```
 */
export const C221ServiceClosing = 221;
/**
 * 235 Authentication succeeded (RFC 4954 §6).
 *
 * @example
 * ```ts
 * replyClass(C235AuthenticationSucceeded); // 'positive'
 * ```
 */
export const C235AuthenticationSucceeded = 235;
/**
 * 250 Requested mail action okay, completed (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C250Ok); // 'positive'
 * ```
 */
export const C250Ok = 250;
/**
 * 251 User not local; will forward to <forward-path> (RFC 5321 §4.2.3, §3.4).
 *
 * @example
 * ```ts
 * replyClass(C251UserNotLocalWillForward); // 'positive'
 * ```
 */
export const C251UserNotLocalWillForward = 251;
/**
 * 251 OK, no messages waiting for node (RFC 1985 §5, ETRN); same number as `C251UserNotLocalWillForward`.
 *
 * @example
 * ```ts
 * replyClass(C251EtrnNoMessagesWaiting); // 'positive'
 * ```
 */
export const C251EtrnNoMessagesWaiting = 251;
/**
 * 252 Cannot VRFY user, but will accept message and attempt delivery (RFC 5321 §4.2.3, §3.5.3).
 *
 * @example
 * ```ts
 * replyClass(C252CannotVerify); // 'positive'
 * ```
 */
export const C252CannotVerify = 252;
/**
 * 252 OK, pending messages for node started (RFC 1985 §5, ETRN); same number as `C252CannotVerify`.
 *
 * @example
 * ```ts
 * replyClass(C252EtrnPendingMessagesStarted); // 'positive'
 * ```
 */
export const C252EtrnPendingMessagesStarted = 252;
/**
 * 253 OK, <n> pending messages for node started (RFC 1985 §5, ETRN).
 *
 * @example
 * ```ts
 * replyClass(C253EtrnPendingMessagesCount); // 'positive'
 * ```
 */
export const C253EtrnPendingMessagesCount = 253;
/**
 * 334 Server challenge, base64 (RFC 4954 §4).
 *
 * @example
 * ```ts
 * replyClass(C334ServerChallenge); // 'intermediate'
 * ```
 */
export const C334ServerChallenge = 334;
/**
 * 354 Start mail input; end with <CRLF>.<CRLF> (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C354StartMailInput); // 'intermediate'
 * ```
 */
export const C354StartMailInput = 354;
/**
 * 421 <domain> Service not available, closing transmission channel (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C421ServiceNotAvailable); // 'transient'
 * ```
 */
export const C421ServiceNotAvailable = 421;
/**
 * 432 A password transition is needed (RFC 4954 §6).
 *
 * @example
 * ```ts
 * replyClass(C432PasswordTransitionNeeded); // 'transient'
 * ```
 */
export const C432PasswordTransitionNeeded = 432;
/**
 * 450 Requested mail action not taken: mailbox unavailable (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C450MailboxUnavailable); // 'transient'
 * ```
 */
export const C450MailboxUnavailable = 450;
/**
 * 451 Requested action aborted: local error in processing (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C451LocalError); // 'transient'
 * ```
 */
export const C451LocalError = 451;
/**
 * 452 Requested action not taken: insufficient system storage (RFC 5321 §4.2.3); also "too many recipients" (§4.5.3.1.10).
 *
 * @example
 * ```ts
 * replyClass(C452InsufficientStorage); // 'transient'
 * ```
 */
export const C452InsufficientStorage = 452;
/**
 * 454 Temporary authentication failure (RFC 4954 §6).
 *
 * @example
 * ```ts
 * replyClass(C454TemporaryAuthFailure); // 'transient'
 * ```
 */
export const C454TemporaryAuthFailure = 454;
/**
 * 454 TLS not available due to temporary reason (RFC 3207 §4); same number as `C454TemporaryAuthFailure`.
 *
 * @example
 * ```ts
 * replyClass(C454TlsNotAvailable); // 'transient'
 * ```
 */
export const C454TlsNotAvailable = 454;
/**
 * 455 Server unable to accommodate parameters (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C455ParamsNotAccommodated); // 'transient'
 * ```
 */
export const C455ParamsNotAccommodated = 455;
/**
 * 458 Unable to queue messages for node (RFC 1985 §5, ETRN).
 *
 * @example
 * ```ts
 * replyClass(C458UnableToQueueMessages); // 'transient'
 * ```
 */
export const C458UnableToQueueMessages = 458;
/**
 * 459 Node not allowed (RFC 1985 §5, ETRN).
 *
 * @example
 * ```ts
 * replyClass(C459NodeNotAllowed); // 'transient'
 * ```
 */
export const C459NodeNotAllowed = 459;
/**
 * 500 Syntax error, command unrecognized (RFC 5321 §4.2.3); includes "command line too long".
 *
 * @example
 * ```ts
 * replyClass(C500SyntaxError); // 'permanent'
 * ```
 */
export const C500SyntaxError = 500;
/**
 * 501 Syntax error in parameters or arguments (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C501ParamSyntaxError); // 'permanent'
 * ```
 */
export const C501ParamSyntaxError = 501;
/**
 * 502 Command not implemented (RFC 5321 §4.2.3, §4.2.4).
 *
 * @example
 * ```ts
 * replyClass(C502CommandNotImplemented); // 'permanent'
 * ```
 */
export const C502CommandNotImplemented = 502;
/**
 * 503 Bad sequence of commands (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C503BadSequence); // 'permanent'
 * ```
 */
export const C503BadSequence = 503;
/**
 * 504 Command parameter not implemented (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C504ParamNotImplemented); // 'permanent'
 * ```
 */
export const C504ParamNotImplemented = 504;
/**
 * 521 Host does not accept mail (RFC 7504 §3.1).
 *
 * @example
 * ```ts
 * replyClass(C521HostDoesNotAcceptMail); // 'permanent'
 * ```
 */
export const C521HostDoesNotAcceptMail = 521;
/**
 * 530 Authentication required (RFC 4954 §6); also RFC 3207 "Must issue a STARTTLS command first".
 *
 * @example
 * ```ts
 * replyClass(C530AuthenticationRequired); // 'permanent'
 * ```
 */
export const C530AuthenticationRequired = 530;
/**
 * 534 Authentication mechanism is too weak (RFC 4954 §6).
 *
 * @example
 * ```ts
 * replyClass(C534AuthMechanismTooWeak); // 'permanent'
 * ```
 */
export const C534AuthMechanismTooWeak = 534;
/**
 * 535 Authentication credentials invalid (RFC 4954 §6).
 *
 * @example
 * ```ts
 * replyClass(C535AuthCredentialsInvalid); // 'permanent'
 * ```
 */
export const C535AuthCredentialsInvalid = 535;
/**
 * 538 Encryption required for requested authentication mechanism (RFC 4954 §6).
 *
 * @example
 * ```ts
 * replyClass(C538EncryptionRequiredForAuthMechanism); // 'permanent'
 * ```
 */
export const C538EncryptionRequiredForAuthMechanism = 538;
/**
 * 550 Requested action not taken: mailbox unavailable (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C550MailboxUnavailable); // 'permanent'
 * ```
 */
export const C550MailboxUnavailable = 550;
/**
 * 551 User not local; please try <forward-path> (RFC 5321 §4.2.3, §3.4).
 *
 * @example
 * ```ts
 * replyClass(C551UserNotLocal); // 'permanent'
 * ```
 */
export const C551UserNotLocal = 551;
/**
 * 552 Requested mail action aborted: exceeded storage allocation (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C552StorageExceeded); // 'permanent'
 * ```
 */
export const C552StorageExceeded = 552;
/**
 * 553 Requested action not taken: mailbox name not allowed (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C553MailboxNameNotAllowed); // 'permanent'
 * ```
 */
export const C553MailboxNameNotAllowed = 553;
/**
 * 554 Transaction failed; at connection opening "No SMTP service here" (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C554TransactionFailed); // 'permanent'
 * ```
 */
export const C554TransactionFailed = 554;
/**
 * 555 MAIL FROM/RCPT TO parameters not recognized or not implemented (RFC 5321 §4.2.3).
 *
 * @example
 * ```ts
 * replyClass(C555ParamsNotRecognized); // 'permanent'
 * ```
 */
export const C555ParamsNotRecognized = 555;
/**
 * 556 Domain does not accept mail (RFC 7504 §3.2).
 *
 * @example
 * ```ts
 * replyClass(C556DomainDoesNotAcceptMail); // 'permanent'
 * ```
 */
export const C556DomainDoesNotAcceptMail = 556;
