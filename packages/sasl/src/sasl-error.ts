/**
 * Stable codes of {@link SaslError}. `ERR_SASL_STATE` and `ERR_SASL_OPTION` are API misuse (a bug
 * in the caller); the `ERR_SASL_SERVER_*` codes are a misbehaving server seen by a client
 * mechanism.
 */
export type SaslErrorCode =
  | 'ERR_SASL_STATE'
  | 'ERR_SASL_OPTION'
  | 'ERR_SASL_SERVER_CHALLENGE'
  | 'ERR_SASL_SERVER_SIGNATURE'
  | 'ERR_SASL_SERVER_ERROR';

/**
 * Error thrown by the SASL mechanisms. Server-side mechanisms never throw for what a client sends
 * (they return a `failed` step); they throw only when called out of order. Client-side mechanisms
 * throw with a `ERR_SASL_SERVER_*` code when the server misbehaves.
 *
 * @example
 * ```ts
 * try { mechanism.next('x'); } catch (e) { if (e instanceof SaslError) e.code; }
 * ```
 */
export class SaslError extends Error {
  override readonly name = 'SaslError';
  readonly code: SaslErrorCode;
  /** `misuse`: the calling program is wrong; `peer`: the other side sent something invalid. */
  readonly origin: 'misuse' | 'peer';
  constructor(code: SaslErrorCode, message: string) {
    super(message);
    this.code = code;
    this.origin = code === 'ERR_SASL_STATE' || code === 'ERR_SASL_OPTION' ? 'misuse' : 'peer';
  }
}
