/**
 * The facts a DSN reports, as the builder takes them and the parser gives them back. The input
 * shapes mirror the queue's (`MessageEnvelope`, `QueuedRecipient`, `StoredReply` of
 * `@smtpkit/queue`) field for field, so an MTA passes what its queue holds straight in; this
 * package does not import the queue (it sits below it).
 */

/**
 * RFC 3464 §2.3.3: `action-value = "failed" / "delayed" / "delivered" / "relayed" / "expanded"`.
 *
 * @example
 * ```ts
 * const action: DsnAction = 'failed';
 * ```
 */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/**
 * RFC 3461 §4.1: a NOTIFY keyword other than NEVER.
 *
 * @example
 * ```ts
 * const keyword: NotifyKeyword = 'FAILURE';
 * ```
 */
export type NotifyKeyword = 'SUCCESS' | 'FAILURE' | 'DELAY';

/**
 * RFC 3461 §4.1 NOTIFY as a queue keeps it: `'NEVER'`, or the keywords given. Absent: the sender
 * did not say (failures and delays at the MTA's discretion, no success notices).
 *
 * @example
 * ```ts
 * const notify: NotifyValue = ['FAILURE', 'DELAY'];
 * ```
 */
export type NotifyValue = 'NEVER' | readonly NotifyKeyword[];

/**
 * An address with its type: RFC 3464 §2.3.1 `address-type ";" generic-address`, and the decoded
 * RFC 3461 §4.2 ORCPT value. `addrType` is lower-case (`rfc822`, `utf-8`, `unknown`); `address` is
 * decoded (no xtext, no RFC 6533 `\x{…}` escapes).
 *
 * @example
 * ```ts
 * const orcpt: TypedAddress = { addrType: 'rfc822', address: 'bob@example.org' };
 * ```
 */
export interface TypedAddress {
  readonly addrType: string;
  readonly address: string;
}

/**
 * RFC 3464 §2.2.2: `mta-name-type ";" mta-name`, as in Reporting-MTA, Received-From-MTA,
 * DSN-Gateway and Remote-MTA. `type` is lower-case (`dns`).
 *
 * @example
 * ```ts
 * const mta: MtaName = { type: 'dns', name: 'mx.example.net' };
 * ```
 */
export interface MtaName {
  readonly type: string;
  readonly name: string;
}

/**
 * RFC 3464 §2.3.6: `diagnostic-type ";" *text`, e.g. `{ type: 'smtp', text: '550 5.1.1 No such
 * user' }`. `type` is lower-case.
 *
 * @example
 * ```ts
 * const diagnostic: DiagnosticCode = { type: 'smtp', text: '550 5.1.1 No such user' };
 * ```
 */
export interface DiagnosticCode {
  readonly type: string;
  readonly text: string;
}

/**
 * One DSN field as written: a name and its unfolded value. Extension fields (RFC 3464 §2.4, e.g.
 * `X-Postfix-Queue-ID`) are given and returned this way.
 *
 * @example
 * ```ts
 * const field: DsnField = { name: 'X-Queue-ID', value: '4BDF6C0A2E' };
 * ```
 */
export interface DsnField {
  readonly name: string;
  readonly value: string;
}

/**
 * The envelope of the message a DSN reports on: the queue's `MessageEnvelope` fits.
 *
 * @example
 * ```ts
 * const envelope: DsnEnvelope = { sender: 'alice@example.com', envid: 'QQ314159', ret: 'HDRS' };
 * ```
 */
export interface DsnEnvelope {
  /** The reverse-path mailbox; `''` is the null reverse-path `<>` (then no DSN may be sent). */
  readonly sender: string;
  /** RFC 3461 §4.4 ENVID, decoded: reported as Original-Envelope-Id. */
  readonly envid?: string;
  /** RFC 3461 §4.3 RET: `HDRS` returns the header only; absent or `FULL`, the whole message. */
  readonly ret?: 'FULL' | 'HDRS';
  /** RFC 6531 SMTPUTF8: the DSN takes the RFC 6533 forms (message/global-delivery-status …). */
  readonly smtputf8?: boolean;
  /** When the message was accepted (epoch ms): reported as Arrival-Date. */
  readonly receivedAt?: number;
}

/**
 * A recipient's RCPT facts (RFC 3461 §4): the queue's `QueuedRecipient` fits.
 *
 * @example
 * ```ts
 * const rcpt: DsnRecipientFacts = { address: 'bob@example.org', notify: ['SUCCESS', 'FAILURE'] };
 * ```
 */
export interface DsnRecipientFacts {
  /** The forward-path mailbox as received (UTF-8 when the message is SMTPUTF8). */
  readonly address: string;
  /** RFC 3461 §4.1 NOTIFY; absent: the default. */
  readonly notify?: NotifyValue;
  /** RFC 3461 §4.2 ORCPT, decoded: reported as Original-Recipient. */
  readonly orcpt?: TypedAddress;
}

/**
 * The last reply for a recipient: the queue's `StoredReply` fits. It gives the Diagnostic-Code
 * (`smtp; 550 5.1.1 …`), the Status when no other is given, and the Remote-MTA.
 *
 * @example
 * ```ts
 * const reply: DsnReply = { code: 550, enhanced: '5.1.1', text: 'No such user', remoteMta: 'mx.example.org' };
 * ```
 */
