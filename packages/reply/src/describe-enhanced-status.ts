import {
  type EnhancedClass,
  type EnhancedStatus,
  formatEnhancedStatus,
  isEnhancedStatus,
  parseEnhancedStatus,
} from './enhanced-status.js';
import type {
  ClassSubCodeRecord,
  EnumeratedStatusRecord,
  SubjectSubCodeRecord,
} from './enhanced-status-record.js';
import {
  classSubCodes,
  enumeratedStatusCodes,
  subjectSubCodes,
} from './generated/enhanced-status-registry.js';
import { ReplyError } from './reply-error.js';

/**
 * What the registry says about one enhanced status code. RFC 3463 §3: a client "must recognize
 * and report class sub-code even where subsequent subject sub-codes are unrecognized", and the
 * subject even where the detail is not, so `subjectText` and `detailText` may be undefined while
 * `classText` never is.
 *
 * @example
 * ```ts
 * const d: EnhancedStatusDescription | undefined = describeEnhancedStatus('4.2.2');
 * d?.detailText; // 'Mailbox full'
 * ```
 */
export interface EnhancedStatusDescription {
  /** The code as text, e.g. "5.1.1". */
  readonly code: string;
  readonly status: EnhancedStatus;
  /** Class summary, e.g. "Permanent Failure". */
  readonly classText: string;
  /** Subject summary, e.g. "Addressing Status"; undefined for an unregistered subject. */
  readonly subjectText: string | undefined;
  /**
   * The registry's sample text, e.g. "Bad destination mailbox address", or its description where
   * the sample text is empty (X.6.10: "This is a duplicate of X.6.8 and is thus deprecated."), so
   * a registered code always has a text to show; undefined when unregistered. The sample text as
   * the registry has it is `detailRecord.sampleText`.
   */
  readonly detailText: string | undefined;
  /** Basic reply codes the registry associates with `X.subject.detail` (empty when none given). */
  readonly basicCodes: readonly number[];
  /** The `Status` identifier, e.g. "BadDestinationMailboxAddress"; undefined when unregistered. */
  readonly name: string | undefined;
  /** Whether the registry lists `X.subject.detail`. */
  readonly registered: boolean;
  /** Whether the registry marks the code deprecated. */
  readonly deprecated: boolean;
  readonly classRecord: ClassSubCodeRecord;
  readonly subjectRecord: SubjectSubCodeRecord | undefined;
  readonly detailRecord: EnumeratedStatusRecord | undefined;
}

let bySubjectDetail: Map<number, EnumeratedStatusRecord> | undefined;

/**
 * The registry record of `X.subject.detail`, if the registry lists it.
 *
 * @example
 * ```ts
 * findEnumeratedStatus(7, 30)?.sampleText; // 'REQUIRETLS support required'
 * ```
 */
export function findEnumeratedStatus(
  subject: number,
  detail: number,
): EnumeratedStatusRecord | undefined {
  if (bySubjectDetail === undefined) {
    bySubjectDetail = new Map(enumeratedStatusCodes.map((r) => [r.subject * 1000 + r.detail, r]));
  }
  return bySubjectDetail.get(subject * 1000 + detail);
}

/**
 * Describes an enhanced status code from the IANA registry: class, subject and detail texts and
 * the associated basic reply codes. Returns undefined when `status` is not valid RFC 3463 syntax.
 *
 * @example
 * ```ts
 * import { describeEnhancedStatus } from '@smtpkit/reply';
 * const d = describeEnhancedStatus('5.1.1');
 * // d.classText 'Permanent Failure', d.subjectText 'Addressing Status',
 * // d.detailText 'Bad destination mailbox address', d.basicCodes [451, 550]
 * ```
 */
export function describeEnhancedStatus(
  status: EnhancedStatus | string,
): EnhancedStatusDescription | undefined {
  const s = typeof status === 'string' ? parseEnhancedStatus(status) : status;
  if (s === undefined || !isEnhancedStatus(s)) return undefined;
  const classRecord = classSubCodes.find((c) => c.class === s.class);
  // The registry defines all three classes; the generated module is checked by a test.
  if (classRecord === undefined) return undefined;
  const subjectRecord = subjectSubCodes.find((r) => r.subject === s.subject);
  const detailRecord = findEnumeratedStatus(s.subject, s.detail);
  return {
    code: formatEnhancedStatus(s),
    status: { class: s.class, subject: s.subject, detail: s.detail },
    classText: classRecord.summary,
    subjectText: subjectRecord?.summary,
    detailText:
      detailRecord === undefined
        ? undefined
        : detailRecord.sampleText === ''
          ? detailRecord.description
          : detailRecord.sampleText,
    basicCodes: detailRecord?.basicCodes ?? [],
    name: detailRecord?.name,
    registered: detailRecord !== undefined,
    deprecated: detailRecord?.deprecated ?? false,
    classRecord,
    subjectRecord,
    detailRecord,
  };
}

/**
 * A full enhanced status from a class and a `Status` entry (or any `{ subject, detail }`).
 * Throws `ReplyError` (`ERR_REPLY_MISUSE_ENHANCED_SYNTAX`) when the result is not a valid status.
 *
 * @example
 * ```ts
 * import { enhancedStatus, Status, createReply, C550MailboxUnavailable } from '@smtpkit/reply';
 * createReply(C550MailboxUnavailable, enhancedStatus(5, Status.BadDestinationMailboxAddress), 'No such user');
 * ```
 */
export function enhancedStatus(
  cls: EnhancedClass,
  code: { readonly subject: number; readonly detail: number },
): EnhancedStatus {
  const s = { class: cls, subject: code.subject, detail: code.detail };
  if (!isEnhancedStatus(s)) {
    throw new ReplyError(
      'ERR_REPLY_MISUSE_ENHANCED_SYNTAX',
      'not an RFC 3463 enhanced status value',
    );
  }
  return Object.freeze(s);
}
