import type { EnhancedClass } from './enhanced-status.js';

/**
 * One class sub-code of the IANA enhanced status code registry (RFC 3463 §3.1, RFC 5248).
 *
 * @example
 * ```ts
 * import { classSubCodes } from '@smtpkit/reply';
 * const permanent: ClassSubCodeRecord | undefined = classSubCodes.find((c) => c.class === 5);
 * ```
 */
export interface ClassSubCodeRecord {
  readonly class: EnhancedClass;
  /** e.g. "Permanent Failure". */
  readonly summary: string;
  readonly description: string;
  /** Registry reference, e.g. "[RFC3463] (Standards track)". */
  readonly reference: string;
}

/**
 * One subject sub-code of the registry (RFC 3463 §3.2).
 *
 * @example
 * ```ts
 * import { subjectSubCodes } from '@smtpkit/reply';
 * const addressing: SubjectSubCodeRecord | undefined = subjectSubCodes.find((s) => s.subject === 1);
 * ```
 */
export interface SubjectSubCodeRecord {
  readonly subject: number;
  /** Identifier used in `Subject`, e.g. "Addressing". */
  readonly name: string;
  /** e.g. "Addressing Status". */
  readonly summary: string;
  readonly description: string;
  readonly reference: string;
}

/**
 * One enumerated status code `X.subject.detail` of the registry.
 *
 * @example
 * ```ts
 * import { enumeratedStatusCodes } from '@smtpkit/reply';
 * const full: EnumeratedStatusRecord | undefined = enumeratedStatusCodes.find((s) => s.name === 'MailboxFull');
 * ```
 */
export interface EnumeratedStatusRecord {
  readonly subject: number;
  readonly detail: number;
  /** Identifier used in `Status`, e.g. "BadDestinationMailboxAddress". */
  readonly name: string;
  /** The registry's sample text, e.g. "Bad destination mailbox address" (empty for X.6.10). */
  readonly sampleText: string;
  /** Basic reply codes the registry associates with the code; empty when it gives none. */
  readonly basicCodes: readonly number[];
  /** The registry's "Associated basic status code" column verbatim, e.g. "Any", "Not given", "5XX". */
  readonly basicCodesText: string;
  readonly description: string;
  readonly reference: string;
  /** Whether the registry marks the code deprecated (X.6.10). */
  readonly deprecated: boolean;
}
