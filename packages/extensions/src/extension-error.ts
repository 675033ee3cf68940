/**
 * Base class of every error thrown by `@smtpkit/extensions`. Only API misuse is thrown (a
 * registry built from conflicting extensions, a malformed keyword); what a peer does wrong comes
 * back as a reply value.
 *
 * @example
 * ```ts
 * import { ExtensionError } from '@smtpkit/extensions';
 * const isOurs = (e: unknown) => e instanceof ExtensionError && e.code.startsWith('ERR_');
 * ```
 */
export class ExtensionError extends Error {
  /** A stable identifier such as `ERR_EXTENSION_PARAMETER_CONFLICT`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ExtensionError';
    this.code = code;
  }
}

/**
 * Thrown by `createRegistry` when the extension list cannot work together: two extensions claim
 * the same name, EHLO keyword, parameter or verb, a verb shadows a core command, or a required
 * extension is missing.
 *
 * @example
 * ```ts
 * import { RegistryError } from '@smtpkit/extensions';
 * new RegistryError('ERR_EXTENSION_KEYWORD_CONFLICT', 'SIZE is claimed twice').code;
 * ```
 */
export class RegistryError extends ExtensionError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'RegistryError';
  }
}

/**
 * A client-side refusal to send: the envelope asks for something the server did not offer or
 * cannot accept (a message larger than its SIZE, SMTPUTF8 needed but not offered, REQUIRETLS
 * without TLS). Returned by the registry's client check, not thrown, so the client session can
 * report it like any other failure. `permanent` tells whether retrying the same server can help.
 *
 * @example
 * ```ts
 * import { ClientRefusal } from '@smtpkit/extensions';
 * const r = new ClientRefusal('ERR_SIZE_EXCEEDS_LIMIT', 'SIZE', 'message of 20 octets over limit 10', true);
 * r.extension; // 'SIZE'
 * ```
 */
export class ClientRefusal extends ExtensionError {
  readonly extension: string;
  readonly permanent: boolean;

  constructor(code: string, extension: string, message: string, permanent: boolean) {
    super(code, message);
    this.name = 'ClientRefusal';
    this.extension = extension;
    this.permanent = permanent;
  }
}
