import { decodeUtf8AddrUnitext, encodeUtf8AddrUnitext, encodeUtf8AddrXtext } from '@smtpkit/wire';
import { DsnError } from './dsn-error.js';
import type { DiagnosticCode, MtaName, TypedAddress } from './dsn-types.js';
import { hasNonAscii } from './header-field.js';

// RFC 3464 §2.1.2: address-type = atom (RFC 822 §3.3: any CHAR except specials, SPACE and CTLs).
const ATOM = /^[!#$%&'*+\-/0-9=?A-Z^_`a-z{|}~]+$/;

function checkType(kind: string, type: string): string {
  if (!ATOM.test(type)) {
    throw new DsnError(
      'ERR_DSN_MISUSE_FIELD',
      `${kind} "${type}" is not an atom (RFC 3464 §2.1.2)`,
    );
  }
  return type.toLowerCase();
}

/**
 * Writes `address-type "; " generic-address` (RFC 3464 §2.3.1, §2.3.2).
 *
 * RFC 6533 §3 adds the `utf-8` address type: `utf-8-type-addr = "utf-8;" utf-8-enc-addr` with
 * `utf-8-enc-addr = utf-8-addr-xtext / utf-8-addr-unitext / utf-8-address`. A non-ASCII address
 * is always written with that type. In a message/delivery-status (ASCII only) it takes the 7-bit
 * utf-8-addr-xtext form (`\x{HEXPOINT}` escapes); in a message/global-delivery-status it stands
 * as it is (utf-8-address), unless it holds a backslash, which utf-8-addr-unitext escapes so that
 * no reader takes it for the start of an escape.
 */
export function formatTypedAddress(address: TypedAddress, global: boolean): string {
  const type = checkType('address-type', address.addrType);
  if (address.address === '') {
    throw new DsnError('ERR_DSN_MISUSE_FIELD', 'an address cannot be empty');
  }
  if (type !== 'utf-8' && !hasNonAscii(address.address)) return `${type}; ${address.address}`;
  try {
    if (!global) return `utf-8; ${encodeUtf8AddrXtext(address.address)}`;
    if (address.address.includes('\\')) return `utf-8; ${encodeUtf8AddrUnitext(address.address)}`;
  } catch (cause) {
    throw new DsnError('ERR_DSN_MISUSE_FIELD', `address cannot be written: ${address.address}`, {
      cause,
    });
  }
  return `utf-8; ${address.address}`;
}

/** Splits `type ";" rest` at the first ";" (type trimmed and lower-cased, rest trimmed). */
function splitTyped(value: string): { type: string; rest: string } | undefined {
  const semicolon = value.indexOf(';');
  if (semicolon < 0) return undefined;
  const type = value.slice(0, semicolon).trim().toLowerCase();
  if (!ATOM.test(type)) return undefined;
  return { type, rest: value.slice(semicolon + 1).trim() };
}

/**
 * Reads `address-type ";" generic-address`. A `utf-8` address is decoded from the RFC 6533
 * forms (a backslash starts a `\x{…}` escape; a value that does not decode is kept as written);
 * an address wrapped in angle brackets, as some MTAs write it, is unwrapped. A value without a
 * type (no ";") is read as `rfc822`, as most readers do. Undefined for an empty address.
 */
export function parseTypedAddress(value: string): TypedAddress | undefined {
  const typed = splitTyped(value) ?? { type: 'rfc822', rest: value.trim() };
  let address = typed.rest;
  if (address.length > 2 && address.startsWith('<') && address.endsWith('>')) {
    address = address.slice(1, -1).trim();
  }
  if (address === '') return undefined;
  if (typed.type === 'utf-8' && address.includes('\\')) {
    try {
      address = decodeUtf8AddrUnitext(address);
    } catch {
      // Not an RFC 6533 encoding: the address as written.
    }
  }
  return { addrType: typed.type, address };
}

/** Writes `mta-name-type "; " mta-name` (RFC 3464 §2.2.2). */
export function formatMtaName(mta: MtaName): string {
  return `${checkType('mta-name-type', mta.type)}; ${mta.name}`;
}

/** Reads `mta-name-type ";" mta-name`; a value without a type is read as `dns`. */
export function parseMtaName(value: string): MtaName | undefined {
  const typed = splitTyped(value) ?? { type: 'dns', rest: value.trim() };
  return typed.rest === '' ? undefined : { type: typed.type, name: typed.rest };
}

/** Writes `diagnostic-type "; " *text` (RFC 3464 §2.3.6). */
export function formatDiagnostic(diagnostic: DiagnosticCode): string {
  return `${checkType('diagnostic-type', diagnostic.type)}; ${diagnostic.text}`;
}

/** Reads `diagnostic-type ";" *text`; a value without a type is read as `smtp`. */
export function parseDiagnostic(value: string): DiagnosticCode {
  const typed = splitTyped(value) ?? { type: 'smtp', rest: value.trim() };
  return { type: typed.type, text: typed.rest };
}
