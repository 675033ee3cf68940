import { AddressError } from './address-error.js';
import type { AddressOptions } from './address-limits.js';
import {
  isAtextAscii,
  isQtextAscii,
  isQuotedPairChar,
  nonAsciiWidth,
  utf8Length,
} from './char-classes.js';
import { contextFor, fail, failNonAscii, type ScanContext } from './scan-context.js';

/**
 * How a local part was written on the wire.
 *
 * @example
 * ```ts
 * import { scanLocalPart } from '@smtpkit/address';
 * scanLocalPart('"a"@b').form; // 'quoted-string'
 * ```
 */
export type LocalPartForm = 'dot-string' | 'quoted-string';

/**
 * A scanned local part: `value` is decoded (quotes and backslashes removed), `end` is the index just
 * past it, `form` says whether it was a Dot-string or a Quoted-string.
 *
 * @example
 * ```ts
 * import { type LocalPartScan, scanLocalPart } from '@smtpkit/address';
 * const s: LocalPartScan = scanLocalPart('"a b"@c'); // { value: 'a b', end: 5, form: 'quoted-string' }
 * ```
 */
export interface LocalPartScan {
  readonly value: string;
  readonly end: number;
  readonly form: LocalPartForm;
}

const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

/**
 * RFC 5321 §4.1.2:
 *   Local-part = Dot-string / Quoted-string
 *                ; MAY be case-sensitive
 * Scans a Local-part at `start` (the caller checks what follows it).
 */
export function scanLocalPartAt(input: string, start: number, ctx: ScanContext): LocalPartScan {
  const scanned =
    input.charCodeAt(start) === DQUOTE
      ? quotedString(input, start, ctx)
      : dotString(input, start, ctx);
  if (utf8Length(input, start, scanned.end) > ctx.limits.localPart) {
    fail(ctx, 'ERR_ADDRESS_LOCAL_PART_TOO_LONG', 'local part too long', start);
  }
  return scanned;
}

/**
 * RFC 5321 §4.1.2:
 *   Dot-string = Atom *("."  Atom)
 *   Atom       = 1*atext
 * RFC 6531 §3.3: atext =/ UTF8-non-ascii (only with SMTPUTF8).
 */
function dotString(input: string, start: number, ctx: ScanContext): LocalPartScan {
  const n = input.length;
  let i = start;
  let atomStart = i;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c < 0x80) {
      if (isAtextAscii(c)) {
        i++;
      } else if (c === DOT) {
        if (i === atomStart) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'empty atom in local part', i);
        i++;
        atomStart = i;
      } else break;
    } else {
      const w = nonAsciiWidth(input, i);
      if (w === 0 || !ctx.smtputf8) failNonAscii(ctx, w, i);
      i += w;
    }
  }
  if (i === atomStart) {
    fail(
      ctx,
      'ERR_ADDRESS_SYNTAX',
      i === start ? 'empty local part' : 'local part ends with "."',
      i,
    );
  }
  return { value: input.slice(start, i), end: i, form: 'dot-string' };
}

/**
 * RFC 5321 §4.1.2:
 *   Quoted-string   = DQUOTE *QcontentSMTP DQUOTE
 *   QcontentSMTP    = qtextSMTP / quoted-pairSMTP
 *   quoted-pairSMTP = %d92 %d32-126
 *                     ; i.e., backslash followed by any ASCII graphic (including itself) or SPace
 *   qtextSMTP       = %d32-33 / %d35-91 / %d93-126
 * RFC 6531 §3.3: qtextSMTP =/ UTF8-non-ascii (only with SMTPUTF8; quoted-pairSMTP stays ASCII).
 */
