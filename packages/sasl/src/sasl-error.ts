/**
 * Stable codes of {@link SaslError}. `ERR_SASL_MISUSE_*` codes mean the caller misused the API (a
 * mechanism driven out of order, an invalid option); every other code means the peer misbehaved:
 * the `ERR_SASL_SERVER_*` codes are a server seen by a client mechanism.
 *
 * Misuse: `ERR_SASL_MISUSE_STATE`, `ERR_SASL_MISUSE_OPTION`.
 *
 * @example
 * ```ts
 * const code: SaslErrorCode = 'ERR_SASL_SERVER_SIGNATURE';
 * ```
 */
export type SaslErrorCode =
  | 'ERR_SASL_MISUSE_STATE'
  | 'ERR_SASL_MISUSE_OPTION'
  | 'ERR_SASL_SERVER_CHALLENGE'
  | 'ERR_SASL_SERVER_SIGNATURE'
  | 'ERR_SASL_SERVER_ERROR';

/**
 * The brand of {@link SaslError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isSaslError} recognises an error made by any of them, where `instanceof` does not.
 */
const saslErrorBrand = Symbol.for('@smtpkit/sasl.SaslError');

/**
 * The one error class of @smtpkit/sasl. Server-side mechanisms never throw for what a client
 * sends (they return a `failed` step); they throw only when driven out of order. Client-side
 * mechanisms throw with a `ERR_SASL_SERVER_*` code when the server misbehaves. `misuse` is read
 * from the code.
 *
 * @example
 * ```ts
 * try { mechanism.next('x'); } catch (e) { if (isSaslError(e) && e.misuse) throw e; }
 * ```
 */
export class SaslError extends Error {
  static {
    Object.defineProperty(SaslError.prototype, saslErrorBrand, { value: true });
  }

  override readonly name = 'SaslError';
  readonly code: SaslErrorCode;
  constructor(code: SaslErrorCode, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** True when the program misused the API; false when the peer misbehaved. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_SASL_MISUSE_');
  }
}

/**
 * Whether `value` is a {@link SaslError} made by any copy of `@smtpkit/sasl` (its ESM or CommonJS
 * build, another installed version): a brand check, where `instanceof` knows one class only.
 *
 * @example
 * ```ts
 * import { isSaslError } from '@smtpkit/sasl';
 * try { mechanism.next('x'); } catch (e) { if (isSaslError(e) && e.misuse) throw e; }
 * ```
 */
export function isSaslError(value: unknown): value is SaslError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[saslErrorBrand] === true
  );
}
