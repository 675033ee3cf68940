import {
  type EnhancedStatus,
  formatEnhancedStatus,
  isEnhancedStatus,
  parseEnhancedStatus,
} from './enhanced-status.js';
import { ReplyError } from './reply-error.js';

/**
 * An SMTP reply as a value. `lines` are the text lines WITHOUT the code and WITHOUT the enhanced
 * status prefix; the wire writer adds both (see `formatReplyLines`). Build one with `createReply`
 * or take one from `replies`; values are frozen.
 *
 * @example
 * ```ts
 * import { createReply, C550MailboxUnavailable, type Reply } from '@smtpkit/reply';
 * const r: Reply = createReply(C550MailboxUnavailable, '5.1.1', 'No such user here');
 * ```
 */
export interface Reply {
  readonly code: number;
  readonly enhanced?: EnhancedStatus;
  readonly lines: readonly string[];
}

/**
 * RFC 5321 §4.5.3.1.5: "The maximum total length of a reply line including the reply code and
 * the <CRLF> is 512 octets."
 *
 * @example
 * ```ts
 * const textBudget = MAX_REPLY_LINE_OCTETS - '250 '.length - 2; // 506 octets without enhanced status
 * ```
 */
export const MAX_REPLY_LINE_OCTETS = 512;

/** Replies built by `createReply`, so that writers can skip checking them again. */
const checked = new WeakSet<Reply>();

/** Reply-code (3) + "-" or SP (1) + CRLF (2). */
const LINE_OVERHEAD = 6;

/**
 * Whether `code` is a reply code by the RFC 5321 §4.2 grammar:
 * `Reply-code = %x32-35 %x30-35 %x30-39`.
 */
function isReplyCode(code: unknown): code is number {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 200 || code > 559) {
    return false;
  }
  return Math.floor(code / 10) % 10 <= 5;
}

/**
 * Checks one text line and returns its UTF-8 length in octets.
 *
 * RFC 5321 §4.2: `textstring = 1*(%d09 / %d32-126) ; HT, SP, Printable US-ASCII`, widened by
 * RFC 6531 §3.3 to UTF-8 for SMTPUTF8 sessions. CR, LF and NUL are refused outright: any of them
 * lets the text end the reply line and forge another reply (reply-line injection). Other control
 * characters and lone surrogates are refused because they are outside `textstring` and cannot be
 * encoded faithfully.
 */
function textLineOctets(line: string, index: number): number {
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x0d || c === 0x0a || c === 0x00) {
      throw new ReplyError(
        'ERR_REPLY_MISUSE_LINE_INJECTION',
        `reply text line ${index} contains CR, LF or NUL at ${i}`,
      );
    }
    if (c < 0x80) {
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
        throw new ReplyError(
          'ERR_REPLY_MISUSE_TEXT_INVALID',
          `reply text line ${index} contains control character 0x${c.toString(16)} at ${i}`,
        );
      }
      octets += 1;
    } else if (c < 0x800) {
      octets += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = line.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        throw new ReplyError(
          'ERR_REPLY_MISUSE_TEXT_INVALID',
          `reply text line ${index} has a lone surrogate at ${i}`,
        );
      }
      octets += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new ReplyError(
        'ERR_REPLY_MISUSE_TEXT_INVALID',
        `reply text line ${index} has a lone surrogate at ${i}`,
      );
    } else {
      octets += 3;
    }
  }
  return octets;
}

function toEnhanced(enhanced: EnhancedStatus | string): EnhancedStatus {
  if (typeof enhanced === 'string') {
    const parsed = parseEnhancedStatus(enhanced);
    if (parsed === undefined) {
      throw new ReplyError(
        'ERR_REPLY_MISUSE_ENHANCED_SYNTAX',
        'enhanced status is not RFC 3463 class.subject.detail',
      );
    }
    return Object.freeze(parsed);
  }
  if (!isEnhancedStatus(enhanced)) {
    throw new ReplyError(
      'ERR_REPLY_MISUSE_ENHANCED_SYNTAX',
      'enhanced status is not RFC 3463 class.subject.detail',
    );
  }
  // Copy so that the frozen reply never shares a mutable object with the caller.
  return Object.freeze({
    class: enhanced.class,
    subject: enhanced.subject,
    detail: enhanced.detail,
  });
}

