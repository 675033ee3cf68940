import { formatDateTime, toDate } from './date-time.js';
import { formatDeliveryStatus } from './delivery-status.js';
import { DsnError } from './dsn-error.js';
import type { DsnEnvelope, DsnField, DsnRecipient } from './dsn-types.js';
import { checkFieldValue, hasNonAscii } from './header-field.js';
import { humanText, SUBJECTS } from './human-text.js';
import { reportRecipients } from './recipient-groups.js';
import { writeReport } from './report-message.js';
import { chooseReturned, DEFAULT_RETURN_FULL_LIMIT } from './returned-content.js';
import { formatMtaName } from './typed-address.js';

/**
 * Options of {@link buildDsn}. `envelope` and the recipients' RCPT facts take the queue's shapes
 * (`MessageEnvelope`, `QueuedRecipient` with `action` and `reply` added).
 */
export interface BuildDsnOptions {
  /** The host name of this MTA: Reporting-MTA `dns; <name>`, and the default From domain. */
  readonly reportingMta: string;
  /** The envelope of the message reported on; its sender receives the DSN. */
  readonly envelope: DsnEnvelope;
  /** The recipients to report on (pick them with `dsnRecipientsFor` / `planNotification`). */
  readonly recipients: readonly DsnRecipient[];
  /** The caller's clock: the Date header (sans-IO: the builder reads no clock). */
  readonly now: Date | number;
  /** The Message-ID (`id@host`; `@reportingMta` is added when it has no "@"), or its generator. */
  readonly messageId: string | (() => string);
  /** The message reported on, as stored: returned whole or as its header section. */
  readonly original?: Uint8Array;
  /** The From address. Default `MAILER-DAEMON@<reportingMta>`. */
  readonly from?: string;
  /** The From display name. Default `Mail Delivery System`. */
  readonly fromName?: string;
  /** The Subject. Default by the notice kind ("Undelivered Mail Returned to Sender" …). */
  readonly subject?: string;
  /** Received-From-MTA (`dns; <name>`): the host the message came from. */
  readonly receivedFromMta?: string;
  /** A message larger than this (octets) is returned as its header only. Default 50,000. */
  readonly returnFullLimit?: number;
  /** The human-readable part, instead of the one written from the recipients. */
  readonly text?: string;
  /** Per-message extension fields (RFC 3464 §2.4), e.g. `X-Queue-ID`. */
  readonly fields?: readonly DsnField[];
}

/**
 * A DSN ready to send, with its envelope: from the null reverse-path `<>` (RFC 5321 §4.5.5) to
 * the original sender.
 */
export interface BuiltDsn {
  /** Always `''`: the DSN goes out with `MAIL FROM:<>`. */
  readonly sender: '';
  /** The RCPT of the DSN: the original sender (or the postmaster for a double bounce). */
  readonly recipient: string;
  /** The whole message, CRLF lines. */
  readonly message: Uint8Array;
  /** The DSN needs SMTPUTF8 (RFC 6533 forms or a UTF-8 address in its envelope). */
  readonly smtputf8: boolean;
  /** `8BITMIME` when a part holds 8-bit octets (RFC 6152), else `7BIT`. */
  readonly body: '7BIT' | '8BITMIME';
}

/**
 * Whether the report takes the RFC 6533 forms: the message was SMTPUTF8, or a value that must be
 * written as it is (an address, the sender, a diagnostic, a host name) is not ASCII. ORCPT values
 * are left out: they have a 7-bit form (utf-8-addr-xtext).
 */
export function needsGlobal(options: BuildDsnOptions, to: string): boolean {
  if (options.envelope.smtputf8 === true) return true;
  const values = [
    to,
    options.reportingMta,
    options.receivedFromMta ?? '',
    options.envelope.envid ?? '',
  ];
  for (const r of options.recipients) {
    values.push(
      r.address,
      r.diagnostic?.text ?? '',
      r.reply?.text ?? '',
      r.remoteMta ?? '',
      r.reply?.remoteMta ?? '',
    );
  }
  return values.some(hasNonAscii);
}

/** The id of the Message-ID field: the caller's, with `@host` added when it has none. */
export function messageIdOf(options: Pick<BuildDsnOptions, 'messageId' | 'reportingMta'>): string {
  let id = typeof options.messageId === 'function' ? options.messageId() : options.messageId;
  id = id.trim().replace(/^<(.*)>$/, '$1');
  if (!id.includes('@')) id = `${id}@${options.reportingMta}`;
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(id)) {
    throw new DsnError('ERR_DSN_MISUSE_FIELD', `"${id}" is not a Message-ID (RFC 5322 §3.6.4)`);
  }
  return id;
}

