import { xtextError } from './xtext.js';

const BACKSLASH = 0x5c;

// RFC 6533 §3: QCHAR = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e
//   ; ASCII printable characters except CTLs, SP, '\', '+', '='.
function isQchar(code: number): boolean {
  return code >= 0x21 && code <= 0x7e && code !== 0x2b && code !== 0x3d && code !== BACKSLASH;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20; // RFC 5234 §2.3: ABNF strings such as "A" are case-insensitive
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

/**
 * RFC 6533 §3: `EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"` (`\x{...}`), with
 * ```
 * HEXPOINT = ( ( "0"/"1" ) %x31-39 ) / "10" / "20" /
 *            "2B" / "3D" / "7F" /         ; all xtext-specials
 *            "5C" / (HEXDIG8 HEXDIG) /    ; 2-digit forms
 *            ( NZHEXDIG 2(HEXDIG) ) /     ; 3-digit forms
 *            ( NZDHEXDIG 3(HEXDIG) ) /    ; 4-digit forms excluding
 *            ( "D" %x30-37 2(HEXDIG) ) /  ; ... surrogate
 *            ( NZHEXDIG 4(HEXDIG) ) /     ; 5-digit forms
 *            ( "10" 4*HEXDIG )            ; 6-digit forms
 * ```
 * Each code point has one spelling: printable ASCII other than the specials must appear as
 * itself, and CR (0D), LF (0A) and NUL (00) cannot be embedded at all. Returns the code point and
 * the index after "}", or throws.
 */
function scanEmbeddedUnicodeChar(text: string, at: number): { codePoint: number; end: number } {
  if (text.charCodeAt(at + 1) !== 0x78 || text.charCodeAt(at + 2) !== 0x7b) {
    throw xtextError('"\\" must start \\x{HEXPOINT} (RFC 6533 §3)', at);
  }
  let codePoint = 0;
  let i = at + 3;
  for (; i < text.length && i - (at + 3) <= 6; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7d) break;
    const digit = hexValue(code);
    if (digit < 0) throw xtextError('bad hex digit in \\x{HEXPOINT} (RFC 6533 §3)', i);
    codePoint = codePoint * 16 + digit;
  }
  const digits = i - (at + 3);
  if (text.charCodeAt(i) !== 0x7d || !isHexpoint(codePoint, digits, text.charCodeAt(at + 3))) {
    throw xtextError('invalid HEXPOINT in \\x{...} (RFC 6533 §3)', at);
  }
  return { codePoint, end: i + 1 };
}

function isHexpoint(cp: number, digits: number, first: number): boolean {
  switch (digits) {
    case 2:
      return (
        (cp >= 0x01 && cp <= 0x09) ||
        (cp >= 0x10 && cp <= 0x19) ||
        cp === 0x20 ||
        cp === 0x2b ||
        cp === 0x3d ||
        cp === 0x7f ||
        cp === 0x5c ||
        (cp >= 0x80 && cp <= 0xff)
      );
    case 3:
      return cp >= 0x100;
    case 4:
      return cp >= 0x1000 && (cp < 0xd800 || cp > 0xdfff);
    case 5:
      return cp >= 0x10000;
    case 6:
      return first === 0x31 && cp >= 0x100000 && cp <= 0x10ffff;
    default:
      return false;
  }
}

function decodeUtf8Addr(text: string, unitext: boolean): string {
  if (text.length === 0) throw xtextError('an address cannot be empty (RFC 6533 §3: 1*)', 0);
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isQchar(code)) {
      i++;
      continue;
    }
    if (code === BACKSLASH) {
      out += text.slice(from, i);
      const { codePoint, end } = scanEmbeddedUnicodeChar(text, i);
      out += String.fromCodePoint(codePoint);
      i = end;
      from = i;
      continue;
    }
    // RFC 6533 §3: QUCHAR = QCHAR / UTF8-2 / UTF8-3 / UTF8-4 (only in utf-8-addr-unitext).
    if (unitext && code >= 0x80) {
      if (code >= 0xd800 && code <= 0xdbff) {
        const low = text.charCodeAt(i + 1);
        if (!(low >= 0xdc00 && low <= 0xdfff)) throw xtextError('lone surrogate', i);
        i += 2;
        continue;
      }
      if (code >= 0xdc00 && code <= 0xdfff) throw xtextError('lone surrogate', i);
      i++;
      continue;
    }
    throw xtextError(
      unitext
        ? 'character not allowed in utf-8-addr-unitext (RFC 6533 §3)'
        : 'character not allowed in utf-8-addr-xtext (RFC 6533 §3)',
      i,
    );
  }
  return out + text.slice(from);
}

