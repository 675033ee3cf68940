import { type Reply, replies, withText } from '@smtpkit/reply';

/**
 * Stable codes of {@link AddressError}. `ERR_ADDRESS_MISUSE_*` codes mean the caller misused the
 * API (a non-string argument, a `start` outside the input, a value no SMTP text can carry given to
 * a formatter); they carry no reply, so a server never blames the peer for a programming error.
 * Every other code means the text itself is wrong (usually the peer's), and maps to the reply a
 * server sends for it.
 *
 * Misuse: `ERR_ADDRESS_MISUSE_INJECTION`, `ERR_ADDRESS_MISUSE_INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * import { type AddressErrorCode, isAddressError, parseMailbox } from '@smtpkit/address';
 * let code: AddressErrorCode | undefined;
 * try { parseMailbox('a..b@example.com'); } catch (e) { if (isAddressError(e)) code = e.code; }
 * // code === 'ERR_ADDRESS_SYNTAX'
 * ```
 */
export type AddressErrorCode =
  // peer faults: bad text, a server answers with `reply`
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
  | 'ERR_ADDRESS_IDNA'
  // API misuse: no reply
  /** A formatter was given CR, LF or NUL, which would end the command line early. */
  | 'ERR_ADDRESS_MISUSE_INJECTION'
  /** Not a string, a `start` outside the input, an unknown kind, text no Quoted-string can carry. */
  | 'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT';

/** The codes of API misuse. */
type AddressMisuseCode = Extract<AddressErrorCode, `ERR_ADDRESS_MISUSE_${string}`>;

/** The codes of bad text, each with a reply. */
export type AddressFaultCode = Exclude<AddressErrorCode, AddressMisuseCode>;

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
 * Options of {@link AddressError}. `role` is required for a code that is not misuse: it picks the
 * reply.
 *
 * @example
 * ```ts
 * new AddressError('ERR_ADDRESS_SYNTAX', 'junk after path', { role: 'sender', position: 12 });
 * ```
 */
export interface AddressErrorOptions {
  /** The command argument the address came from. */
  readonly role?: AddressRole;
  /** Index (UTF-16 code unit) in the parsed string where the error was detected. */
  readonly position?: number;
  /** The underlying error. */
  readonly cause?: unknown;
}

/*
 * RFC 3463 §3.2: X.1.3 "Bad destination mailbox address syntax", X.1.7 "Bad sender's mailbox
 * address syntax"; §3.6: X.5.4 "Invalid command arguments".
 * RFC 5321 §4.5.3.1.10 lists "501 Path too long" for an over-long path.
 * RFC 6531 §3.5: a server that receives a UTF-8 address without SMTPUTF8 answers
 * "553 5.6.7 Non-ASCII addresses not permitted for that sender/recipient" (§3.7.1 X.6.7).
 */
const base: Record<AddressRole, Reply> = {
  sender: replies.R501_5_1_7_BadSenderAddressSyntax,
  recipient: replies.R501_5_1_3_BadRecipientAddressSyntax,
  domain: replies.R501_5_5_4_SyntaxErrorInParameters,
};

const detail: Record<AddressFaultCode, string> = {
  ERR_ADDRESS_SYNTAX: '',
  ERR_ADDRESS_LOCAL_PART_TOO_LONG: 'local part too long',
  ERR_ADDRESS_DOMAIN_TOO_LONG: 'domain too long',
  ERR_ADDRESS_LABEL_TOO_LONG: 'domain label too long',
  ERR_ADDRESS_PATH_TOO_LONG: 'path too long',
  ERR_ADDRESS_UTF8_NOT_PERMITTED: '',
  ERR_ADDRESS_IDNA: 'invalid internationalised domain name',
};

const cache = new Map<string, Reply>();

