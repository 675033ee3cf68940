import type { Reply } from '@smtpkit/reply';

/**
 * Stable codes of {@link ServerError}. `ERR_SERVER_MISUSE_*` codes mean the application misused
 * the API (a method called in the wrong state, invalid options); every other code means the peer
 * sent something the protocol does not allow (a PROXY header or an XCLIENT command), and
 * `reply` is set when a reply answers it.
 *
 * Misuse: `ERR_SERVER_MISUSE_STATE`, `ERR_SERVER_MISUSE_OPTIONS`.
 * Peer faults: every `ERR_SERVER_PROXY_*` and `ERR_SERVER_XCLIENT_*` code.
 *
 * @example
 * ```ts
 * const code: ServerErrorCode = 'ERR_SERVER_MISUSE_STATE';
 * ```
 */
export type ServerErrorCode =
  // API misuse
  | 'ERR_SERVER_MISUSE_STATE'
  | 'ERR_SERVER_MISUSE_OPTIONS'
  // peer faults: the PROXY protocol (the connection is dropped)
  | 'ERR_SERVER_PROXY_NOT_ALLOWED'
  | 'ERR_SERVER_PROXY_SIGNATURE'
  | 'ERR_SERVER_PROXY_V1_SYNTAX'
  | 'ERR_SERVER_PROXY_V1_TOO_LONG'
  | 'ERR_SERVER_PROXY_V2_VERSION'
  | 'ERR_SERVER_PROXY_V2_COMMAND'
  | 'ERR_SERVER_PROXY_V2_FAMILY'
  | 'ERR_SERVER_PROXY_V2_TOO_LONG'
  | 'ERR_SERVER_PROXY_V2_ADDRESS'
  | 'ERR_SERVER_PROXY_V2_TLV'
  | 'ERR_SERVER_PROXY_V2_CRC32C'
  // peer faults: XCLIENT (the command is refused with `reply`)
  | 'ERR_SERVER_XCLIENT_SYNTAX'
  | 'ERR_SERVER_XCLIENT_NOT_ALLOWED';

/** Options of {@link ServerError}. */
export interface ServerErrorOptions {
  /** The reply that answers a peer fault. */
  readonly reply?: Reply;
  readonly cause?: unknown;
}

/**
 * The brand of {@link ServerError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isServerError} recognises an error made by any of them, where `instanceof` does not.
 */
const serverErrorBrand = Symbol.for('@smtpkit/server.ServerError');

/**
 * The one error class of @smtpkit/server. `code` is stable; `misuse` tells API misuse (the
 * program is wrong) apart from a peer fault (the other side sent something invalid). What an SMTP
 * client sends never throws out of a session: it is answered with a reply.
 *
 * @example
 * ```ts
 * import { isServerError, ServerSession } from '@smtpkit/server';
 * try { session.start(); session.start(); } catch (e) {
 *   if (isServerError(e) && e.misuse) console.log(e.code); // ERR_SERVER_MISUSE_STATE
 * }
 * ```
 */
export class ServerError extends Error {
  static {
    Object.defineProperty(ServerError.prototype, serverErrorBrand, { value: true });
  }

  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  /** The reply answering a peer fault (XCLIENT), when there is one. */
  readonly reply: Reply | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reply = options.reply;
  }

  /** True when the program misused the API; false when the peer misbehaved. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_SERVER_MISUSE_');
  }
}

/**
 * Whether `value` is a {@link ServerError} made by any copy of `@smtpkit/server` (its ESM or
 * CommonJS build, another installed version): a brand check, where `instanceof` knows one class
 * only.
 *
 * @example
 * ```ts
 * import { isServerError, ServerSession } from '@smtpkit/server';
 * try { session.start(); session.start(); } catch (e) {
 *   if (isServerError(e) && e.misuse) console.log(e.code); // ERR_SERVER_MISUSE_STATE
 * }
 * ```
 */
export function isServerError(value: unknown): value is ServerError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[serverErrorBrand] === true
  );
}
