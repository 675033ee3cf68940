import { formatDateTime } from './date-time.js';
import { DsnError } from './dsn-error.js';
import type { DsnField } from './dsn-types.js';
import { CRLF, formatField, hasNonAscii, utf8 } from './header-field.js';
import { binaryString } from './mime-entity.js';
import { hasEightBit, type ReturnedPart } from './returned-content.js';

/** What the builders hand over to be written as an RFC 6522 multipart/report message. */
export interface ReportParts {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly date: Date;
  readonly messageId: string;
  /** RFC 6533: message/global-delivery-status and the global returned types. */
  readonly global: boolean;
  /** The human-readable part, CRLF lines. */
  readonly text: string;
  /** The delivery-status content, CRLF lines. */
  readonly status: string;
  readonly returned: ReturnedPart | undefined;
  /** Extra header fields of the report message (after the standard ones). */
  readonly headers?: readonly DsnField[];
}

/** The written report and the transport facts it needs. */
export interface WrittenReport {
  readonly message: Uint8Array;
  /** An 8-bit part: send with BODY=8BITMIME (RFC 6152). */
  readonly eightBit: boolean;
}

/**
 * A boundary that occurs in none of the parts (RFC 2046 §5.1.1: "the boundary delimiter MUST NOT
 * appear inside any of the encapsulated parts"). Candidates differ at a fixed position, so each
 * can only be found where the others are not: at most one fails per octet of content, and the
 * search ends.
 */
export function chooseBoundary(parts: readonly string[], seed: string): string {
  const size = parts.reduce((n, p) => n + p.length, 0);
  for (let n = 0; n <= size; n++) {
    const candidate = `=_smtpkit_dsn_${seed}_${n}_=`;
    if (!parts.some((p) => p.includes(candidate))) return candidate;
  }
  // Unreachable: more candidates were tried than the parts have octets.
  throw new DsnError('ERR_DSN_MISUSE_OPTION', 'no boundary found');
}

const RETURNED_TYPES = {
  message: ['message/rfc822', 'message/global'],
  headers: ['text/rfc822-headers', 'message/global-headers'],
} as const;

/**
 * Writes the report (RFC 6522 §3, RFC 3464 §2): header fields (RFC 3834 §5 Auto-Submitted:
 * auto-replied, MIME-Version), then `multipart/report; report-type=delivery-status` with the
 * human-readable part, the (global-)delivery-status part and the returned content.
 */
export function writeReport(parts: ReportParts): WrittenReport {
  const textEightBit = hasNonAscii(parts.text);
  const statusEightBit = hasNonAscii(parts.status);
  const returnedEightBit = parts.returned !== undefined && hasEightBit(parts.returned.bytes);
  const bodies: string[] = [parts.text, parts.status];
  const returnedText = parts.returned === undefined ? '' : binaryString(parts.returned.bytes);
  const boundary = chooseBoundary(
    [...bodies, returnedText],
    Math.floor(parts.date.getTime() / 1000).toString(36),
  );
  const cte = (eightBit: boolean) =>
    formatField('Content-Transfer-Encoding', eightBit ? '8bit' : '7bit');

  const head =
    formatField('From', parts.from) +
    formatField('To', parts.to) +
    formatField('Subject', parts.subject) +
    formatField('Date', formatDateTime(parts.date)) +
    formatField('Message-ID', `<${parts.messageId}>`) +
    formatField('Auto-Submitted', 'auto-replied') +
    (parts.headers ?? []).map((f) => formatField(f.name, f.value)).join('') +
    formatField('MIME-Version', '1.0') +
    formatField(
      'Content-Type',
      `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    ) +
    formatField(
      'Content-Transfer-Encoding',
      textEightBit || statusEightBit || returnedEightBit ? '8bit' : '7bit',
    ) +
    CRLF +
    `This is a MIME-encapsulated message (RFC 6522 multipart/report).${CRLF}`;

  const textPart =
    `${CRLF}--${boundary}${CRLF}` +
    formatField('Content-Description', 'Notification') +
    formatField('Content-Type', `text/plain; charset=${textEightBit ? 'utf-8' : 'us-ascii'}`) +
    cte(textEightBit) +
    CRLF +
    parts.text;

  const statusPart =
    `${CRLF}--${boundary}${CRLF}` +
    formatField('Content-Description', 'Delivery report') +
    formatField(
      'Content-Type',
      parts.global ? 'message/global-delivery-status' : 'message/delivery-status',
    ) +
    cte(statusEightBit) +
    CRLF +
    parts.status;

  const chunks: Uint8Array[] = [utf8(head + textPart + statusPart)];
  if (parts.returned !== undefined) {
    const type = RETURNED_TYPES[parts.returned.kind][parts.global ? 1 : 0];
    chunks.push(
      utf8(
        `${CRLF}--${boundary}${CRLF}` +
          formatField(
            'Content-Description',
            parts.returned.kind === 'message' ? 'Returned Message' : 'Returned Message Header',
          ) +
          formatField('Content-Type', type) +
          cte(returnedEightBit) +
          CRLF,
      ),
      parts.returned.bytes,
    );
  }
  chunks.push(utf8(`${CRLF}--${boundary}--${CRLF}`));
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const message = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    message.set(chunk, at);
    at += chunk.length;
  }
  return { message, eightBit: textEightBit || statusEightBit || returnedEightBit };
}
