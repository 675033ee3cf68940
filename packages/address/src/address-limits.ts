/**
 * RFC 5321 §4.5.3.1 size limits, in octets. "To the maximum extent possible, implementation
 * techniques that impose no limits on the length of these objects should be used", but a receiver
 * needs some bound; these are the RFC's minimum maxima.
 *
 * @example
 * ```ts
 * import { parseMailbox } from '@smtpkit/address';
 * parseMailbox('a@example.com', { limits: { localPart: 128 } });
 * ```
 */
export interface AddressLimits {
  /** RFC 5321 §4.5.3.1.1: "The maximum total length of a user name or other local-part is 64 octets." */
  readonly localPart: number;
  /** RFC 5321 §4.5.3.1.2: "The maximum total length of a domain name or number is 255 octets." */
  readonly domain: number;
  /** RFC 5321 §4.5.3.1.3: "The maximum total length of a reverse-path or forward-path is 256 octets (including the punctuation and element separators)." */
  readonly path: number;
  /** RFC 1035 §2.3.4: "labels 63 octets or less". */
  readonly label: number;
}

/**
 * The RFC defaults: local part 64, domain 255, path 256, label 63 octets.
 *
 * @example
 * ```ts
 * import { DEFAULT_ADDRESS_LIMITS } from '@smtpkit/address';
 * DEFAULT_ADDRESS_LIMITS.path; // 256
 * ```
 */
export const DEFAULT_ADDRESS_LIMITS: AddressLimits = Object.freeze({
  localPart: 64,
  domain: 255,
  path: 256,
  label: 63,
});

/**
 * Options shared by every parser.
 *
 * @example
 * ```ts
 * import { parseForwardPath } from '@smtpkit/address';
 * parseForwardPath('<δοκιμή@παράδειγμα.δοκιμή>', { smtputf8: true });
 * ```
 */
export interface AddressOptions {
  /** RFC 6531: accept UTF-8 local parts and U-label domains (the client sent SMTPUTF8). Default false. */
  readonly smtputf8?: boolean;
  /** Size limits; missing entries take {@link DEFAULT_ADDRESS_LIMITS}. */
  readonly limits?: Partial<AddressLimits>;
}

/** Resolved options used internally. */
export interface ResolvedOptions {
  readonly smtputf8: boolean;
  readonly limits: AddressLimits;
}

const DEFAULT_RESOLVED: ResolvedOptions = { smtputf8: false, limits: DEFAULT_ADDRESS_LIMITS };
const DEFAULT_RESOLVED_UTF8: ResolvedOptions = { smtputf8: true, limits: DEFAULT_ADDRESS_LIMITS };

/** Fills defaults in; cheap for the common cases. */
export function resolveOptions(options: AddressOptions | undefined): ResolvedOptions {
  if (options === undefined) return DEFAULT_RESOLVED;
  const smtputf8 = options.smtputf8 === true;
  if (options.limits === undefined) return smtputf8 ? DEFAULT_RESOLVED_UTF8 : DEFAULT_RESOLVED;
  return { smtputf8, limits: { ...DEFAULT_ADDRESS_LIMITS, ...options.limits } };
}
