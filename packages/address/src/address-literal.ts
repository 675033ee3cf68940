import { AddressError, type AddressRole } from './address-error.js';
import type { AddressOptions } from './address-limits.js';
import { isDcontent, isDigit, isHexDig, isLdh, isLetDig } from './char-classes.js';
import { contextFor, fail, type ScanContext } from './scan-context.js';

/**
 * An RFC 5321 §4.1.3 address literal. `text` is the literal exactly as written, brackets included;
 * `address` is the canonical form of the IP address (dotted quad without leading zeros; RFC 5952
 * text for IPv6).
 *
 * @example
 * ```ts
 * import { parseMailbox } from '@smtpkit/address';
 * parseMailbox('postmaster@[IPv6:2001:DB8::0:1]').domain;
 * // { kind: 'ipv6', address: '2001:db8::1', text: '[IPv6:2001:DB8::0:1]' }
 * ```
 */
export type AddressLiteral =
  | { readonly kind: 'ipv4'; readonly address: string; readonly text: string }
  | { readonly kind: 'ipv6'; readonly address: string; readonly text: string }
  | {
      readonly kind: 'general';
      readonly tag: string;
      readonly content: string;
      readonly text: string;
    };

const COLON = 0x3a;
const DOT = 0x2e;
const RBRACKET = 0x5d;

/**
 * RFC 5321 §4.1.3:
 *   address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
 *                           General-address-literal ) "]"
 *   General-address-literal = Standardized-tag ":" 1*dcontent
 *   Standardized-tag = Ldh-str
 *   IPv6-address-literal = "IPv6:" IPv6-addr
 * "IPv6" is the registered tag, so a literal tagged IPv6 must hold an IPv6-addr; every other tag
 * is read as General-address-literal (the RFC requires registration, which a parser cannot check).
 *
 * `start` is at "["; returns the literal and the index just past "]".
 */
export function scanAddressLiteral(
  input: string,
  start: number,
  ctx: ScanContext,
): { value: AddressLiteral; end: number } {
  const contentStart = start + 1;
  let i = contentStart;
  let colon = -1;
  const n = input.length;
  // Every character of every alternative is dcontent, so one pass finds "]" and the first ":".
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === RBRACKET) break;
    if (!isDcontent(c)) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'invalid character in address literal', i);
    if (c === COLON && colon === -1) colon = i;
    i++;
  }
  if (i >= n) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unterminated address literal', i);
  const end = i + 1;
  const text = input.slice(start, end);
  if (colon === -1) {
    const address = ipv4AddressLiteral(input, contentStart, i);
    if (address === null) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'invalid IPv4 address literal', start);
    return { value: { kind: 'ipv4', address, text }, end };
  }
  if (!standardizedTag(input, contentStart, colon)) {
    fail(ctx, 'ERR_ADDRESS_SYNTAX', 'invalid address literal tag', contentStart);
  }
  const tag = input.slice(contentStart, colon);
  if (tag.length === 4 && tag.toLowerCase() === 'ipv6') {
    const address = ipv6Addr(input, colon + 1, i);
    if (address === null) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'invalid IPv6 address literal', start);
    return { value: { kind: 'ipv6', address, text }, end };
  }
  // General-address-literal needs 1*dcontent after the ":" (already checked to be dcontent).
  if (colon + 1 === i) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'empty address literal content', i);
  return {
    value: { kind: 'general', tag, content: input.slice(colon + 1, i), text },
    end,
  };
}

/** RFC 5321 §4.1.3: Standardized-tag = Ldh-str; Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig */
function standardizedTag(input: string, start: number, end: number): boolean {
  if (end <= start || !isLetDig(input.charCodeAt(end - 1))) return false;
  for (let i = start; i < end; i++) if (!isLdh(input.charCodeAt(i))) return false;
  return true;
}

/**
 * RFC 5321 §4.1.3:
 *   IPv4-address-literal = Snum 3("." Snum)
 *   Snum = 1*3DIGIT  ; representing a decimal integer value in the range 0 through 255
 * Leading zeros are allowed by the ABNF ("00" is 1*3DIGIT with value 0).
 * Returns the canonical dotted quad, or null.
 */
export function ipv4AddressLiteral(input: string, start: number, end: number): string | null {
  const octets = ipv4Octets(input, start, end);
  return octets === null ? null : octets.join('.');
}

function ipv4Octets(input: string, start: number, end: number): number[] | null {
  const out: number[] = [];
  let i = start;
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (i >= end || input.charCodeAt(i) !== DOT) return null;
      i++;
    }
    // Snum
    let value = 0;
    const s = i;
    while (i < end && i - s < 3 && isDigit(input.charCodeAt(i))) {
      value = value * 10 + (input.charCodeAt(i) - 0x30);
      i++;
    }
    if (i === s || value > 255) return null;
    out.push(value);
  }
  return i === end ? out : null;
}

