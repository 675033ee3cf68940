import type { AddressRole } from './address-error.js';
import type { AddressOptions } from './address-limits.js';
import { isLdh, nonAsciiWidth } from './char-classes.js';
import {
  aLabelToUnicode,
  bidiRuleHolds,
  mayBeBidi,
  uLabelToAscii,
  unicodeOfConverted,
} from './idna.js';
import { contextFor, fail, failNonAscii, type ScanContext } from './scan-context.js';

/**
 * A domain name with both of its forms. `ascii` is the A-label form, lower-cased, which is what
 * DNS and comparisons use; `unicode` is the U-label form (equal to `ascii` when the name has no
 * internationalised label). Neither is ever substituted for the other: formatters take the form
 * to write as an argument.
 *
 * @example
 * ```ts
 * import { parseDomain } from '@smtpkit/address';
 * parseDomain('Bücher.Example', { smtputf8: true });
 * // { kind: 'domain', ascii: 'xn--bcher-kva.example', unicode: 'bücher.example' }
 * ```
 */
export interface Domain {
  readonly kind: 'domain';
  readonly ascii: string;
  readonly unicode: string;
}

const HYPHEN = 0x2d;
const DOT = 0x2e;

/** "xn--" at `i`, case-insensitively (RFC 5890 §2.3.1 ACE prefix). */
function hasAcePrefix(input: string, i: number, end: number): boolean {
  return (
    end - i >= 4 &&
    (input.charCodeAt(i) | 0x20) === 0x78 &&
    (input.charCodeAt(i + 1) | 0x20) === 0x6e &&
    input.charCodeAt(i + 2) === HYPHEN &&
    input.charCodeAt(i + 3) === HYPHEN
  );
}

/**
 * RFC 5321 §4.1.2:
 *   Domain     = sub-domain *("." sub-domain)
 *   sub-domain = Let-dig [Ldh-str]
 *   Let-dig    = ALPHA / DIGIT
 *   Ldh-str    = *( ALPHA / DIGIT / "-" ) Let-dig
 * RFC 6531 §3.3: sub-domain =/ U-label (only when SMTPUTF8 is in effect).
 *
 * Scans the longest Domain at `start` and returns it with the index just past it.
 */
export function scanDomain(
  input: string,
  start: number,
  ctx: ScanContext,
): { value: Domain; end: number } {
  const { limits } = ctx;
  let i = start;
  let idn = false;
  const n = input.length;
  for (;;) {
    // sub-domain
    const labelStart = i;
    let nonAscii = false;
    while (i < n) {
      const c = input.charCodeAt(i);
      if (c < 0x80) {
        if (!isLdh(c)) break;
        i++;
      } else {
        const w = nonAsciiWidth(input, i);
        if (w === 0 || !ctx.smtputf8) failNonAscii(ctx, w, i);
        nonAscii = true;
        i += w;
      }
    }
    if (i === labelStart) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected a domain label', i);
    // Let-dig at both ends (U-labels: RFC 5891 §4.2.3.1 forbids a leading or trailing hyphen).
    if (input.charCodeAt(labelStart) === HYPHEN) {
      fail(ctx, 'ERR_ADDRESS_SYNTAX', 'a domain label cannot start with "-"', labelStart);
    }
    if (input.charCodeAt(i - 1) === HYPHEN) {
      fail(ctx, 'ERR_ADDRESS_SYNTAX', 'a domain label cannot end with "-"', i - 1);
    }
    if (nonAscii || hasAcePrefix(input, labelStart, i)) idn = true;
    else if (i - labelStart > limits.label) {
      fail(ctx, 'ERR_ADDRESS_LABEL_TOO_LONG', 'domain label too long', labelStart);
    }
    if (i < n && input.charCodeAt(i) === DOT) {
      i++;
      continue;
    }
    break;
  }
  const text = input.slice(start, i);
  if (!idn) {
    if (text.length > limits.domain) {
      fail(ctx, 'ERR_ADDRESS_DOMAIN_TOO_LONG', 'domain too long', start);
    }
    const ascii = text.toLowerCase();
    return { value: { kind: 'domain', ascii, unicode: ascii }, end: i };
  }
  return { value: convertIdn(text, start, ctx), end: i };
}