/** `Name <address>`: the display name as atoms when it is, else a quoted string. */
export function mailboxField(name: string, address: string): string {
  if (/^[\x20-\x7e]*$/.test(name) === false) {
    throw new DsnError('ERR_DSN_MISUSE_FIELD', 'the From display name must be printable ASCII');
  }
  const phrase = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name)
    ? name
    : `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return name === '' ? `<${address}>` : `${phrase} <${address}>`;
}

/** The per-message group (RFC 3464 §2.2). */
export function perMessageGroup(options: BuildDsnOptions): DsnField[] {
  const fields: DsnField[] = [];
  // RFC 3464 §2.2.1: Original-Envelope-Id, when the message had an ENVID, first.
  if (options.envelope.envid !== undefined) {
    fields.push({ name: 'Original-Envelope-Id', value: options.envelope.envid });
  }
  fields.push({
    name: 'Reporting-MTA',
    value: formatMtaName({ type: 'dns', name: options.reportingMta }),
  });
  if (options.receivedFromMta !== undefined) {
    fields.push({
      name: 'Received-From-MTA',
      value: formatMtaName({ type: 'dns', name: options.receivedFromMta }),
    });
  }
  if (options.envelope.receivedAt !== undefined) {
    fields.push({
      name: 'Arrival-Date',
      value: formatDateTime(toDate(options.envelope.receivedAt, 'envelope.receivedAt')),
    });
  }
  fields.push(...(options.fields ?? []));
  for (const f of fields) checkFieldValue(f.name, f.value);
  return fields;
}

/** The report to `to`, written. Shared by {@link buildDsn} and the double bounce. */
export function buildReport(
  options: BuildDsnOptions,
  to: string,
  kindOverride?: 'double-bounce',
): BuiltDsn {
  if (options.reportingMta.trim() === '') {
    throw new DsnError('ERR_DSN_MISUSE_OPTION', 'reportingMta is empty');
  }
  const limit = options.returnFullLimit ?? DEFAULT_RETURN_FULL_LIMIT;
  if (!(limit >= 0)) throw new DsnError('ERR_DSN_MISUSE_OPTION', 'returnFullLimit must be ≥ 0');
  const global = needsGlobal(options, to);
  const recipients = reportRecipients(options.recipients, global);
  const kind = kindOverride ?? recipients.kind;
  const returned =
    options.original === undefined
      ? undefined
      : chooseReturned(options.original, {
          // RFC 3461 §4.3: RET applies to failure notices; the postmaster sees headers only.
          full: kind === 'failure' && options.envelope.ret !== 'HDRS',
          fullLimit: limit,
        });
  const text =
    options.text === undefined
      ? humanText({
          kind,
          reportingMta: options.reportingMta,
          recipients: recipients.lines,
          returned: returned?.kind,
          ...(recipients.retryUntil === undefined ? {} : { retryUntil: recipients.retryUntil }),
        })
      : options.text;
  const from = options.from ?? `MAILER-DAEMON@${options.reportingMta}`;
  const subject = options.subject ?? SUBJECTS[kind];
  const written = writeReport({
    from: mailboxField(options.fromName ?? 'Mail Delivery System', from),
    to: `<${to}>`,
    subject,
    date: toDate(options.now, 'now'),
    messageId: messageIdOf(options),
    global,
    text: text.endsWith('\n')
      ? text.replace(/\r?\n/g, '\r\n')
      : `${text.replace(/\r?\n/g, '\r\n')}\r\n`,
    status: formatDeliveryStatus(perMessageGroup(options), recipients.groups),
    returned,
  });
  return {
    sender: '',
    recipient: to,
    message: written.message,
    // RFC 6531 §3.4 / RFC 6532: UTF-8 in the envelope or the header fields needs SMTPUTF8.
    smtputf8: global || [to, from, subject].some(hasNonAscii),
    body: written.eightBit ? '8BITMIME' : '7BIT',
  };
}

/**
 * Builds a delivery status notification (RFC 3464) for the recipients given, addressed to the
 * message's sender: an RFC 6522 `multipart/report; report-type=delivery-status` with a
 * human-readable part, the delivery-status part, and the returned message (RFC 3461 §4.3: whole
 * for a failure unless RET=HDRS or it is larger than `returnFullLimit`, else its header). An
 * SMTPUTF8 message or a UTF-8 value gives the RFC 6533 forms (message/global-delivery-status,
 * message/global, message/global-headers, the `utf-8` address type).
 *
 * Throws `DsnError`: `ERR_DSN_MISUSE_NULL_SENDER` for a message from `<>` (send
 * `buildDoubleBounce` to the postmaster instead), `ERR_DSN_MISUSE_NO_RECIPIENTS`,
 * `ERR_DSN_MISUSE_STATUS` for a status that is missing, not RFC 3463, or not of the action's
 * class, `ERR_DSN_MISUSE_FIELD` for CR, LF or NUL in a value.
 *
 * @example
 * ```ts
 * import { buildDsn } from '@smtpkit/dsn';
 * const dsn = buildDsn({
 *   reportingMta: 'mx.example.com',
 *   envelope: { sender: 'alice@example.com', envid: 'QQ314159' },
 *   recipients: [
 *     {
 *       address: 'bob@example.org',
 *       action: 'failed',
 *       reply: { code: 550, enhanced: '5.1.1', text: 'No such user', remoteMta: 'mx.example.org' },
 *     },
 *   ],
 *   original: new TextEncoder().encode('Subject: hi\r\n\r\nHello\r\n'),
 *   now: Date.UTC(2026, 0, 2, 3, 4, 5),
 *   messageId: 'dsn.1',
 * });
 * dsn.sender; // '' (MAIL FROM:<>)
 * dsn.recipient; // 'alice@example.com'
 * ```
 */
export function buildDsn(options: BuildDsnOptions): BuiltDsn {
  if (options.envelope.sender === '') {
    throw new DsnError(
      'ERR_DSN_MISUSE_NULL_SENDER',
      'no DSN for a message from <> (RFC 5321 §4.5.5); notify the postmaster with buildDoubleBounce',
    );
  }
  return buildReport(options, options.envelope.sender);
}