/** The reply a server sends for an address error of `code` found in a `role` argument. */
function replyFor(code: AddressFaultCode, role: AddressRole): Reply {
  if (code === 'ERR_ADDRESS_UTF8_NOT_PERMITTED') return replies.R553_5_6_7_Utf8AddressNotPermitted;
  const text = detail[code];
  if (text === '') return base[role];
  const key = `${code}/${role}`;
  let reply = cache.get(key);
  if (reply === undefined) {
    const first = base[role].lines[0] ?? '';
    reply = withText(base[role], `${first}: ${text}`);
    cache.set(key, reply);
  }
  return reply;
}

/**
 * The brand of {@link AddressError} on its prototype. `Symbol.for` gives every copy of this package
 * the same symbol (its ESM and CommonJS builds, a second version nested by npm), so
 * {@link isAddressError} recognises an error made by any of them, where `instanceof` does not.
 */
const addressErrorBrand = Symbol.for('@smtpkit/address.AddressError');

/**
 * The one error class of `@smtpkit/address`. Its `code` is stable; `misuse` tells API misuse
 * (`ERR_ADDRESS_MISUSE_*`, no `reply`, no `role`) apart from bad text, which carries the `reply` a
 * server should send, the `role` of the argument and the `position` where the problem was found.
 *
 * @example
 * ```ts
 * import { formatLocalPart, isAddressError, scanReversePath } from '@smtpkit/address';
 * try {
 *   scanReversePath('<a b@example.com>');
 * } catch (err) {
 *   if (isAddressError(err)) console.log(err.code, err.misuse, err.reply?.code, err.position);
 *   // ERR_ADDRESS_SYNTAX false 501 2
 * }
 * try {
 *   formatLocalPart('a\r\nRCPT TO:<x@y>');
 * } catch (err) {
 *   if (isAddressError(err)) console.log(err.code, err.misuse, err.reply);
 *   // ERR_ADDRESS_MISUSE_INJECTION true undefined
 * }
 * ```
 */
export class AddressError extends Error {
  static {
    Object.defineProperty(AddressError.prototype, addressErrorBrand, { value: true });
  }

  /** Stable machine-readable code. */
  readonly code: AddressErrorCode;
  /** The reply a server sends for bad text (RFC 5321 §4.2, RFC 3463, RFC 6531 §3.5); none for misuse. */
  readonly reply: Reply | undefined;
  /** Index (UTF-16 code unit) in the parsed string where the error was detected. */
  readonly position?: number;
  /** The command argument the address came from; none for misuse. */
  readonly role: AddressRole | undefined;

  constructor(
    code: AddressFaultCode,
    message: string,
    options: AddressErrorOptions & { readonly role: AddressRole },
  );
  constructor(
    code: AddressMisuseCode,
    message: string,
    options?: Pick<AddressErrorOptions, 'cause'>,
  );
  constructor(code: AddressErrorCode, message: string, options: AddressErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AddressError';
    this.code = code;
    this.role = options.role;
    this.reply =
      options.role === undefined || this.misuse
        ? undefined
        : replyFor(code as AddressFaultCode, options.role);
    if (options.position !== undefined) this.position = options.position;
  }

  /** True when the caller misused the API, false when the text (usually the peer's) is wrong. */
  get misuse(): boolean {
    return this.code.startsWith('ERR_ADDRESS_MISUSE_');
  }
}

/**
 * Whether `value` is an {@link AddressError} made by any copy of `@smtpkit/address` (its ESM or
 * CommonJS build, another installed version): a brand check, where `instanceof` knows one class
 * only.
 *
 * @example
 * ```ts
 * import { isAddressError, scanReversePath } from '@smtpkit/address';
 * try { scanReversePath('<a b@example.com>'); } catch (e) {
 *   if (isAddressError(e)) console.log(e.code, e.reply?.code); // ERR_ADDRESS_SYNTAX 501
 * }
 * ```
 */
export function isAddressError(value: unknown): value is AddressError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [brand: symbol]: unknown })[addressErrorBrand] === true
  );
}