/** The internationalised branch of {@link scanDomain}: labels already passed the syntax scan. */
function convertIdn(text: string, start: number, ctx: ScanContext): Domain {
  const { limits } = ctx;
  // Bound the work handed to the IDNA library: an A-label of at most `label` octets cannot come
  // from more than a few code units per octet, and Punycode encoding is quadratic in label size.
  if (text.length > 4 * limits.domain) {
    fail(ctx, 'ERR_ADDRESS_DOMAIN_TOO_LONG', 'domain too long', start);
  }
  const raw = text.split('.');
  const ascii: string[] = [];
  const unicode: string[] = [];
  const checked: string[] = [];
  let bidi = false;
  let pos = start;
  for (const label of raw) {
    let a: string;
    let u: string;
    if (isAsciiLabel(label)) {
      if (label.length > limits.label) {
        fail(ctx, 'ERR_ADDRESS_LABEL_TOO_LONG', 'domain label too long', pos);
      }
      a = label.toLowerCase();
      u = a;
      if (hasAcePrefix(a, 0, a.length)) {
        const decoded = aLabelToUnicode(a);
        // RFC 5321 syntax admits any LDH label; one that merely looks like an A-label but does
        // not decode to a valid U-label is kept as it is in both forms, never guessed at.
        if (decoded !== null) {
          u = decoded;
          checked.push(a);
        }
      } else checked.push(a);
    } else {
      if (label.length > 4 * limits.label) {
        fail(ctx, 'ERR_ADDRESS_LABEL_TOO_LONG', 'domain label too long', pos);
      }
      const converted = uLabelToAscii(label);
      // A label such as fullwidth "ｅｘａｍｐｌｅ" maps to plain ASCII under UTS #46.
      if (converted === null || !isLdhLabel(converted)) {
        fail(ctx, 'ERR_ADDRESS_IDNA', 'invalid U-label', pos);
      }
      const back = unicodeOfConverted(converted);
      if (back === null) fail(ctx, 'ERR_ADDRESS_IDNA', 'invalid U-label', pos);
      if (converted.length > limits.label) {
        fail(ctx, 'ERR_ADDRESS_LABEL_TOO_LONG', 'domain label too long', pos);
      }
      a = converted;
      u = back;
      checked.push(a);
    }
    if (u !== a && mayBeBidi(u)) bidi = true;
    ascii.push(a);
    unicode.push(u);
    pos += label.length + 1;
  }
  const asciiText = ascii.join('.');
  if (asciiText.length > limits.domain) {
    fail(ctx, 'ERR_ADDRESS_DOMAIN_TOO_LONG', 'domain too long', start);
  }
  // RFC 5893 §2: the Bidi rule applies across all labels of a domain that contains RTL labels.
  if (bidi && !bidiRuleHolds(checked.join('.'))) {
    fail(ctx, 'ERR_ADDRESS_IDNA', 'domain breaks the RFC 5893 Bidi rule', start);
  }
  return { kind: 'domain', ascii: asciiText, unicode: unicode.join('.') };
}

function isAsciiLabel(label: string): boolean {
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Ldh-str with Let-dig at both ends, as mapped output must be. */
function isLdhLabel(label: string): boolean {
  if (label.length === 0) return false;
  for (let i = 0; i < label.length; i++) if (!isLdh(label.charCodeAt(i))) return false;
  return label.charCodeAt(0) !== HYPHEN && label.charCodeAt(label.length - 1) !== HYPHEN;
}

/** Parses exactly one Domain, nothing before or after it. */
export function parseDomainWith(input: string, ctx: ScanContext): Domain {
  // No domain whose A-label form fits the limit is written with more code units than this.
  if (input.length > 4 * ctx.limits.domain) {
    fail(ctx, 'ERR_ADDRESS_DOMAIN_TOO_LONG', 'domain too long', 0);
  }
  const { value, end } = scanDomain(input, 0, ctx);
  if (end !== input.length) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unexpected character in domain', end);
  return value;
}

/**
 * Parses an RFC 5321 Domain (LDH labels; U-labels too when `smtputf8` is set) and returns both its
 * A-label and U-label forms. Throws {@link AddressError} (reply 501 5.5.4 by default).
 *
 * @example
 * ```ts
 * import { parseDomain } from '@smtpkit/address';
 * parseDomain('Mail.Example.COM').ascii; // 'mail.example.com'
 * parseDomain('xn--bcher-kva.example').unicode; // 'bücher.example'
 * ```
 */
export function parseDomain(
  input: string,
  options?: AddressOptions & { readonly role?: AddressRole },
): Domain {
  return parseDomainWith(input, contextFor(options, options?.role ?? 'domain'));
}

/**
 * Domains compare case-insensitively on their A-label form (RFC 5321 §2.4, RFC 5890 §2.3.2.4).
 *
 * @example
 * ```ts
 * import { domainsEqual, parseDomain } from '@smtpkit/address';
 * domainsEqual(parseDomain('bücher.example', { smtputf8: true }), parseDomain('XN--BCHER-KVA.example')); // true
 * ```
 */
export function domainsEqual(a: Domain, b: Domain): boolean {
  return a.ascii === b.ascii || a.ascii.toLowerCase() === b.ascii.toLowerCase();
}
