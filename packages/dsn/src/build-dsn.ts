import { parseEnhancedStatus } from '@smtpkit/reply';
import { formatDateTime, toDate } from './date-time.js';
import { formatDeliveryStatus } from './delivery-status.js';
import { DsnError } from './dsn-error.js';
import type {
  DiagnosticCode,
  DsnAction,
  DsnEnvelope,
  DsnField,
  DsnRecipient,
} from './dsn-types.js';
import { checkFieldValue, hasNonAscii } from './header-field.js';
import {
  humanText,
  type NoticeKind,
  noticeKind,
  type RecipientLine,
  SUBJECTS,
} from './human-text.js';
import { writeReport } from './report-message.js';
import { chooseReturned, DEFAULT_RETURN_FULL_LIMIT } from './returned-content.js';
import { formatDiagnostic, formatMtaName, formatTypedAddress } from './typed-address.js';

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
 * The Status of a reply without an enhanced code (a server that does not offer
 * ENHANCEDSTATUSCODES): its class with "X.0.0", RFC 3463 §3.1 "Other undefined Status … the only
 * undefined error code" (RFC 3464 §2.3.4 makes the Status field required). The subject and detail
 * are not guessed from the basic code.
 */
function undefinedStatusOf(reply: DsnRecipient['reply']): string | undefined {
  const klass = reply === undefined ? undefined : Math.floor(reply.code / 100);
  return klass === 2 || klass === 4 || klass === 5 ? `${klass}.0.0` : undefined;
}

/** The Status of a recipient, checked against its action (RFC 3464 §2.3.3, §2.3.4). */
function statusOf(r: DsnRecipient, index: number): string {
  const status = r.status ?? r.reply?.enhanced ?? undefinedStatusOf(r.reply);
  const parsed = status === undefined ? undefined : parseEnhancedStatus(status);
  if (status === undefined || parsed === undefined) {
    throw new DsnError(
      'ERR_DSN_MISUSE_STATUS',
      `recipient ${index + 1}: ${status === undefined ? 'no status (give status or a reply)' : `"${status}" is not an RFC 3463 status code`}`,
    );
  }
  // RFC 3464 §2.3.4: "2 = success, 4 = persistent temporary failure, 5 = permanent failure"; the
  // note in §2.3.3 lets a "failed" report carry a temporary code (a message given up on after
  // retries), but a delay is temporary and a delivery a success.
  const allowed: Readonly<Record<DsnAction, readonly number[]>> = {
    failed: [4, 5],
    delayed: [4],
    delivered: [2],
    relayed: [2],
    expanded: [2],
  };
  if (!allowed[r.action].includes(parsed.class)) {
    throw new DsnError(
      'ERR_DSN_MISUSE_STATUS',
      `recipient ${index + 1}: status ${status} does not go with action "${r.action}" (RFC 3464 §2.3.4)`,
    );
  }
  return status;
}

/** The Diagnostic-Code of a recipient: the given one, or `smtp; <code> <enhanced> <text>`. */
function diagnosticOf(r: DsnRecipient): DiagnosticCode | undefined {
  if (r.diagnostic !== undefined)
    return { type: r.diagnostic.type, text: r.diagnostic.text.trim() };
  if (r.reply === undefined) return undefined;
  // The lines of a multi-line reply are joined with spaces: a field holds one logical line.
  let text = r.reply.text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  const enhanced = r.reply.enhanced;
  if (enhanced !== undefined && !text.startsWith(`${enhanced} `) && text !== enhanced) {
    text = text === '' ? enhanced : `${enhanced} ${text}`;
  }
  return { type: 'smtp', text: text === '' ? String(r.reply.code) : `${r.reply.code} ${text}` };
}

const asDate = (time: Date | number | undefined, what: string) =>
  time === undefined ? undefined : toDate(time, what);

/** Everything a report needs from its recipients, checked. */
export interface ReportRecipients {
  readonly groups: DsnField[][];
  readonly lines: RecipientLine[];
  readonly kind: NoticeKind;
  readonly retryUntil: string | undefined;
}

/** Writes the per-recipient groups (RFC 3464 §2.3) and the lines of the human-readable part. */
export function reportRecipients(
  recipients: readonly DsnRecipient[],
  global: boolean,
): ReportRecipients {
  if (recipients.length === 0) {
    throw new DsnError('ERR_DSN_MISUSE_NO_RECIPIENTS', 'a DSN reports on one recipient at least');
  }
  let latestRetry: Date | undefined;
  const groups: DsnField[][] = [];
  const lines: RecipientLine[] = [];
  recipients.forEach((r, index) => {
    const status = statusOf(r, index);
    const diagnostic = diagnosticOf(r);
    const remoteMta = r.remoteMta ?? r.reply?.remoteMta;
    const lastAttempt = asDate(r.lastAttemptAt, 'lastAttemptAt');
    const retryUntil = asDate(r.willRetryUntil, 'willRetryUntil');
    if (retryUntil !== undefined && r.action !== 'delayed') {
      // RFC 3464 §2.3.9: Will-Retry-Until "MUST NOT appear in other DSNs" than delay notices.
      throw new DsnError(
        'ERR_DSN_MISUSE_FIELD',
        `recipient ${index + 1}: Will-Retry-Until is for "delayed" only`,
      );
    }
    if (retryUntil !== undefined && (latestRetry === undefined || retryUntil > latestRetry)) {
      latestRetry = retryUntil;
    }
    const group: DsnField[] = [];
    if (r.orcpt !== undefined) {
      group.push({ name: 'Original-Recipient', value: formatTypedAddress(r.orcpt, global) });
    }
    group.push(
      {
        name: 'Final-Recipient',
        value: formatTypedAddress({ addrType: 'rfc822', address: r.address }, global),
      },
      { name: 'Action', value: r.action },
      { name: 'Status', value: status },
    );
    if (remoteMta !== undefined) {
      group.push({ name: 'Remote-MTA', value: formatMtaName({ type: 'dns', name: remoteMta }) });
    }
    if (diagnostic !== undefined) {
      group.push({ name: 'Diagnostic-Code', value: formatDiagnostic(diagnostic) });
    }
    if (lastAttempt !== undefined) {
      group.push({ name: 'Last-Attempt-Date', value: formatDateTime(lastAttempt) });
    }
    if (r.finalLogId !== undefined) group.push({ name: 'Final-Log-ID', value: r.finalLogId });
    if (retryUntil !== undefined) {
      group.push({ name: 'Will-Retry-Until', value: formatDateTime(retryUntil) });
    }
    group.push(...(r.fields ?? []));
    for (const f of group) checkFieldValue(f.name, f.value);
    groups.push(group);
    lines.push({
      address: r.address,
      action: r.action,
      status,
      ...(diagnostic === undefined ? {} : { diagnostic }),
      ...(remoteMta === undefined ? {} : { remoteMta }),
    });
  });
  return {
    groups,
    lines,
    kind: noticeKind(recipients.map((r) => r.action)),
    retryUntil: latestRetry === undefined ? undefined : formatDateTime(latestRetry),
  };
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
  const written = writeReport({
    from: mailboxField(options.fromName ?? 'Mail Delivery System', from),
    to: `<${to}>`,
    subject: options.subject ?? SUBJECTS[kind],
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
    smtputf8: global || hasNonAscii(to),
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
