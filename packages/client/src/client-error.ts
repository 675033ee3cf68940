import { formatEnhancedStatus, type Reply } from '@smtpkit/reply';

/**
 * Stable codes of {@link ClientError}. `ERR_CLIENT_MISUSE_*` codes mean the application misused
 * the API (an operation in the wrong state, a value that would break the protocol); every other
 * code is about the server or the connection:
 *
 * - `ERR_CLIENT_REPLY`: the server refused a command (the error carries the reply);
 * - `ERR_CLIENT_PROTOCOL`: the server broke the protocol (an unreadable or unexpected reply);
 * - `ERR_CLIENT_EXTENSION`: the server lacks what the message needs (SMTPUTF8, SIZE, REQUIRETLS…);
 * - `ERR_CLIENT_TLS_REQUIRED`: TLS was required (STARTTLS required, or AUTH without the option to
 *   send credentials in clear) and the server does not offer STARTTLS or refused it;
 * - `ERR_CLIENT_TLS`: the TLS handshake failed (a certificate not verified, no common protocol);
 * - `ERR_CLIENT_CONNECT`: no connection could be made (refused, unreachable, name not resolved);
 * - `ERR_CLIENT_TIMEOUT`: a wait of RFC 5321 §4.5.3.2 (or the connect or TLS handshake) ran out;
 *   the message names the phase and the connection is cut;
 * - `ERR_CLIENT_CLOSED`: the connection ended before the operation did;
 * - `ERR_CLIENT_NO_ROUTE`: DNS says mail for the domain cannot be delivered (null MX, NXDOMAIN,
 *   no host with an address); permanent;
 * - `ERR_CLIENT_DNS`: a DNS lookup for MX routing failed for now (SERVFAIL, refused, timed out);
 * - `ERR_CLIENT_MX_FAILED`: no MX target accepted (each failed to connect or greeted 4xx: not
 *   permanent; or one failed permanently).
 * - `ERR_CLIENT_POOL_FULL`: a pool's queue of messages waiting for a connection is full; nothing
 *   was sent (try again once some of the messages in flight are done).
 *
 * The routing codes carry a ready `reply` of `@smtpkit/reply` that describes the failure for a
 * delivery status notification (for instance 556 5.1.10 for a null MX), not a reply a server sent.
 *
 * @example
 * ```ts
 * const code: ClientErrorCode = 'ERR_CLIENT_REPLY';
 * ```
 */
export type ClientErrorCode =
  | 'ERR_CLIENT_MISUSE_STATE'
  | 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT'
  | 'ERR_CLIENT_REPLY'
  | 'ERR_CLIENT_PROTOCOL'
  | 'ERR_CLIENT_EXTENSION'
  | 'ERR_CLIENT_TLS_REQUIRED'
  | 'ERR_CLIENT_TLS'
  | 'ERR_CLIENT_CONNECT'
  | 'ERR_CLIENT_TIMEOUT'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_CLIENT_NO_ROUTE'
  | 'ERR_CLIENT_DNS'
  | 'ERR_CLIENT_MX_FAILED'
  | 'ERR_CLIENT_POOL_FULL';

/** Options of {@link ClientError}. */
export interface ClientErrorOptions {
  /** The command line that was answered (AUTH secrets never appear: only the verb is kept). */
  readonly command?: string;
  /** The server's reply, when a reply is what failed (for the MX routing codes: a ready one). */
  readonly reply?: Reply;
  /** Whether trying again cannot help (a 5xx, a missing extension); default: from the reply. */
  readonly permanent?: boolean;
  readonly cause?: unknown;
}

/**
 * The brand of {@link ClientError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isClientError} recognises an error made by any of them, where `instanceof` does not.
 */
const clientErrorBrand = Symbol.for('@smtpkit/client.ClientError');

/**
 * The one error class of @smtpkit/client. It carries what a caller needs to decide and to log:
 * the command, the reply's code, enhanced code and every line, and whether the failure is
 * permanent (RFC 5321 §4.2.1: 5yz permanent, 4yz transient).
 *
 * @example
 * ```ts
 * import { isClientError } from '@smtpkit/client';
 * try { await send(); } catch (e) {
 *   if (isClientError(e) && e.code === 'ERR_CLIENT_REPLY') console.log(e.command, e.reply?.code, e.permanent);
 * }
 * ```
 */
export class ClientError extends Error {
  static {
    Object.defineProperty(ClientError.prototype, clientErrorBrand, { value: true });
  }

  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;
  readonly command: string | undefined;
  readonly reply: Reply | undefined;
  readonly permanent: boolean;

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.command = options.command;
    this.reply = options.reply;
    this.permanent =
      options.permanent ?? (options.reply !== undefined ? options.reply.code >= 500 : false);
  }

  /** True when the program misused the API; false when the server or the connection failed. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_CLIENT_MISUSE_');
  }

  /** The reply's basic code, if a reply failed. */
  get replyCode(): number | undefined {
    return this.reply?.code;
  }

  /** The reply's enhanced status code as text (`5.1.1`), if it had one. */
  get enhancedCode(): string | undefined {
    const e = this.reply?.enhanced;
    return e === undefined ? undefined : formatEnhancedStatus(e);
  }
}

/**
 * Whether `value` is a {@link ClientError} made by any copy of `@smtpkit/client` (its ESM or
 * CommonJS build, another installed version): a brand check, where `instanceof` knows one class
 * only.
 *
 * @example
 * ```ts
 * import { isClientError } from '@smtpkit/client';
 * try { await send(); } catch (e) { if (isClientError(e) && e.permanent) console.log(e.reply?.code); }
 * ```
 */
export function isClientError(value: unknown): value is ClientError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[clientErrorBrand] === true
  );
}
