import { parseDeliveryStatus } from './delivery-status.js';
import { DsnError } from './dsn-error.js';
import type { DeliveryStatusReport, ReturnedContent } from './dsn-types.js';
import {
  binaryString,
  bodyText,
  contentTypeOf,
  decodedBody,
  type MimeEntity,
  splitEntity,
  splitMultipart,
} from './mime-entity.js';

/** Options of {@link parseDsn}. */
export interface ParseDsnOptions {
  /** Larger input is refused (`ERR_DSN_TOO_LARGE`). Default 64 MiB. */
  readonly maxBytes?: number;
}

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_KINDS: Readonly<Record<string, ReturnedContent['kind']>> = {
  'message/rfc822': 'message',
  'message/global': 'message',
  'text/rfc822-headers': 'headers',
  'message/global-headers': 'headers',
};
/** How deep multiparts are followed (a report inside a multipart/mixed, a text in an alternative). */
const MAX_DEPTH = 4;

/** The leaf entities of a MIME tree, depth first, nested multiparts opened up to MAX_DEPTH. */
function leaves(entity: MimeEntity, depth: number, out: MimeEntity[]): MimeEntity[] {
  const type = contentTypeOf(entity.fields);
  const boundary = type.params.get('boundary');
  if (
    type.type.startsWith('multipart/') &&
    boundary !== undefined &&
    boundary !== '' &&
    depth < MAX_DEPTH
  ) {
    for (const part of splitMultipart(entity.body, boundary)) {
      const child = splitEntity(part) ?? { fields: [], body: part };
      leaves(child, depth + 1, out);
    }
  } else out.push(entity);
  return out;
}

/**
 * Parses a delivery status notification: an RFC 6522 `multipart/report` holding a
 * `message/delivery-status` or RFC 6533 `message/global-delivery-status` part (RFC 3464 §2), the
 * human-readable part before it, and the returned message or header after it.
 *
 * Tolerant where real reports differ: folded fields (Postfix's four-space indent included),
 * LF-only line ends, a report nested in a multipart/mixed, a text part inside a
 * multipart/alternative, base64 or quoted-printable parts, no close delimiter. Linear in the
 * input and bounded in depth; it never hangs.
 *
 * Throws `DsnError`: `ERR_DSN_NOT_A_REPORT` when there is no delivery-status part,
 * `ERR_DSN_SYNTAX` when that part does not hold a per-message group and a per-recipient group
 * with Final-Recipient, Action and Status, `ERR_DSN_TOO_LARGE` above `maxBytes`.
 *
 * @example
 * ```ts
 * import { buildDsn, parseDsn } from '@smtpkit/dsn';
 * const report = parseDsn(dsn.message);
 * report.recipients[0]?.status; // '5.1.1'
 * report.recipients[0]?.diagnosticCode; // { type: 'smtp', text: '550 5.1.1 No such user' }
 * ```
 */
export function parseDsn(bytes: Uint8Array, options: ParseDsnOptions = {}): DeliveryStatusReport {
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  if (bytes.length > max) {
    throw new DsnError('ERR_DSN_TOO_LARGE', `the report is larger than ${max} octets`);
  }
  const message = splitEntity(bytes, binaryString(bytes));
  if (message === undefined) {
    throw new DsnError('ERR_DSN_NOT_A_REPORT', 'no header section ends in an empty line');
  }
  const parts = leaves(message, 0, []);
  const statusIndex = parts.findIndex((p) => STATUS_TYPES.has(contentTypeOf(p.fields).type));
  const statusEntity = parts[statusIndex];
  if (statusEntity === undefined) {
    throw new DsnError('ERR_DSN_NOT_A_REPORT', 'no message/delivery-status part (RFC 3464 §2)');
  }
  const statusType = contentTypeOf(statusEntity.fields);
  const { perMessage, recipients } = parseDeliveryStatus(
    new TextDecoder('utf-8').decode(decodedBody(statusEntity)),
  );
  // RFC 6522 §3: the human-readable part comes first; take the first text/plain before the report.
  const textEntity = parts
    .slice(0, statusIndex)
    .find((p) => contentTypeOf(p.fields).type === 'text/plain');
  const text =
    textEntity === undefined
      ? ''
      : bodyText(decodedBody(textEntity), contentTypeOf(textEntity.fields)).replace(/\r\n?/g, '\n');
  let returned: ReturnedContent | undefined;
  for (const p of parts.slice(statusIndex + 1)) {
    const type = contentTypeOf(p.fields).type;
    const kind = RETURNED_KINDS[type];
    if (kind !== undefined) {
      returned = { kind, contentType: type, bytes: decodedBody(p) };
      break;
    }
  }
  return {
    global: statusType.type === 'message/global-delivery-status',
    perMessage,
    recipients,
    text,
    ...(returned === undefined ? {} : { returned }),
    headers: message.fields,
  };
}
