import { describeEnhancedStatus } from '@smtpkit/reply';
import type { DiagnosticCode, DsnAction } from './dsn-types.js';
import { CRLF, foldLine } from './header-field.js';

/** Which notice a report is, by the most pressing action it reports (RFC 3461 §4.1 kinds). */
export type NoticeKind = 'failure' | 'delay' | 'success' | 'relay';

/** The kind of a report: any failure makes it a bounce, else any delay a warning. */
export function noticeKind(actions: readonly DsnAction[]): NoticeKind {
  if (actions.includes('failed')) return 'failure';
  if (actions.includes('delayed')) return 'delay';
  if (actions.every((a) => a === 'relayed')) return 'relay';
  return 'success';
}

/** The Subject of each kind of notice. */
export const SUBJECTS: Readonly<Record<NoticeKind | 'double-bounce', string>> = {
  failure: 'Undelivered Mail Returned to Sender',
  delay: 'Delayed Mail (still being retried)',
  success: 'Successful Mail Delivery Report',
  relay: 'Relayed Mail Report',
  'double-bounce': 'Undelivered Mail with a Null Sender (double bounce)',
};

/** One recipient line of the human-readable part. */
export interface RecipientLine {
  readonly address: string;
  readonly action: DsnAction;
  readonly status: string;
  readonly diagnostic?: DiagnosticCode;
  readonly remoteMta?: string;
}

function recipientLine(r: RecipientLine): string {
  let detail: string;
  if (r.diagnostic !== undefined) {
    detail =
      r.remoteMta === undefined ? r.diagnostic.text : `${r.remoteMta} said: ${r.diagnostic.text}`;
  } else {
    const described = describeEnhancedStatus(r.status);
    detail = described?.detailText ?? described?.classText ?? '';
    detail = detail === '' ? r.status : `${r.status} ${detail}`;
  }
  return `<${r.address}>: ${r.action}: ${detail}`;
}

/** What the human-readable part says. */
export interface HumanTextInput {
  readonly kind: NoticeKind | 'double-bounce';
  readonly reportingMta: string;
  readonly recipients: readonly RecipientLine[];
  readonly returned: 'message' | 'headers' | undefined;
  /** The latest Will-Retry-Until, for a delay notice. */
  readonly retryUntil?: string;
}

const INTRO: Readonly<Record<NoticeKind | 'double-bounce', string>> = {
  failure:
    'Your message could not be delivered to one or more of its recipients. The mail system ' +
    'has given up on them: no further attempts will be made.',
  delay:
    'Your message has not yet been delivered to one or more of its recipients. The mail ' +
    'system keeps trying; you need not send it again. This is only a warning.',
  success: 'Your message was delivered to the recipients below, as the delivery report requested.',
  relay:
    'Your message was passed on to a system that does not report on delivery: no further ' +
    'notice will come for the recipients below.',
  'double-bounce':
    'A message with a null sender (<>), most likely itself a delivery notice, could not be ' +
    'delivered. No notice can go back to a null sender, so this one comes to the postmaster.',
};

/**
 * The first part of a report (RFC 6522 §3: "a human-readable explanation"), as CRLF lines of at
 * most 78 octets where the words allow and never more than 998.
 */
export function humanText(input: HumanTextInput): string {
  const paragraphs = [`This is the mail system at ${input.reportingMta}.`, INTRO[input.kind]];
  if (input.kind === 'delay' && input.retryUntil !== undefined) {
    paragraphs.push(`Delivery will be attempted until ${input.retryUntil}.`);
  }
  if (input.returned !== undefined) {
    paragraphs.push(
      input.returned === 'message'
        ? 'The message is attached below, after the delivery report.'
        : 'The header of the message is attached below, after the delivery report.',
    );
  }
  paragraphs.push(input.recipients.map(recipientLine).join('\n'));
  return wrapText(paragraphs.join('\n\n'));
}

/**
 * Text as CRLF lines: each line folded at spaces to 78 octets where it can be, split to 998 at
 * most (RFC 5322 §2.1.1 holds for a text/plain part too). Ends with CRLF.
 */
export function wrapText(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((line) => foldLine(line).replace(/\r\n[ \t]/g, CRLF))
    .join(CRLF)}${CRLF}`;
}
