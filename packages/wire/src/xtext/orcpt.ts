import {
  decodeUtf8AddrUnitext,
  decodeUtf8AddrXtext,
  encodeUtf8AddrUnitext,
  encodeUtf8AddrXtext,
} from './utf8-addr.js';
import { decodeXtext, encodeXtext, xtextError } from './xtext.js';

/**
 * The decoded value of an ORCPT parameter (RFC 3461 §4.2). `addrType` is lower-cased (address
 * types compare case-insensitively); `address` is decoded from xtext, or from the RFC 6533 forms
 * when `addrType` is `utf-8`. The address is not checked as a mailbox: validate it with
 * `@smtpkit/address` when needed.
 */
export interface OriginalRecipient {
  readonly addrType: string;
  readonly address: string;
}

/** Options of {@link parseOrcpt} and {@link formatOrcpt}. */
export interface OrcptOptions {
  /**
   * SMTPUTF8 is in effect for the transaction (RFC 6531): a `utf-8` address may be written in the
   * RFC 6533 utf-8-addr-unitext or raw utf-8-address forms, not only utf-8-addr-xtext. Default
   * false.
   */
  readonly smtputf8?: boolean;
}

// RFC 822 §3.3: atom = 1*<any CHAR except specials, SPACE and CTLs>;
// specials = "(" / ")" / "<" / ">" / "@" / "," / ";" / ":" / "\" / <"> / "." / "[" / "]".
// In an esmtp-value "=" cannot appear either (RFC 5321 §4.1.2).
const ATOM = /^[!#$%&'*+\-/0-9?A-Z^_`a-z{|}~]+$/;

/**
 * Parses the value of an ORCPT parameter.
 *
 * RFC 3461 §4.2: `orcpt-parameter = "ORCPT=" original-recipient-address`,
 * `original-recipient-address = addr-type ";" xtext`, `addr-type = atom`.
 * RFC 6533 §3: `utf-8-type-addr = "utf-8;" utf-8-enc-addr`, `utf-8-enc-addr = utf-8-addr-xtext /
 * utf-8-addr-unitext / utf-8-address`; the unitext and raw (utf-8-address) forms only with
 * SMTPUTF8, ASCII or not: without it only utf-8-addr-xtext is read.
 *
 * Throws a `WireError` (`ERR_WIRE_PARAMETER_SYNTAX`, reply `501 5.5.4`) for a missing ";", an
 * empty or non-atom addr-type, an empty address, or bad xtext.
 *
 * @example
 * ```ts
 * import { parseOrcpt } from '@smtpkit/wire';
 * parseOrcpt('rfc822;e+3Dmc2@example.com'); // { addrType: 'rfc822', address: 'e=mc2@example.com' }
 * parseOrcpt('utf-8;e\\x{3D}mc2@\\x{30C9}.jp'); // { addrType: 'utf-8', address: 'e=mc2@ド.jp' }
 * ```
 */
export function parseOrcpt(value: string, options: OrcptOptions = {}): OriginalRecipient {
  const semicolon = value.indexOf(';');
  if (semicolon < 0) throw xtextError('ORCPT needs addr-type ";" address (RFC 3461 §4.2)', 0);
  const type = value.slice(0, semicolon);
  if (!ATOM.test(type)) throw xtextError('ORCPT addr-type must be an atom (RFC 3461 §4.2)', 0);
  const encoded = value.slice(semicolon + 1);
  // RFC 3461 §4.2 names the parameter's content an "original recipient address": without an
  // address there is nothing to report, so an empty one is refused.
  if (encoded === '') {
    throw xtextError('ORCPT address is empty (RFC 3461 §4.2)', semicolon + 1);
  }
  const addrType = type.toLowerCase();
  if (addrType !== 'utf-8') {
    return {
      addrType,
      address: options.smtputf8 === true ? decodeUtf8Xtext(encoded) : decodeXtext(encoded),
    };
  }
  // RFC 6533 §3: utf-8-addr-xtext is "Safe for use in the ORCPT [RFC3461] parameter even when
  // SMTPUTF8 SMTP extension is not advertised"; utf-8-addr-unitext only "when SMTPUTF8 SMTP
  // extension is also advertised", and utf-8-address is a Mailbox as RFC 6531 writes it. Without
  // SMTPUTF8 the value is RFC 3461 §4.2 `addr-type ";" xtext`: only the xtext form is read.
  if (options.smtputf8 !== true) return { addrType, address: decodeUtf8AddrXtext(encoded) };
  try {
    return { addrType, address: decodeUtf8AddrUnitext(encoded) };
  } catch (error) {
    // utf-8-address: a Mailbox as written (it may hold "+", which QCHAR leaves out), with no
    // "\x{...}" escape, printable.
    if (isRawUtf8Address(encoded)) return { addrType, address: encoded };
    throw error;
  }
}

/**
 * xtext in an SMTPUTF8 transaction: RFC 6531 §3.3 lets an esmtp-value hold UTF8-non-ascii, so
 * non-ASCII characters stand for themselves between the ASCII xtext runs (Postfix relays a
 * UTF-8 recipient as `ORCPT=rfc822;` and the address as is).
 */
function decodeUtf8Xtext(text: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) < 0x80) continue;
    if (i > run) out += decodeXtext(text.slice(run, i));
    if (i < text.length) {
      const code = text.codePointAt(i) as number;
      // Controls of the C1 range are not text (RFC 6532 §3.2 excludes them from UTF8-non-ascii use).
      if (code < 0xa0) throw xtextError('control character in ORCPT (RFC 6531 §3.3)', i);
      const char = String.fromCodePoint(code);
      out += char;
      i += char.length - 1;
    }
    run = i + 1;
  }
  return out;
}

/** RFC 6533 §3 utf-8-address as it can stand in an esmtp-value (RFC 6531 §3.3), SMTPUTF8 in use. */
function isRawUtf8Address(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c || code === 0x3d) return false;
    if (code >= 0x21 && code <= 0x7e) continue;
    if (code < 0x80) return false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}

/**
 * Formats an ORCPT parameter value: `rfc822;` and xtext for an ASCII address, `utf-8;` and the
 * RFC 6533 form for a non-ASCII one (utf-8-addr-xtext, or utf-8-addr-unitext under SMTPUTF8).
 * An explicit `addrType` is kept; `utf-8` selects the RFC 6533 encoding.
 *
 * @example
 * ```ts
 * import { formatOrcpt } from '@smtpkit/wire';
 * formatOrcpt({ address: 'e=mc2@example.com' }); // "rfc822;e+3Dmc2@example.com"
 * formatOrcpt({ address: 'e=mc2@ドメ.jp' }); // "utf-8;e\\x{3D}mc2@\\x{30C9}\\x{30E1}.jp"
 * ```
 */
export function formatOrcpt(
  recipient: { readonly addrType?: string; readonly address: string },
  options: OrcptOptions = {},
): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  const ascii = /^[\x00-\x7f]*$/.test(recipient.address);
  const addrType = recipient.addrType ?? (ascii ? 'rfc822' : 'utf-8');
  if (!ATOM.test(addrType)) {
    throw xtextError('ORCPT addr-type must be an atom (RFC 3461 §4.2)', 0);
  }
  if (addrType.toLowerCase() === 'utf-8') {
    const encode = options.smtputf8 ? encodeUtf8AddrUnitext : encodeUtf8AddrXtext;
    return `${addrType};${encode(recipient.address)}`;
  }
  if (recipient.address === '') throw xtextError('ORCPT address is empty (RFC 3461 §4.2)', 0);
  return `${addrType};${encodeXtext(recipient.address)}`;
}
