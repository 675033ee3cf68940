import type { Reply } from '@smtpkit/reply';

/**
 * Stable codes of {@link WireError}. `ERR_WIRE_MISUSE_*` codes mean the caller misused the API
 * (a client tried to send a value that would break the protocol); every other code means the peer
 * sent something the protocol does not allow.
 *
 * Misuse: `ERR_WIRE_MISUSE_INJECTION`, `ERR_WIRE_MISUSE_INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * if (isWireError(error) && error.code === 'ERR_WIRE_LINE_TOO_LONG') {} // …
 * ```
 */
export type WireErrorCode =
  // peer misbehaviour, command side (a server answers with `reply`)
  | 'ERR_WIRE_LINE_TOO_LONG'
  | 'ERR_WIRE_BARE_LF'
  | 'ERR_WIRE_BARE_CR'
  | 'ERR_WIRE_INVALID_UTF8'
  | 'ERR_WIRE_COMMAND_SYNTAX'
  | 'ERR_WIRE_PARAMETER_SYNTAX'
  | 'ERR_WIRE_PARAMETER_DUPLICATE'
  | 'ERR_WIRE_ADDRESS'
  // peer misbehaviour, reply side (a client gives up on the connection)
  | 'ERR_WIRE_REPLY_SYNTAX'
  | 'ERR_WIRE_REPLY_CODE_MISMATCH'
  | 'ERR_WIRE_REPLY_LINE_TOO_LONG'
  | 'ERR_WIRE_REPLY_TOO_MANY_LINES'
  | 'ERR_WIRE_EHLO_REPLY'
  // API misuse
  | 'ERR_WIRE_MISUSE_INJECTION'
  | 'ERR_WIRE_MISUSE_INVALID_ARGUMENT';

/**
 * Options of {@link WireError}.
 *
 * @example
 * ```ts
 * new WireError('ERR_WIRE_COMMAND_SYNTAX', 'bad line', { reply: wireReplies.R500_5_5_2_SyntaxError });
 * ```
 */
export interface WireErrorOptions {
  /** The reply a server sends back for this peer error. */
  readonly reply?: Reply;
  /** The underlying error (for example an `AddressError`). */
  readonly cause?: unknown;
}

/**
 * The brand of {@link WireError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isWireError} recognises an error made by any of them, where `instanceof` does not.
 */
const wireErrorBrand = Symbol.for('@smtpkit/wire.WireError');

/**
 * The one error class of `@smtpkit/wire`. `code` is stable; `reply` is set for peer errors a server
 * answers (`500 5.5.2`, `501 5.5.4`, …); `misuse` tells API misuse apart from peer misbehaviour.
 *
 * @example
 * ```ts
 * import { isWireError, parseCommand } from '@smtpkit/wire';
 * try {
 *   parseCommand('MAIL FROM:<a@example.com> SIZE=1 SIZE=2');
 * } catch (error) {
 *   if (isWireError(error)) console.log(error.code, error.reply?.code); // ERR_WIRE_PARAMETER_DUPLICATE 501
 * }
 * ```
 */
export class WireError extends Error {
  static {
    Object.defineProperty(WireError.prototype, wireErrorBrand, { value: true });
  }

  readonly code: WireErrorCode;
  readonly reply: Reply | undefined;

  constructor(code: WireErrorCode, message: string, options: WireErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WireError';
    this.code = code;
    this.reply = options.reply;
  }

  /** True when the caller misused the API, false when the peer misbehaved. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_WIRE_MISUSE_');
  }
}

/**
 * Whether `value` is a {@link WireError} made by any copy of `@smtpkit/wire` (its ESM or CommonJS
 * build, another installed version): a brand check, where `instanceof` knows one class only.
 *
 * @example
 * ```ts
 * import { isWireError, parseCommand } from '@smtpkit/wire';
 * try { parseCommand('MAIL FROM:<a@example.com> SIZE=1 SIZE=2'); } catch (e) {
 *   if (isWireError(e)) console.log(e.code); // ERR_WIRE_PARAMETER_DUPLICATE
 * }
 * ```
 */
export function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[wireErrorBrand] === true
  );
}