/**
 * Decodes the 7-bit form of an RFC 6533 UTF-8 address: `utf-8-addr-xtext = 1*(QCHAR /
 * EmbeddedUnicodeChar)`, usable in ORCPT even without SMTPUTF8. Throws a `WireError`
 * (`ERR_WIRE_PARAMETER_SYNTAX`, reply `501 5.5.4`) on any other character.
 *
 * @example
 * ```ts
 * import { decodeUtf8AddrXtext } from '@smtpkit/wire';
 * decodeUtf8AddrXtext('e\\x{3D}mc2@\\x{30C9}.jp'); // "e=mc2@ド.jp"
 * ```
 */
export function decodeUtf8AddrXtext(text: string): string {
  return decodeUtf8Addr(text, false);
}

/**
 * Decodes the UTF-8 form of an RFC 6533 address: `utf-8-addr-unitext = 1*(QUCHAR /
 * EmbeddedUnicodeChar)`, for use when SMTPUTF8 is in effect. Throws like
 * {@link decodeUtf8AddrXtext}.
 *
 * @example
 * ```ts
 * import { decodeUtf8AddrUnitext } from '@smtpkit/wire';
 * decodeUtf8AddrUnitext('e\\x{3D}mc2@ドメイン名例.jp'); // "e=mc2@ドメイン名例.jp"
 * ```
 */
export function decodeUtf8AddrUnitext(text: string): string {
  return decodeUtf8Addr(text, true);
}

/** Code points that HEXPOINT has no spelling for (NUL, 0A-0F, 1A-1F, surrogates). */
function isUnspellable(cp: number): boolean {
  return (
    cp === 0 ||
    (cp >= 0x0a && cp <= 0x0f) ||
    (cp >= 0x1a && cp <= 0x1f) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

function encodeUtf8Addr(address: string, unitext: boolean): string {
  if (address === '') throw xtextError('an address cannot be empty (RFC 6533 §3: 1*)', 0);
  let out = '';
  let at = 0;
  for (const char of address) {
    const cp = char.codePointAt(0) as number;
    if (isQchar(cp) || (unitext && cp >= 0x80 && !isUnspellable(cp))) {
      out += char;
    } else if (isUnspellable(cp)) {
      throw xtextError('character cannot be written as a HEXPOINT (RFC 6533 §3)', at);
    } else {
      out += `\\x{${cp.toString(16).toUpperCase().padStart(2, '0')}}`;
    }
    at += char.length;
  }
  return out;
}

/**
 * Encodes an address as RFC 6533 `utf-8-addr-xtext` (ASCII only): QCHARs as themselves, every
 * other character as `\x{HEXPOINT}` (upper-case hex, shortest form). Throws a `WireError` for
 * characters HEXPOINT cannot spell (NUL, CR, LF and the other controls it leaves out).
 *
 * @example
 * ```ts
 * import { encodeUtf8AddrXtext } from '@smtpkit/wire';
 * encodeUtf8AddrXtext('e=mc2@ドメ.jp'); // "e\\x{3D}mc2@\\x{30C9}\\x{30E1}.jp"
 * ```
 */
export function encodeUtf8AddrXtext(address: string): string {
  return encodeUtf8Addr(address, false);
}

/**
 * Encodes an address as RFC 6533 `utf-8-addr-unitext` (for SMTPUTF8 sessions): non-ASCII stays
 * UTF-8, the ASCII specials ("+", "=", "\", SP, controls) become `\x{HEXPOINT}`.
 *
 * @example
 * ```ts
 * import { encodeUtf8AddrUnitext } from '@smtpkit/wire';
 * encodeUtf8AddrUnitext('e=mc2@ドメイン名例.jp'); // "e\\x{3D}mc2@ドメイン名例.jp"
 * ```
 */
export function encodeUtf8AddrUnitext(address: string): string {
  return encodeUtf8Addr(address, true);
}
