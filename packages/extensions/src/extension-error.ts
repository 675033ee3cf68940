import type { Reply } from '@smtpkit/reply';

/**
 * Stable codes of {@link ExtensionError}. `ERR_EXTENSION_MISUSE_*` codes mean the caller misused
 * the API: a registry composed of extensions that cannot work together, a malformed keyword, an
 * extension option or client value that would break the protocol. They are thrown. Every other
 * code is a {@link ClientRefusal}: the server cannot take this envelope (it does not offer what
 * the message needs, or the message is over its SIZE). Refusals are returned, not thrown. What a
 * peer sends wrong is never an error here: the server side answers it with a reply value.
 *
 * Misuse: `ERR_EXTENSION_MISUSE_NAME_CONFLICT`, `…_KEYWORD_CONFLICT`, `…_PARAMETER_CONFLICT`,
 * `…_VERB_CONFLICT`, `…_VERB_RESERVED`, `…_KEYWORD_SYNTAX`, `…_PARAMETER_SYNTAX`, `…_VERB_SYNTAX`,
 * `…_REQUIREMENT_MISSING`, `…_OPTION`, `…_ADVERTISE_SYNTAX`, `…_UNKNOWN_PARAMETER`,
 * `…_UNSAFE_VALUE`. Refusals: `ERR_EXTENSION_SIZE_EXCEEDS_LIMIT`, `ERR_EXTENSION_*_NOT_OFFERED`,
 * `ERR_EXTENSION_REQUIRETLS_WITHOUT_TLS`. An extension package outside this one uses codes of the
 * same shape (`ERR_EXTENSION_MISUSE_OPTION` for a bad option, its own `ERR_EXTENSION_<KEYWORD>_*`
 * for a refusal).
 *
 * @example
 * ```ts
 * import { type ExtensionErrorCode } from '@smtpkit/extensions';
 * const code: ExtensionErrorCode = 'ERR_EXTENSION_MISUSE_KEYWORD_CONFLICT';
 * ```
 */
export type ExtensionErrorCode =
  // API misuse, composing a registry (`createRegistry`)
  /** Two extensions have the same name. */
  | 'ERR_EXTENSION_MISUSE_NAME_CONFLICT'
  /** Two extensions claim the same EHLO keyword. */
  | 'ERR_EXTENSION_MISUSE_KEYWORD_CONFLICT'
  /** Two extensions claim the same MAIL or RCPT parameter. */
  | 'ERR_EXTENSION_MISUSE_PARAMETER_CONFLICT'
  /** Two extensions claim the same verb. */
  | 'ERR_EXTENSION_MISUSE_VERB_CONFLICT'
  /** A verb named like a core command. */
  | 'ERR_EXTENSION_MISUSE_VERB_RESERVED'
  /** An EHLO keyword outside RFC 5321 `ehlo-keyword`. */
  | 'ERR_EXTENSION_MISUSE_KEYWORD_SYNTAX'
  /** A parameter keyword outside RFC 5321 `esmtp-keyword`. */
  | 'ERR_EXTENSION_MISUSE_PARAMETER_SYNTAX'
  /** A verb that is not a command verb. */
  | 'ERR_EXTENSION_MISUSE_VERB_SYNTAX'
  /** An extension `requires` one that is not in the list. */
  | 'ERR_EXTENSION_MISUSE_REQUIREMENT_MISSING'
  // API misuse, using extensions
  /** A built-in extension's factory was given an invalid option. */
  | 'ERR_EXTENSION_MISUSE_OPTION'
  /** An extension advertised a line outside RFC 5321 `ehlo-param` (CR, LF, …). */
  | 'ERR_EXTENSION_MISUSE_ADVERTISE_SYNTAX'
  /** A client value names a parameter no registered extension owns. */
  | 'ERR_EXTENSION_MISUSE_UNKNOWN_PARAMETER'
  /** A client value would format to something that is not an RFC 5321 `esmtp-value`. */
  | 'ERR_EXTENSION_MISUSE_UNSAFE_VALUE'
  // refusals: the server cannot take this envelope (`ClientRefusal`, returned)
  /** RFC 1870: the message is larger than the server's SIZE. */
  | 'ERR_EXTENSION_SIZE_EXCEEDS_LIMIT'
  /** RFC 6152: 8-bit content, and the server does not offer 8BITMIME. */
  | 'ERR_EXTENSION_8BITMIME_NOT_OFFERED'
  /** RFC 3030: BODY=BINARYMIME, and the server does not offer BINARYMIME. */
  | 'ERR_EXTENSION_BINARYMIME_NOT_OFFERED'
  /** RFC 6531: the envelope needs SMTPUTF8, and the server does not offer it. */
  | 'ERR_EXTENSION_SMTPUTF8_NOT_OFFERED'
  /** RFC 8689: REQUIRETLS asked for, and the server does not offer it. */
  | 'ERR_EXTENSION_REQUIRETLS_NOT_OFFERED'
  /** RFC 8689: REQUIRETLS asked for on a session without TLS. */
  | 'ERR_EXTENSION_REQUIRETLS_WITHOUT_TLS'
  /**
   * A code of an extension package outside this one, in the same shape. (The intersection keeps
   * the codes above visible to editors: a bare template type would absorb them.)
   */
  | (`ERR_EXTENSION_${string}` & Record<never, never>);

