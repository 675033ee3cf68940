import { formatEnhancedStatus, type Reply, replies } from '@smtpkit/reply';

/**
 * Stable codes of {@link DowngradeError}. `ERR_MIME_DOWNGRADE_MISUSE_*` means the caller misused
 * the API; every other code is a message that cannot be made 7-bit without breaking it, and the
 * error carries the `reply` an MTA bounces it with (RFC 3463 X.6.3, X.6.7 or X.6.9).
 *
 * - `ERR_MIME_DOWNGRADE_SIGNED`: an 8-bit part inside `multipart/signed` (RFC 1847 §2.1: the
 *   signed bytes may not change), 5.6.3.
 * - `ERR_MIME_DOWNGRADE_UNCONVERTIBLE`: a part that no encoding may carry 7-bit (8-bit
 *   `message/partial`, `message/external-body`, a multipart with no boundary), 8-bit found in a
 *   part past the point where its encoding was chosen, or a line that cannot be shortened, 5.6.3.
 * - `ERR_MIME_DOWNGRADE_UTF8_ADDRESS`: raw UTF-8 in an address (RFC 6532), 5.6.7.
 * - `ERR_MIME_DOWNGRADE_UTF8_HEADER`: raw 8-bit in a header field that may carry no RFC 2047
 *   encoded-word (Message-ID, Received, Date, …), 5.6.9.
 * - `ERR_MIME_DOWNGRADE_MISUSE_OPTION`: an invalid option.
 *
 * @example
 * ```ts
 * const code: DowngradeErrorCode = 'ERR_MIME_DOWNGRADE_SIGNED';
 * ```
 */
export type DowngradeErrorCode =
  | 'ERR_MIME_DOWNGRADE_SIGNED'
  | 'ERR_MIME_DOWNGRADE_UNCONVERTIBLE'
  | 'ERR_MIME_DOWNGRADE_UTF8_ADDRESS'
  | 'ERR_MIME_DOWNGRADE_UTF8_HEADER'
  | 'ERR_MIME_DOWNGRADE_MISUSE_OPTION';

/** The bounce reply of each refusal (RFC 6152 §3: bounce what cannot be converted). */
const REPLIES: Partial<Record<DowngradeErrorCode, Reply>> = {
  ERR_MIME_DOWNGRADE_SIGNED: replies.R554_5_6_3_ConversionNotSupported,
  ERR_MIME_DOWNGRADE_UNCONVERTIBLE: replies.R554_5_6_3_ConversionNotSupported,
  ERR_MIME_DOWNGRADE_UTF8_ADDRESS: replies.R550_5_6_7_Utf8AddressNotPermitted,
  ERR_MIME_DOWNGRADE_UTF8_HEADER: replies.R550_5_6_9_Utf8HeaderNotTransferable,
};

/**
 * The brand of {@link DowngradeError} on its prototype. `Symbol.for` gives every copy of this
 * package the same symbol, so {@link isDowngradeError} recognises an error made by any of them.
 */
const downgradeErrorBrand = Symbol.for('@smtpkit/mime-downgrade.DowngradeError');

/**
 * The one error class of @smtpkit/mime-downgrade. A refusal carries the `reply` to bounce the
 * message with and its `enhancedStatus` (`'5.6.3'`, `'5.6.7'` or `'5.6.9'`) for the DSN; a misuse
 * carries neither. `misuse` is read from the code.
 *
 * @example
 * ```ts
 * try {
 *   for await (const chunk of downgradeTo7bit(message)) out.push(chunk);
 * } catch (e) {
 *   if (isDowngradeError(e) && e.reply) bounce(e.reply); // 554 5.6.3 and the like
 *   else throw e;
 * }
 * ```
 */
export class DowngradeError extends Error {
  static {
    Object.defineProperty(DowngradeError.prototype, downgradeErrorBrand, { value: true });
  }

  override readonly name = 'DowngradeError';
  readonly code: DowngradeErrorCode;
  /** The reply to bounce with (undefined for misuse). */
  readonly reply: Reply | undefined;
  constructor(
    code: DowngradeErrorCode,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reply = REPLIES[code];
  }

  /** True when the program misused the API; false when the message cannot be downgraded. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_MIME_DOWNGRADE_MISUSE_');
  }

  /** The RFC 3463 status for the DSN (`'5.6.3'`, …), or undefined for misuse. */
  get enhancedStatus(): string | undefined {
    const enhanced = this.reply?.enhanced;
    return enhanced === undefined ? undefined : formatEnhancedStatus(enhanced);
  }
}

/**
 * Whether `value` is a {@link DowngradeError} made by any copy of `@smtpkit/mime-downgrade` (its
 * ESM or CommonJS build, another installed version): a brand check, where `instanceof` knows one
 * class only.
 *
 * @example
 * ```ts
 * if (isDowngradeError(e) && !e.misuse) console.log(e.enhancedStatus); // '5.6.3'
 * ```
 */
export function isDowngradeError(value: unknown): value is DowngradeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[downgradeErrorBrand] === true
  );
}