/**
 * RFC 5321 §4.1.3:
 *   IPv6-addr   = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp
 *   IPv6-hex    = 1*4HEXDIG
 *   IPv6-full   = IPv6-hex 7(":" IPv6-hex)
 *   IPv6-comp   = [IPv6-hex *5(":" IPv6-hex)] "::" [IPv6-hex *5(":" IPv6-hex)]
 *                 ; The "::" represents at least 2 16-bit groups of zeros. No more than 6
 *                 ; groups in addition to the "::" may be present.
 *   IPv6v4-full = IPv6-hex 5(":" IPv6-hex) ":" IPv4-address-literal
 *   IPv6v4-comp = [IPv6-hex *3(":" IPv6-hex)] "::" [IPv6-hex *3(":" IPv6-hex) ":"]
 *                 IPv4-address-literal
 *                 ; The "::" represents at least 2 16-bit groups of zeros. No more than 4
 *                 ; groups in addition to the "::" and IPv4-address-literal may be present.
 * Returns the RFC 5952 canonical text, or null.
 */
export function ipv6Addr(input: string, start: number, end: number): string | null {
  const head: number[] = [];
  const tail: number[] = [];
  let compressed = false;
  let v4: number[] | null = null;
  let i = start;
  if (i + 1 < end && input.charCodeAt(i) === COLON && input.charCodeAt(i + 1) === COLON) {
    compressed = true;
    i += 2;
  }
  while (i < end) {
    const s = i;
    let value = 0;
    while (i < end && isHexDig(input.charCodeAt(i))) {
      value = value * 16 + hexValue(input.charCodeAt(i));
      i++;
      if (i - s > 4) break;
    }
    if (i < end && input.charCodeAt(i) === DOT) {
      // IPv4-address-literal ends the address
      v4 = ipv4Octets(input, s, end);
      if (v4 === null) return null;
      i = end;
      break;
    }
    if (i === s || i - s > 4) return null;
    (compressed ? tail : head).push(value);
    if (i === end) break;
    if (input.charCodeAt(i) !== COLON) return null;
    i++;
    if (i < end && input.charCodeAt(i) === COLON) {
      if (compressed) return null;
      compressed = true;
      i++;
      continue;
    }
    if (i === end) return null; // a single trailing ":"
  }
  if (!compressed && i === start) return null;
  const groups = head.length + tail.length;
  if (v4 !== null) {
    if (compressed ? groups > 4 : groups !== 6) return null;
  } else if (compressed ? groups > 6 : groups !== 8) return null;
  const words = head.slice();
  const zeros = 8 - groups - (v4 === null ? 0 : 2);
  for (let k = 0; k < zeros; k++) words.push(0);
  for (const w of tail) words.push(w);
  if (v4 !== null) {
    words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
  }
  return formatIpv6(words);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/**
 * RFC 5952 §4: lower case, no leading zeros, "::" for the longest run of two or more zero groups
 * (the first one on a tie); §5: IPv4-mapped addresses (::ffff:0:0/96) keep the dotted quad.
 *
 * @example
 * ```ts
 * import { formatIpv6 } from '@smtpkit/address';
 * formatIpv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]); // '2001:db8::1'
 * ```
 */
export function formatIpv6(words: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (words[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && words[j] === 0) j++;
    if (j - k > bestLen) {
      bestStart = k;
      bestLen = j - k;
    }
    k = j;
  }
  const mapped = bestStart === 0 && bestLen === 5 && words[5] === 0xffff;
  if (mapped) {
    const a = words[6] ?? 0;
    const b = words[7] ?? 0;
    return `::ffff:${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
  }
  const hex = (k: number): string => (words[k] ?? 0).toString(16);
  if (bestStart === -1) return words.map((_, k) => hex(k)).join(':');
  const left: string[] = [];
  for (let k = 0; k < bestStart; k++) left.push(hex(k));
  const right: string[] = [];
  for (let k = bestStart + bestLen; k < 8; k++) right.push(hex(k));
  return `${left.join(':')}::${right.join(':')}`;
}

/**
 * Parses a whole string as an RFC 5321 §4.1.3 address-literal (brackets included), e.g. the
 * argument of `EHLO [192.0.2.1]` (RFC 5321 §4.1.1.1: `ehlo = "EHLO" SP ( Domain /
 * address-literal ) CRLF`). Throws {@link AddressError} (reply 501 5.5.4 by default).
 *
 * @example
 * ```ts
 * import { parseAddressLiteral } from '@smtpkit/address';
 * parseAddressLiteral('[IPv6:::1]'); // { kind: 'ipv6', address: '::1', text: '[IPv6:::1]' }
 * ```
 */
export function parseAddressLiteral(
  input: string,
  options?: AddressOptions & { readonly role?: AddressRole },
): AddressLiteral {
  if (typeof input !== 'string')
    throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'input must be a string');
  const ctx = contextFor(options, options?.role ?? 'domain');
  if (input.charCodeAt(0) !== 0x5b) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected "["', 0);
  const { value, end } = scanAddressLiteral(input, 0, ctx);
  if (end !== input.length) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unexpected character after "]"', end);
  return value;
}
