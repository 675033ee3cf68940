import { ReplyError } from './reply-error.js';

/**
 * The four kinds of reply told apart by the first digit (RFC 5321 §4.2.1):
 * 2yz Positive Completion, 3yz Positive Intermediate, 4yz Transient Negative Completion,
 * 5yz Permanent Negative Completion.
 *
 * @example
 * ```ts
 * const kind: ReplyClass = replyClass(354); // 'intermediate'
 * ```
 */
export type ReplyClass = 'positive' | 'intermediate' | 'transient' | 'permanent';

const CLASSES: readonly (ReplyClass | undefined)[] = [
  undefined,
  undefined,
  'positive',
  'intermediate',
  'transient',
  'permanent',
];

/**
 * The class of a basic reply code by its first digit (RFC 5321 §4.2.1). Throws `ReplyError`
 * (`ERR_REPLY_MISUSE_CODE`) for a number that is not a reply code in 200..599.
 *
 * @example
 * ```ts
 * import { replyClass } from '@smtpkit/reply';
 * replyClass(250); // 'positive'
 * replyClass(452); // 'transient'
 * ```
 */
export function replyClass(code: number): ReplyClass {
  const kind =
    Number.isInteger(code) && code >= 200 && code <= 599
      ? CLASSES[Math.floor(code / 100)]
      : undefined;
  if (kind === undefined)
    throw new ReplyError('ERR_REPLY_MISUSE_CODE', `not a reply code: ${String(code)}`);
  return kind;
}

/**
 * Anything that carries a basic reply code: a `Reply`, or a bare code.
 *
 * @example
 * ```ts
 * isTransient(451); // a bare code
 * isTransient(replies.R451_4_3_0_LocalError); // or a Reply
 * ```
 */
export type HasCode = number | { readonly code: number };

function codeOf(x: HasCode): number {
  return typeof x === 'number' ? x : x.code;
}

/**
 * 2yz: the requested action has been successfully completed (RFC 5321 §4.2.1).
 *
 * @example
 * ```ts
 * isPositive(replies.R250_2_0_0_Ok); // true
 * ```
 */
export function isPositive(reply: HasCode): boolean {
  const c = codeOf(reply);
  return c >= 200 && c <= 299;
}

/**
 * 3yz: the command has been accepted, but the action waits for more information
 * (RFC 5321 §4.2.1), e.g. 354 after DATA or 334 during AUTH.
 *
 * @example
 * ```ts
 * isIntermediate(354); // true
 * ```
 */
export function isIntermediate(reply: HasCode): boolean {
  const c = codeOf(reply);
  return c >= 300 && c <= 399;
}

/**
 * 4yz: the command was not accepted, but the error condition is temporary and the action may be
 * requested again (RFC 5321 §4.2.1).
 *
 * @example
 * ```ts
 * isTransient(replies.R452_4_5_3_TooManyRecipients); // true
 * ```
 */
export function isTransient(reply: HasCode): boolean {
  const c = codeOf(reply);
  return c >= 400 && c <= 499;
}

/**
 * 5yz: the command was not accepted and the requested action did not occur; the client SHOULD
 * NOT repeat the exact request (RFC 5321 §4.2.1).
 *
 * @example
 * ```ts
 * isPermanent(replies.R550_5_1_1_NoSuchUser); // true
 * ```
 */
export function isPermanent(reply: HasCode): boolean {
  const c = codeOf(reply);
  return c >= 500 && c <= 599;
}

/**
 * 4yz or 5yz: the command failed.
 *
 * @example
 * ```ts
 * isNegative(421); // true
 * ```
 */
export function isNegative(reply: HasCode): boolean {
  const c = codeOf(reply);
  return c >= 400 && c <= 599;
}
