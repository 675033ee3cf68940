import { toASCII, toUnicode } from 'tr46';
import { AddressError, type AddressRole } from './address-error.js';
import { punycodeDecode } from './punycode.js';

/*
 * IDNA2008 (RFC 5890-5893) through UTS #46 Nontransitional Processing, as RFC 6531 §3.2 asks for
 * U-labels / A-labels: "Transitional Processing ... should not be used" (UTS #46 §4), so deviation
 * characters (ß, ς, ZWJ, ZWNJ) keep their identity. CheckHyphens, CheckBidi (RFC 5893),
 * CheckJoiners (RFC 5892 Appendix A ContextJ) and UseSTD3ASCIIRules are all on.
 */
const IDNA_OPTIONS = {
  checkBidi: true,
  checkHyphens: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  transitionalProcessing: false,
  verifyDNSLength: true,
} as const;

/** Same, for one label at a time: bidi is a whole-domain property, checked separately. */
const LABEL_OPTIONS = { ...IDNA_OPTIONS, checkBidi: false, verifyDNSLength: false } as const;

/**
 * Whole-domain pass used by the RFC 5321 parser. CheckHyphens is off here because RFC 5321
 * `sub-domain = Let-dig [Ldh-str]` allows "ab--cd" in plain LDH labels; each IDN label was
 * already checked with CheckHyphens on (RFC 5891 §4.2.3.1 applies to U-labels only).
 */
const DOMAIN_BIDI_OPTIONS = { ...LABEL_OPTIONS, checkBidi: true, checkHyphens: false } as const;

/**
 * UTS #46 ToASCII (Nontransitional, all checks on, VerifyDnsLength on): maps a domain name to its
 * A-label form, or throws {@link AddressError} with code `ERR_ADDRESS_IDNA`.
 * This is the conversion alone; {@link parseDomain} also enforces RFC 5321 syntax and limits.
 *
 * @example
 * ```ts
 * import { toAsciiDomain } from '@smtpkit/address';
 * toAsciiDomain('Bücher.example'); // 'xn--bcher-kva.example'
 * ```
 */
export function toAsciiDomain(input: string, role: AddressRole = 'domain'): string {
  const out = toASCII(input, IDNA_OPTIONS);
  if (out === null) {
    throw new AddressError('ERR_ADDRESS_IDNA', `not a valid IDNA domain name`, {
      role,
      position: 0,
    });
  }
  return out;
}

/**
 * UTS #46 ToUnicode (Nontransitional, all checks on): maps A-labels to U-labels, or throws
 * {@link AddressError} with code `ERR_ADDRESS_IDNA`. Empty labels are refused (UTS #46 X4_2),
 * except the final root label of a name written with a trailing dot.
 *
 * @example
 * ```ts
 * import { toUnicodeDomain } from '@smtpkit/address';
 * toUnicodeDomain('xn--bcher-kva.example'); // 'bücher.example'
 * ```
 */
export function toUnicodeDomain(input: string, role: AddressRole = 'domain'): string {
  const { domain, error } = toUnicode(input, IDNA_OPTIONS);
  if (error || hasEmptyNonFinalLabel(domain)) {
    throw new AddressError('ERR_ADDRESS_IDNA', `not a valid IDNA domain name`, {
      role,
      position: 0,
    });
  }
  return domain;
}

function hasEmptyNonFinalLabel(domain: string): boolean {
  if (domain.length === 0) return true;
  let start = 0;
  for (;;) {
    const dot = domain.indexOf('.', start);
    if (dot === -1) return false;
    if (dot === start) return true;
    start = dot + 1;
  }
}

/**
 * One U-label (as written, non-ASCII) to its A-label, or `null` when UTS #46 rejects it or the
 * mapping turned it into something that is not one label (e.g. U+3002 mapped to ".").
 */
export function uLabelToAscii(label: string): string | null {
  const out = toASCII(label, LABEL_OPTIONS);
  if (out === null || out.length === 0 || out.indexOf('.') !== -1) return null;
  return out;
}

/**
 * The U-label of an A-label that {@link uLabelToAscii} just produced (so known to be valid), or
 * the label itself when the mapping gave plain ASCII.
 */
export function unicodeOfConverted(aLabel: string): string | null {
  return aLabel.startsWith('xn--') ? punycodeDecode(aLabel.slice(4)) : aLabel;
}

/**
 * One lower-cased "xn--" label to its U-label, or `null` when it is not a valid A-label: it must
 * decode, and the decoded label must pass UTS #46 validation and encode back to exactly the same
 * text (RFC 5891 §5.4: "the conversion ... MUST be verified").
 */
export function aLabelToUnicode(label: string): string | null {
  const decoded = punycodeDecode(label.slice(4));
  if (decoded === null || decoded.length === 0) return null;
  return toASCII(decoded, LABEL_OPTIONS) === label ? decoded : null;
}

/**
 * RFC 5893 §1.4: a "Bidi domain name" contains a character of Bidi_Class R, AL or AN. All such
 * characters lie in these blocks (a superset is safe: it only decides whether the full check runs).
 */
export function mayBeBidi(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x0590) continue;
    if (c <= 0x08ff) return true;
    if (c >= 0xfb1d && c <= 0xfdff) return true;
    if (c >= 0xfe70 && c <= 0xfeff) return true;
    // U+10800-U+10FFF and U+1E800-U+1EFFF, as surrogate pairs
    if (c === 0xd802 || c === 0xd803 || c === 0xd83a || c === 0xd83b) return true;
  }
  return false;
}

/** RFC 5893 Bidi rule over the whole (A-label form) domain: true when it holds. */
export function bidiRuleHolds(asciiDomain: string): boolean {
  return !toUnicode(asciiDomain, DOMAIN_BIDI_OPTIONS).error;
}
