import { parseEnhancedStatus } from '@smtpkit/reply';
import { formatDateTime, toDate } from './date-time.js';
import { DsnError } from './dsn-error.js';
import type { DiagnosticCode, DsnAction, DsnField, DsnRecipient } from './dsn-types.js';
import { checkFieldValue } from './header-field.js';
import { type NoticeKind, noticeKind, type RecipientLine } from './human-text.js';
import { formatDiagnostic, formatMtaName, formatTypedAddress } from './typed-address.js';

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
