/**
 * Stable codes of {@link DsnError}. `ERR_DSN_MISUSE_*` codes mean the caller misused the API (a
 * notice that must not be sent, a value that cannot stand in a DSN field, a bad option); every
 * other code means the bytes given to `parseDsn` are not a delivery status notification.
 *
 * Misuse: `ERR_DSN_MISUSE_NULL_SENDER` (a DSN for a message whose sender was `<>`),
 * `ERR_DSN_MISUSE_NO_RECIPIENTS`, `ERR_DSN_MISUSE_STATUS` (a status code that is not RFC 3463 or
 * does not go with the action), `ERR_DSN_MISUSE_FIELD` (CR, LF or NUL in a value, or a value the
 * field's syntax cannot hold), `ERR_DSN_MISUSE_OPTION`.
 *
 * Parse faults: `ERR_DSN_NOT_A_REPORT` (no multipart/report with a delivery-status part),
 * `ERR_DSN_SYNTAX` (a delivery-status part that does not follow RFC 3464 §2.1), `ERR_DSN_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const code: DsnErrorCode = 'ERR_DSN_NOT_A_REPORT';
 * ```
 */
export type DsnErrorCode =
  | 'ERR_DSN_MISUSE_NULL_SENDER'
  | 'ERR_DSN_MISUSE_NO_RECIPIENTS'
  | 'ERR_DSN_MISUSE_STATUS'
  | 'ERR_DSN_MISUSE_FIELD'
  | 'ERR_DSN_MISUSE_OPTION'
  | 'ERR_DSN_NOT_A_REPORT'
  | 'ERR_DSN_SYNTAX'
  | 'ERR_DSN_TOO_LARGE';

/**
 * The brand of {@link DsnError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isDsnError} recognises an error made by any of them, where `instanceof` does not.
 */
const dsnErrorBrand = Symbol.for('@smtpkit/dsn.DsnError');

/**
 * The one error class of @smtpkit/dsn. The builders throw it with an `ERR_DSN_MISUSE_*` code when
 * asked for a notice that must not exist or cannot be written; `parseDsn` throws it with a parse
 * code for bytes that are not a DSN. `misuse` is read from the code.
 *
 * @example
 * ```ts
 * import { isDsnError, parseDsn } from '@smtpkit/dsn';
 * try {
 *   parseDsn(new TextEncoder().encode('not a report'));
 * } catch (e) {
 *   if (isDsnError(e)) console.log(e.code, e.misuse); // ERR_DSN_NOT_A_REPORT false
 * }
 * ```
 */
export class DsnError extends Error {
  static {
    Object.defineProperty(DsnError.prototype, dsnErrorBrand, { value: true });
  }

  override readonly name = 'DsnError';
  readonly code: DsnErrorCode;
  constructor(code: DsnErrorCode, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** True when the program misused the API; false when the parsed bytes are at fault. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_DSN_MISUSE_');
  }
}

/**
 * Whether `value` is a {@link DsnError} made by any copy of `@smtpkit/dsn` (its ESM or CommonJS
 * build, another installed version): a brand check, where `instanceof` knows one class only.
 *
 * @example
 * ```ts
 * import { isDsnError } from '@smtpkit/dsn';
 * try { buildDsn(options); } catch (e) { if (isDsnError(e) && e.misuse) throw e; }
 * ```
 */
export function isDsnError(value: unknown): value is DsnError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[dsnErrorBrand] === true
  );
}