/**
 * Options of {@link ExtensionError}.
 *
 * @example
 * ```ts
 * new ExtensionError('ERR_EXTENSION_MISUSE_OPTION', 'bad max', { cause: new RangeError('-1') });
 * ```
 */
export interface ExtensionErrorOptions {
  /** The reply a server sends, for a code that is not misuse and that a server answers. */
  readonly reply?: Reply;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * The brand of {@link ExtensionError} on its prototype. `Symbol.for` gives every copy of this
 * package the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isExtensionError} recognises an error made by any of them, where `instanceof` does not.
 */
const extensionErrorBrand = Symbol.for('@smtpkit/extensions.ExtensionError');

/**
 * The one error class of `@smtpkit/extensions`. `code` is stable; `misuse` tells API misuse
 * (thrown) apart from a refusal ({@link ClientRefusal}, returned). What a peer does wrong is not
 * an error here: it comes back as a reply value.
 *
 * @example
 * ```ts
 * import { createRegistry, isExtensionError, size } from '@smtpkit/extensions';
 * try {
 *   createRegistry([size(), size()]);
 * } catch (e) {
 *   if (isExtensionError(e)) console.log(e.code, e.misuse); // ERR_EXTENSION_MISUSE_NAME_CONFLICT true
 * }
 * ```
 */
export class ExtensionError extends Error {
  static {
    Object.defineProperty(ExtensionError.prototype, extensionErrorBrand, { value: true });
  }

  /** A stable identifier such as `ERR_EXTENSION_MISUSE_PARAMETER_CONFLICT`. */
  readonly code: ExtensionErrorCode;
  /** The reply a server sends for it, when one does; never set by this package. */
  readonly reply: Reply | undefined;

  constructor(code: ExtensionErrorCode, message: string, options: ExtensionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExtensionError';
    this.code = code;
    this.reply = options.reply;
  }

  /** True when the caller misused the API, false for a refusal. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_EXTENSION_MISUSE_');
  }
}

/**
 * The brand of {@link ClientRefusal} on its prototype. `Symbol.for` gives every copy of this
 * package the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isClientRefusal} recognises an error made by any of them, where `instanceof` does not.
 */
const clientRefusalBrand = Symbol.for('@smtpkit/extensions.ClientRefusal');

/**
 * A client-side refusal to send: the envelope asks for something the server did not offer or
 * cannot accept (a message larger than its SIZE, SMTPUTF8 needed but not offered, REQUIRETLS
 * without TLS). Returned by the registry's client check, not thrown, so the client session can
 * report it like any other failure. Its code is not misuse. It adds what the base lacks: the
 * `extension` that refuses, and whether the refusal is `permanent` (retrying the same server
 * cannot help).
 *
 * @example
 * ```ts
 * import { ClientRefusal } from '@smtpkit/extensions';
 * const r = new ClientRefusal('ERR_EXTENSION_SIZE_EXCEEDS_LIMIT', 'SIZE', 'message of 20 octets over limit 10', true);
 * r.extension; // 'SIZE'
 * r.misuse; // false
 * ```
 */
export class ClientRefusal extends ExtensionError {
  static {
    Object.defineProperty(ClientRefusal.prototype, clientRefusalBrand, { value: true });
  }

  readonly extension: string;
  readonly permanent: boolean;

  constructor(
    code: ExtensionErrorCode,
    extension: string,
    message: string,
    permanent: boolean,
    options: ExtensionErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'ClientRefusal';
    this.extension = extension;
    this.permanent = permanent;
  }
}

/**
 * Whether `value` is an {@link ExtensionError} made by any copy of `@smtpkit/extensions` (its ESM
 * or CommonJS build, another installed version): a brand check, where `instanceof` knows one class
 * only.
 *
 * @example
 * ```ts
 * import { createRegistry, isExtensionError, size } from '@smtpkit/extensions';
 * try { createRegistry([size(), size()]); } catch (e) {
 *   if (isExtensionError(e)) console.log(e.code); // ERR_EXTENSION_MISUSE_NAME_CONFLICT
 * }
 * ```
 */
export function isExtensionError(value: unknown): value is ExtensionError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[extensionErrorBrand] === true
  );
}

/**
 * Whether `value` is a {@link ClientRefusal} made by any copy of `@smtpkit/extensions` (its ESM or
 * CommonJS build, another installed version): a brand check, where `instanceof` knows one class
 * only.
 *
 * @example
 * ```ts
 * import { ClientRefusal, isClientRefusal, isExtensionError } from '@smtpkit/extensions';
 * const r = new ClientRefusal('ERR_EXTENSION_SIZE_EXCEEDS_LIMIT', 'SIZE', 'too big', true);
 * isClientRefusal(r); // true
 * isExtensionError(r); // true: a ClientRefusal is an ExtensionError
 * ```
 */
export function isClientRefusal(value: unknown): value is ClientRefusal {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[clientRefusalBrand] === true
  );
}
