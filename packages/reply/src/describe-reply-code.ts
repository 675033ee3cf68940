import { basicReplyCodes } from './basic-reply-codes.js';
import { type ReplyClass, replyClass } from './reply-class.js';

/**
 * RFC 5321 §4.2.1, second digit: x0z Syntax, x1z Information, x2z Connections, x3z and x4z
 * Unspecified, x5z Mail system.
 *
 * @example
 * ```ts
 * describeReplyCode(421).category; // 'connections'
 * ```
 */
export type ReplyCategory =
  | 'syntax'
  | 'information'
  | 'connections'
  | 'unspecified'
  | 'mail system';

const CATEGORIES: readonly ReplyCategory[] = [
  'syntax',
  'information',
  'connections',
  'unspecified',
  'unspecified',
  'mail system',
];

/**
 * What RFC 5321 §4.2.1 and the defining RFC say about a basic reply code.
 *
 * @example
 * ```ts
 * const d: ReplyCodeDescription = describeReplyCode(554);
 * d.text; // 'Transaction failed'
 * ```
 */
export interface ReplyCodeDescription {
  readonly code: number;
  readonly class: ReplyClass;
  /** Second-digit category; undefined for a second digit above 5, which RFC 5321 does not define. */
  readonly category: ReplyCategory | undefined;
  /** The defining RFC's text when the code is a known one, e.g. "Bad sequence of commands". */
  readonly text: string | undefined;
  /** The defining RFC and section, e.g. "RFC 5321 §4.2.3". */
  readonly reference: string | undefined;
}

/**
 * Describes a basic reply code by its digits (RFC 5321 §4.2.1) and, for known codes, the text of
 * the RFC that defines it. Throws `ReplyError` (`ERR_REPLY_MISUSE_CODE`) outside 200..599.
 *
 * @example
 * ```ts
 * import { describeReplyCode } from '@smtpkit/reply';
 * describeReplyCode(503);
 * // { code: 503, class: 'permanent', category: 'syntax', text: 'Bad sequence of commands', reference: 'RFC 5321 §4.2.3' }
 * ```
 */
export function describeReplyCode(code: number): ReplyCodeDescription {
  const cls = replyClass(code);
  const known = basicReplyCodes.find((c) => c.code === code);
  return {
    code,
    class: cls,
    category: CATEGORIES[Math.floor(code / 10) % 10],
    text: known?.text,
    reference: known?.reference,
  };
}