export interface DsnReply {
  readonly code: number;
  /** RFC 3463 enhanced status code, `x.y.z`. */
  readonly enhanced?: string;
  /** The reply text; the lines of a multi-line reply are joined with spaces in the DSN. */
  readonly text: string;
  /** The host that answered (RFC 3464 Remote-MTA); absent for local results. */
  readonly remoteMta?: string;
}

/**
 * One recipient to report on: its RCPT facts, what happened, and the details RFC 3464 §2.3 can
 * carry.
 *
 * @example
 * ```ts
 * const failed: DsnRecipient = {
 *   address: 'bob@example.org',
 *   action: 'failed',
 *   reply: { code: 550, enhanced: '5.1.1', text: 'No such user', remoteMta: 'mx.example.org' },
 * };
 * ```
 */
export interface DsnRecipient extends DsnRecipientFacts {
  readonly action: DsnAction;
  /**
   * RFC 3463 status code (`5.1.1`). Absent: the reply's enhanced code, or for a reply without one
   * its class with `.0.0` (RFC 3463 §3.1 "Other undefined Status"; subject and detail are not
   * guessed from the basic code); without a reply it is required. Its class goes with the action:
   * 2 for delivered, relayed and expanded, 4 for delayed, 4 or 5 for failed (RFC 3464 §2.3.3's
   * note).
   */
  readonly status?: string;
  /** The reply that decided this result. */
  readonly reply?: DsnReply;
  /** A Diagnostic-Code other than the reply's (another diagnostic-type, a local reason). */
  readonly diagnostic?: DiagnosticCode;
  /** Remote-MTA host when not the reply's. */
  readonly remoteMta?: string;
  /** Last-Attempt-Date (Date or epoch ms). */
  readonly lastAttemptAt?: Date | number;
  /** Will-Retry-Until (Date or epoch ms); only for `delayed` (RFC 3464 §2.3.9). */
  readonly willRetryUntil?: Date | number;
  /** Final-Log-ID (RFC 3464 §2.3.8). */
  readonly finalLogId?: string;
  /** Extension fields for this recipient (RFC 3464 §2.4). */
  readonly fields?: readonly DsnField[];
}

/**
 * RFC 3464 §2.2 per-message fields, as parsed. `fields` holds every field of the group as read
 * (unfolded), extension fields included.
 *
 * @example
 * ```ts
 * const perMessage: PerMessageFields = { reportingMta: { type: 'dns', name: 'mx.example.com' }, fields: [] };
 * ```
 */
export interface PerMessageFields {
  readonly originalEnvelopeId?: string;
  readonly reportingMta?: MtaName;
  readonly dsnGateway?: MtaName;
  readonly receivedFromMta?: MtaName;
  /** Arrival-Date; absent when missing or not an RFC 5322 date-time. */
  readonly arrivalDate?: Date;
  readonly fields: readonly DsnField[];
}

/**
 * RFC 3464 §2.3 per-recipient fields, as parsed. `fields` holds every field of the group as
 * read (unfolded), extension fields included.
 *
 * @example
 * ```ts
 * const rcpt: PerRecipientFields = {
 *   finalRecipient: { addrType: 'rfc822', address: 'bob@example.org' },
 *   action: 'failed',
 *   status: '5.1.1',
 *   fields: [],
 * };
 * ```
 */
export interface PerRecipientFields {
  readonly originalRecipient?: TypedAddress;
  readonly finalRecipient: TypedAddress;
  readonly action: DsnAction;
  /** The RFC 3463 status code, without a trailing comment. */
  readonly status: string;
  readonly remoteMta?: MtaName;
  readonly diagnosticCode?: DiagnosticCode;
  readonly lastAttemptDate?: Date;
  readonly finalLogId?: string;
  readonly willRetryUntil?: Date;
  readonly fields: readonly DsnField[];
}

/**
 * The third part of a report: the returned message (`message/rfc822`, `message/global`) or its
 * header section only (`text/rfc822-headers`, `message/global-headers`), transfer-decoded.
 *
 * @example
 * ```ts
 * const returned: ReturnedContent = {
 *   kind: 'headers',
 *   contentType: 'text/rfc822-headers',
 *   bytes: new TextEncoder().encode('Subject: hi\r\n'),
 * };
 * ```
 */
export interface ReturnedContent {
  readonly kind: 'message' | 'headers';
  /** Lower-case `type/subtype` of the part. */
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/**
 * A parsed delivery status notification (RFC 3464 in an RFC 6522 multipart/report).
 *
 * @example
 * ```ts
 * import { parseDsn } from '@smtpkit/dsn';
 * const report: DeliveryStatusReport = parseDsn(bytes);
 * report.recipients[0]?.action; // 'failed'
 * ```
 */
export interface DeliveryStatusReport {
  /** True for RFC 6533 `message/global-delivery-status`, false for `message/delivery-status`. */
  readonly global: boolean;
  readonly perMessage: PerMessageFields;
  readonly recipients: readonly PerRecipientFields[];
  /** The human-readable first part, decoded to text (empty when there is none). */
  readonly text: string;
  /** The returned message or headers, when the report has them. */
  readonly returned?: ReturnedContent;
  /** The header fields of the report message itself (From, To, Subject …), unfolded. */
  readonly headers: readonly DsnField[];
}