function quotedString(input: string, start: number, ctx: ScanContext): LocalPartScan {
  const n = input.length;
  let i = start + 1;
  let segment = i;
  let value = '';
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === DQUOTE) {
      value += input.slice(segment, i);
      return { value, end: i + 1, form: 'quoted-string' };
    }
    if (c === BACKSLASH) {
      if (i + 1 >= n) break;
      const next = input.charCodeAt(i + 1);
      if (!isQuotedPairChar(next)) {
        if (next >= 0x80 && !ctx.smtputf8) failNonAscii(ctx, nonAsciiWidth(input, i + 1), i + 1);
        fail(ctx, 'ERR_ADDRESS_SYNTAX', 'invalid quoted-pair', i);
      }
      value += input.slice(segment, i);
      i += 2;
      segment = i - 1;
      continue;
    }
    if (c < 0x80) {
      if (!isQtextAscii(c))
        fail(ctx, 'ERR_ADDRESS_SYNTAX', 'invalid character in quoted string', i);
      i++;
    } else {
      const w = nonAsciiWidth(input, i);
      if (w === 0 || !ctx.smtputf8) failNonAscii(ctx, w, i);
      i += w;
    }
  }
  return fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unterminated quoted string', i);
}

/**
 * Scans an RFC 5321 Local-part (RFC 6531 with `smtputf8`) starting at `start`, and reports how it
 * was written. Throws {@link AddressError}.
 *
 * @example
 * ```ts
 * import { scanLocalPart } from '@smtpkit/address';
 * scanLocalPart('"john\\"doe"@example.org'); // { value: 'john"doe', end: 11, form: 'quoted-string' }
 * ```
 */
export function scanLocalPart(input: string, start = 0, options?: AddressOptions): LocalPartScan {
  return scanLocalPartAt(input, start, contextFor(options, 'recipient'));
}

/**
 * True when `value` can be written as an RFC 5321 Dot-string (RFC 6531 atext: any non-ASCII
 * character counts as atext).
 *
 * @example
 * ```ts
 * import { isDotString } from '@smtpkit/address';
 * isDotString('a.b'); // true
 * isDotString('a..b'); // false
 * ```
 */
export function isDotString(value: string): boolean {
  const n = value.length;
  if (n === 0) return false;
  let atomStart = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === DOT) {
      if (i === atomStart) return false;
      atomStart = i + 1;
    } else if (c < 0x80) {
      if (!isAtextAscii(c)) return false;
    } else {
      const w = nonAsciiWidth(value, i);
      if (w === 0) return false;
      i += w - 1;
    }
  }
  return atomStart < n;
}

/**
 * Writes a decoded local part in its canonical wire form. RFC 5321 §4.1.2: "a Quoted-string
 * that can be represented as a Dot-string SHOULD be sent as such". Otherwise a Quoted-string with
 * only `"` and `\` escaped. Throws {@link AddressError} for characters no Quoted-string can carry:
 * `ERR_ADDRESS_MISUSE_INJECTION` for CR, LF or NUL, `ERR_ADDRESS_MISUSE_INVALID_ARGUMENT` for other
 * controls, DEL and lone surrogates.
 *
 * @example
 * ```ts
 * import { formatLocalPart } from '@smtpkit/address';
 * formatLocalPart('john.doe'); // 'john.doe'
 * formatLocalPart('john doe'); // '"john doe"'
 * formatLocalPart('a"b'); // '"a\\"b"'
 * ```
 */
export function formatLocalPart(value: string): string {
  if (typeof value !== 'string')
    throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'local part must be a string');
  if (isDotString(value)) return value;
  let out = '"';
  let segment = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE || c === BACKSLASH) {
      out += `${value.slice(segment, i)}\\`;
      segment = i;
    } else if (c === 0x0d || c === 0x0a || c === 0x00) {
      // CR, LF or NUL would end the command line and let the value forge another command.
      throw new AddressError('ERR_ADDRESS_MISUSE_INJECTION', `local part contains U+${hex4(c)}`);
    } else if (c < 0x20 || c === 0x7f) {
      throw new AddressError(
        'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT',
        `local part contains control character U+${hex4(c)}`,
      );
    } else if (c >= 0x80) {
      const w = nonAsciiWidth(value, i);
      if (w === 0)
        throw new AddressError(
          'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT',
          'local part contains a lone surrogate',
        );
      i += w - 1;
    }
  }
  return `${out + value.slice(segment)}"`;
}

function hex4(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}
