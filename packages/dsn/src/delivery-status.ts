import { parseEnhancedStatus } from '@smtpkit/reply';
import { parseDateTime } from './date-time.js';
import { DsnError } from './dsn-error.js';
import type {
  DsnAction,
  DsnField,
  PerMessageFields,
  PerRecipientFields,
  TypedAddress,
} from './dsn-types.js';
import { CRLF, fieldValue, formatField, parseFields } from './header-field.js';
import { parseDiagnostic, parseMtaName, parseTypedAddress } from './typed-address.js';

const ACTIONS: readonly DsnAction[] = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'];

/**
 * Writes the content of a message/delivery-status part (RFC 3464 §2.1):
 * ```
 * delivery-status-content = per-message-fields 1*( CRLF per-recipient-fields )
 * ```
 * each group a run of `field CRLF` lines, groups apart by one empty line.
 */
export function formatDeliveryStatus(
  perMessage: readonly DsnField[],
  recipients: readonly (readonly DsnField[])[],
): string {
  const group = (fields: readonly DsnField[]): string =>
    fields.map((f) => formatField(f.name, f.value)).join('');
  return [group(perMessage), ...recipients.map(group)].join(CRLF);
}

/** The groups of a delivery-status content: runs of lines apart by blank lines. */
function groups(content: string): string[] {
  return content
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((g) => g.replace(/^(?:[ \t]*\r?\n)+/, ''))
    .filter((g) => g.trim() !== '');
}

const dateOf = (fields: readonly DsnField[], name: string): Date | undefined => {
  const value = fieldValue(fields, name);
  return value === undefined ? undefined : parseDateTime(value);
};

/** RFC 3464 §2.2: the per-message group. */
function readPerMessage(fields: readonly DsnField[]): PerMessageFields {
  const mta = (name: string) => {
    const value = fieldValue(fields, name);
    return value === undefined ? undefined : parseMtaName(value);
  };
  const envid = fieldValue(fields, 'Original-Envelope-Id');
  const reportingMta = mta('Reporting-MTA');
  const dsnGateway = mta('DSN-Gateway');
  const receivedFromMta = mta('Received-From-MTA');
  const arrivalDate = dateOf(fields, 'Arrival-Date');
  return {
    ...(envid === undefined ? {} : { originalEnvelopeId: envid }),
    ...(reportingMta === undefined ? {} : { reportingMta }),
    ...(dsnGateway === undefined ? {} : { dsnGateway }),
    ...(receivedFromMta === undefined ? {} : { receivedFromMta }),
    ...(arrivalDate === undefined ? {} : { arrivalDate }),
    fields,
  };
}

/**
 * RFC 3464 §2.3.4: `status-code = DIGIT "." 1*3DIGIT "." 1*3DIGIT`; "a comment enclosed in
 * parentheses MAY follow the last numeric sub-field".
 */
function readStatus(value: string): string | undefined {
  const code = /^\s*(\d\.\d{1,3}\.\d{1,3})(?=$|[\s(])/.exec(value)?.[1];
  return code !== undefined && parseEnhancedStatus(code) !== undefined ? code : undefined;
}

/** RFC 3464 §2.3: one per-recipient group; Final-Recipient, Action and Status are required. */
function readPerRecipient(fields: readonly DsnField[], index: number): PerRecipientFields {
  const required = (name: string): string => {
    const value = fieldValue(fields, name);
    if (value === undefined) {
      throw new DsnError('ERR_DSN_SYNTAX', `recipient ${index + 1}: no ${name} (RFC 3464 §2.3)`);
    }
    return value;
  };
  const finalRecipient = parseTypedAddress(required('Final-Recipient'));
  if (finalRecipient === undefined) {
    throw new DsnError('ERR_DSN_SYNTAX', `recipient ${index + 1}: empty Final-Recipient`);
  }
  // RFC 3464 §2.3.3: "The action-value may be spelled in any combination of upper and lower case".
  const actionText = required('Action')
    .replace(/\([^()]*\)/g, '')
    .trim()
    .toLowerCase();
  const action = ACTIONS.find((a) => a === actionText);
  if (action === undefined) {
    throw new DsnError('ERR_DSN_SYNTAX', `recipient ${index + 1}: unknown Action "${actionText}"`);
  }
  const status = readStatus(required('Status'));
  if (status === undefined) {
    throw new DsnError('ERR_DSN_SYNTAX', `recipient ${index + 1}: Status is not RFC 3463`);
  }
  const original = fieldValue(fields, 'Original-Recipient');
  const originalRecipient: TypedAddress | undefined =
    original === undefined ? undefined : parseTypedAddress(original);
  const remote = fieldValue(fields, 'Remote-MTA');
  const remoteMta = remote === undefined ? undefined : parseMtaName(remote);
  const diagnostic = fieldValue(fields, 'Diagnostic-Code');
  const lastAttemptDate = dateOf(fields, 'Last-Attempt-Date');
  const finalLogId = fieldValue(fields, 'Final-Log-ID');
  const willRetryUntil = dateOf(fields, 'Will-Retry-Until');
  return {
    ...(originalRecipient === undefined ? {} : { originalRecipient }),
    finalRecipient,
    action,
    status,
    ...(remoteMta === undefined ? {} : { remoteMta }),
    ...(diagnostic === undefined ? {} : { diagnosticCode: parseDiagnostic(diagnostic) }),
    ...(lastAttemptDate === undefined ? {} : { lastAttemptDate }),
    ...(finalLogId === undefined ? {} : { finalLogId }),
    ...(willRetryUntil === undefined ? {} : { willRetryUntil }),
    fields,
  };
}

/**
 * Reads the content of a message/delivery-status or message/global-delivery-status part: the
 * per-message group, then one group per recipient. Folded lines and LF-only line ends are read.
 * Throws `DsnError` (`ERR_DSN_SYNTAX`) when no recipient group is there or one lacks a required
 * field.
 */
export function parseDeliveryStatus(content: string): {
  perMessage: PerMessageFields;
  recipients: PerRecipientFields[];
} {
  let [first, ...rest] = groups(content).map(parseFields);
  // Tolerance: a writer that left the per-message group out starts with a recipient.
  if (first !== undefined && fieldValue(first, 'Final-Recipient') !== undefined) {
    rest = [first, ...rest];
    first = [];
  }
  if (first === undefined || rest.length === 0) {
    throw new DsnError(
      'ERR_DSN_SYNTAX',
      'a delivery-status needs per-recipient fields (RFC 3464 §2.1)',
    );
  }
  return { perMessage: readPerMessage(first), recipients: rest.map(readPerRecipient) };
}
