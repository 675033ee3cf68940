import type { Reply } from '@smtpkit/reply';
import { replyForAddressError } from './address-replies.js';

/**
 * Stable codes of {@link AddressError}. They describe what was wrong with the peer's (or user's)
 * text; each maps to the reply a server sends for it.
 *
 * @example
 * ```ts
 * import { type AddressErrorCode, AddressError, parseMailbox } from '@smtpkit/address';
 * let code: AddressErrorCode | undefined;
 * try { parseMailbox('a..b@example.com'); } catch (e) { if (e instanceof AddressError) code = e.code; }
 * // code === 'ERR_ADDRESS_SYNTAX'
 * ```
 */
export type AddressErrorCode =
  /** The text does not match the RFC 5321 §4.1.2 / §4.1.3 grammar (RFC 6531 when SMTPUTF8). */
  | 'ERR_ADDRESS_SYNTAX'
  /** RFC 5321 §4.5.3.1.1: local-part longer than 64 octets (or the configured limit). */
  | 'ERR_ADDRESS_LOCAL_PART_TOO_LONG'
  /** RFC 5321 §4.5.3.1.2: domain longer than 255 octets (or the configured limit). */
  | 'ERR_ADDRESS_DOMAIN_TOO_LONG'
  /** RFC 1035 §2.3.4: a label longer than 63 octets (or the configured limit). */
  | 'ERR_ADDRESS_LABEL_TOO_LONG'
  /** RFC 5321 §4.5.3.1.3: reverse-path or forward-path longer than 256 octets. */
  | 'ERR_ADDRESS_PATH_TOO_LONG'
  /** RFC 6531 §3.5: UTF-8 in an address while SMTPUTF8 is not in effect. */
  | 'ERR_ADDRESS_UTF8_NOT_PERMITTED'
  /** RFC 5890-5893 / UTS #46: an internationalised label that is not a valid IDNA2008 label. */
  | 'ERR_ADDRESS_IDNA';

/**
 * Which command argument an address came from. It picks the enhanced status code of the reply:
 * RFC 3463 X.1.7 "Bad sender's mailbox address syntax" for MAIL, X.1.3 "Bad destination mailbox
 * address syntax" for RCPT, X.5.4 "Invalid command arguments" for a bare domain (HELO/EHLO).
 *
 * @example
 * ```ts
 * import { parseMailbox } from '@smtpkit/address';
 * parseMailbox('a b@example.com', { role: 'sender' }); // throws; reply 501 5.1.7
 * ```
 */
export type AddressRole = 'sender' | 'recipient' | 'domain';

/**
 * The one error type the address parsers throw for bad input. It carries a stable `code`, the
 * `reply` a server should send for it, and the index in the input where the problem was found.
 *
 * @example
 * ```ts
 * import { AddressError, scanReversePath } from '@smtpkit/address';
 * try {
 *   scanReversePath('<a b@example.com>');
 * } catch (err) {
 *   if (err instanceof AddressError) console.log(err.code, err.reply.code, err.position);
 *   // ERR_ADDRESS_SYNTAX 501 2
 * }
 * ```
 */
export class AddressError extends Error {
  /** Stable machine-readable code. */
  readonly code: AddressErrorCode;
  /** The reply a server should send for this error (RFC 5321 §4.2, RFC 3463, RFC 6531 §3.5). */
  readonly reply: Reply;
  /** Index (UTF-16 code unit) in the parsed string where the error was detected. */
  readonly position?: number;
  /** The command argument the address came from. */
  readonly role: AddressRole;

  constructor(code: AddressErrorCode, message: string, role: AddressRole, position?: number) {
    super(message);
    this.name = 'AddressError';
    this.code = code;
    this.role = role;
    this.reply = replyForAddressError(code, role);
    if (position !== undefined) this.position = position;
  }
}

/**
 * Thrown when the API itself is misused (a value that cannot be formatted, a `start` outside the
 * input, a non-string argument). It is deliberately NOT an {@link AddressError}: a server that
 * sends `AddressError#reply` must not blame the peer for a programming error.
 *
 * @example
 * ```ts
 * import { AddressUsageError, formatMailbox } from '@smtpkit/address';
 * try {
 *   formatMailbox({ localPart: 'a\r\nb', domain: { kind: 'domain', ascii: 'x', unicode: 'x' } });
 * } catch (err) {
 *   console.log(err instanceof AddressUsageError, (err as AddressUsageError).code);
 *   // true ERR_ADDRESS_USAGE
 * }
 * ```
 */
export class AddressUsageError extends TypeError {
  /** Always `'ERR_ADDRESS_USAGE'`. */
  readonly code = 'ERR_ADDRESS_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'AddressUsageError';
  }
}