/**
 * Builds a reply value, refusing anything that must not reach the wire. Throws `ReplyError`:
 * - `ERR_REPLY_MISUSE_CODE`: `code` is not RFC 5321 `Reply-code = %x32-35 %x30-35 %x30-39`;
 * - `ERR_REPLY_MISUSE_ENHANCED_SYNTAX`: `enhanced` is not RFC 3463 `class "." subject "." detail`;
 * - `ERR_REPLY_MISUSE_CLASS_MISMATCH`: the enhanced class differs from the code's first digit, or a 3yz
 *   reply carries one (RFC 3463 defines classes 2, 4 and 5 only; RFC 2034 §4 pairs them with 2yz,
 *   4yz and 5yz replies);
 * - `ERR_REPLY_MISUSE_LINE_INJECTION`: a line holds CR, LF or NUL;
 * - `ERR_REPLY_MISUSE_TEXT_INVALID`: a line holds another control character or a lone surrogate;
 * - `ERR_REPLY_MISUSE_LINE_TOO_LONG`: a line, with code and enhanced prefix, exceeds 512 octets.
 *
 * @example
 * ```ts
 * import { createReply, C452InsufficientStorage } from '@smtpkit/reply';
 * createReply(C452InsufficientStorage, '4.5.3', 'Too many recipients');
 * // { code: 452, enhanced: { class: 4, subject: 5, detail: 3 }, lines: ['Too many recipients'] }
 * ```
 */
export function createReply(
  code: number,
  enhanced: EnhancedStatus | string | undefined,
  ...lines: string[]
): Reply {
  if (!isReplyCode(code)) {
    throw new ReplyError('ERR_REPLY_MISUSE_CODE', `not an RFC 5321 reply code: ${String(code)}`);
  }
  const status = enhanced === undefined ? undefined : toEnhanced(enhanced);
  let prefix = 0;
  if (status !== undefined) {
    if (status.class !== Math.floor(code / 100)) {
      throw new ReplyError(
        'ERR_REPLY_MISUSE_CLASS_MISMATCH',
        `enhanced status ${formatEnhancedStatus(status)} does not agree with reply code ${code}`,
      );
    }
    prefix = formatEnhancedStatus(status).length + 1;
  }
  const budget = MAX_REPLY_LINE_OCTETS - LINE_OVERHEAD - prefix;
  const copy: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (typeof line !== 'string') {
      throw new ReplyError('ERR_REPLY_MISUSE_TEXT_INVALID', `reply text line ${i} is not a string`);
    }
    if (textLineOctets(line, i) > budget) {
      throw new ReplyError(
        'ERR_REPLY_MISUSE_LINE_TOO_LONG',
        `reply text line ${i} makes the reply line longer than ${MAX_REPLY_LINE_OCTETS} octets`,
      );
    }
    copy.push(line);
  }
  const frozenLines = Object.freeze(copy);
  const reply: Reply = Object.freeze(
    status === undefined
      ? { code, lines: frozenLines }
      : { code, enhanced: status, lines: frozenLines },
  );
  checked.add(reply);
  return reply;
}

/**
 * `reply` itself when `createReply` built it, otherwise a checked copy: a hand-written object
 * literal that claims to be a `Reply` goes through every `createReply` check before any writer
 * turns it into wire text. Throws `ReplyError` like `createReply`.
 *
 * @example
 * ```ts
 * import { checkedReply } from '@smtpkit/reply';
 * checkedReply({ code: 250, lines: ['Ok'] }); // a frozen, checked copy
 * checkedReply({ code: 250, lines: ['Ok\r\n250 forged'] }); // throws ERR_REPLY_MISUSE_LINE_INJECTION
 * ```
 */
export function checkedReply(reply: Reply): Reply {
  if (checked.has(reply)) return reply;
  if (typeof reply !== 'object' || reply === null || !Array.isArray(reply.lines)) {
    throw new ReplyError('ERR_REPLY_MISUSE_TEXT_INVALID', 'not a reply value');
  }
  return createReply(reply.code, reply.enhanced, ...reply.lines);
}

/**
 * The same reply (code and enhanced status) with other text lines; validated like `createReply`.
 *
 * @example
 * ```ts
 * import { replies, withText } from '@smtpkit/reply';
 * withText(replies.R250_2_0_0_MessageAccepted, 'Ok: queued as 4F2A9');
 * ```
 */
export function withText(reply: Reply, ...lines: string[]): Reply {
  return createReply(reply.code, reply.enhanced, ...lines);
}

/**
 * Whether `value` is a valid reply value (what `createReply` would accept), e.g. to check a reply
 * that came back from user code.
 *
 * @example
 * ```ts
 * isReply({ code: 250, lines: ['Ok'] }); // true
 * isReply({ code: 250, lines: ['a\r\n250 forged'] }); // false
 * ```
 */
export function isReply(value: unknown): value is Reply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as {
    readonly code?: unknown;
    readonly enhanced?: unknown;
    readonly lines?: unknown;
  };
  const lines = v.lines;
  if (!Array.isArray(lines)) return false;
  if (v.enhanced !== undefined && !isEnhancedStatus(v.enhanced)) return false;
  try {
    createReply(v.code as number, v.enhanced as EnhancedStatus | undefined, ...(lines as string[]));
    return true;
  } catch (e) {
    if (e instanceof ReplyError) return false;
    throw e;
  }
}
