import { ReplyError } from './reply-error.js';

/**
 * RFC 3463 §2: `class = "2"/"4"/"5"`.
 *
 * @example
 * ```ts
 * const permanent: EnhancedClass = 5;
 * ```
 */
export type EnhancedClass = 2 | 4 | 5;

/**
 * An enhanced mail system status code (RFC 3463 §2, RFC 2034):
 * `status-code = class "." subject "." detail`.
 *
 * @example
 * ```ts
 * import type { EnhancedStatus } from '@smtpkit/reply';
 * const noSuchUser: EnhancedStatus = { class: 5, subject: 1, detail: 1 }; // 5.1.1
 * ```
 */
export interface EnhancedStatus {
  readonly class: EnhancedClass;
  readonly subject: number;
  readonly detail: number;
}

/** Largest value of a 1*3digit sub-code. */
const MAX_SUB_CODE = 999;

/**
 * Whether `value` is a valid enhanced status value: class 2, 4 or 5 and subject and detail
 * integers in 0..999 (RFC 3463 §2: `subject = 1*3digit`, `detail = 1*3digit`).
 *
 * @example
 * ```ts
 * isEnhancedStatus({ class: 5, subject: 1, detail: 1 }); // true
 * isEnhancedStatus({ class: 3, subject: 0, detail: 0 }); // false
 * ```
 */
export function isEnhancedStatus(value: unknown): value is EnhancedStatus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as {
    readonly class?: unknown;
    readonly subject?: unknown;
    readonly detail?: unknown;
  };
  const c = v.class;
  return (c === 2 || c === 4 || c === 5) && isSubCode(v.subject) && isSubCode(v.detail);
}

function isSubCode(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_SUB_CODE;
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;

/**
 * Parses `1*3digit` at `start` with no leading zero, returning the value and the end index, or
 * undefined. RFC 3463 §2: "Each numeric sub-code within the status-code MUST be expressed
 * without leading zero digits."
 */
function subCode(text: string, start: number): { value: number; end: number } | undefined {
  let i = start;
  let value = 0;
  while (i < text.length && i - start < 3) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) break;
    value = value * 10 + (c - DIGIT_0);
    i++;
  }
  const length = i - start;
  if (length === 0) return undefined;
  if (length > 1 && text.charCodeAt(start) === DIGIT_0) return undefined;
  return { value, end: i };
}

/**
 * Parses an enhanced status code with the strict RFC 3463 §2 syntax; returns undefined for
 * anything else (no spaces, no leading zeros, nothing trailing).
 *
 * ```
 * status-code = class "." subject "." detail
 * class       = "2"/"4"/"5"
 * subject     = 1*3digit
 * detail      = 1*3digit
 * ```
 *
 * @example
 * ```ts
 * import { parseEnhancedStatus } from '@smtpkit/reply';
 * parseEnhancedStatus('5.1.1'); // { class: 5, subject: 1, detail: 1 }
 * parseEnhancedStatus('5.01.1'); // undefined (leading zero)
 * ```
 */
export function parseEnhancedStatus(text: string): EnhancedStatus | undefined {
  const status = scanEnhancedStatus(text, 0);
  if (status === undefined || status.end !== text.length) return undefined;
  return status.value;
}

/**
 * Scans an RFC 3463 status-code at `start` of `text` and returns it with the index just past it,
 * or undefined when none starts there. Meant for reply parsers that read the enhanced code in
 * front of the reply text (RFC 2034 §4: `status-code SP text`); the caller checks what follows.
 *
 * @example
 * ```ts
 * import { scanEnhancedStatus } from '@smtpkit/reply';
 * scanEnhancedStatus('250 2.1.5 Ok', 4); // { value: { class: 2, subject: 1, detail: 5 }, end: 9 }
 * ```
 */
export function scanEnhancedStatus(
  text: string,
  start = 0,
): { value: EnhancedStatus; end: number } | undefined {
  const c = text.charCodeAt(start);
  // class = "2"/"4"/"5"
  if (c !== 0x32 && c !== 0x34 && c !== 0x35) return undefined;
  if (text.charCodeAt(start + 1) !== DOT) return undefined;
  const subject = subCode(text, start + 2);
  if (subject === undefined || text.charCodeAt(subject.end) !== DOT) return undefined;
  const detail = subCode(text, subject.end + 1);
  if (detail === undefined) return undefined;
  // A fourth digit would make the detail longer than 1*3digit: not a status-code.
  const next = text.charCodeAt(detail.end);
  if (next >= DIGIT_0 && next <= DIGIT_9) return undefined;
  return {
    value: { class: (c - DIGIT_0) as EnhancedClass, subject: subject.value, detail: detail.value },
    end: detail.end,
  };
}

/**
 * Formats an enhanced status as RFC 3463 text, e.g. `"5.1.1"`. Throws `ReplyError`
 * (`ERR_REPLY_MISUSE_ENHANCED_SYNTAX`) for a value that is not a valid status.
 *
 * @example
 * ```ts
 * import { formatEnhancedStatus } from '@smtpkit/reply';
 * formatEnhancedStatus({ class: 4, subject: 7, detail: 0 }); // '4.7.0'
 * ```
 */
export function formatEnhancedStatus(status: EnhancedStatus): string {
  if (!isEnhancedStatus(status)) {
    throw new ReplyError(
      'ERR_REPLY_MISUSE_ENHANCED_SYNTAX',
      'not an RFC 3463 enhanced status value',
    );
  }
  return `${status.class}.${status.subject}.${status.detail}`;
}

/**
 * Whether two enhanced statuses are the same code.
 *
 * @example
 * ```ts
 * enhancedStatusEquals({ class: 5, subject: 1, detail: 1 }, parseEnhancedStatus('5.1.1')!); // true
 * ```
 */
export function enhancedStatusEquals(a: EnhancedStatus, b: EnhancedStatus): boolean {
  return a.class === b.class && a.subject === b.subject && a.detail === b.detail;
}
