import { DsnError } from './dsn-error.js';
import type { DsnField } from './dsn-types.js';

export const CRLF = '\r\n';
/** RFC 5322 §2.1.1: "Each line of characters MUST be no more than 998 characters … excluding the CRLF". */
export const MAX_LINE_OCTETS = 998;
/** RFC 5322 §2.1.1: "… SHOULD be no more than 78 characters, excluding the CRLF". */
export const FOLD_OCTETS = 78;

const encoder = new TextEncoder();

/** UTF-8 length of a string, in octets (the unit the line limits count). */
export function octets(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const NON_ASCII = /[^\x00-\x7f]/;
/** Whether a string holds a character outside ASCII. */
export const hasNonAscii = (text: string): boolean => NON_ASCII.test(text);

// RFC 5322 §3.6.8: field-name = 1*ftext; ftext = %d33-57 / %d59-126 (printable except ":").
const FIELD_NAME = /^[!-9;-~]+$/;

/**
 * Refuses a value that cannot stand in a field: CR, LF and NUL would end or corrupt the line
 * (RFC 3464 §2.3.2: addresses are reported "exactly … unless that address contains characters
 * such as CR or LF which are not allowed in a DSN field").
 */
export function checkFieldValue(name: string, value: string): void {
  if (!FIELD_NAME.test(name)) {
    throw new DsnError('ERR_DSN_MISUSE_FIELD', `"${name}" is not a field name (RFC 5322 §3.6.8)`);
  }
  if (/[\r\n\0]/.test(value)) {
    throw new DsnError('ERR_DSN_MISUSE_FIELD', `${name}: CR, LF or NUL cannot stand in a field`);
  }
}

/**
 * Splits a line longer than 998 octets by inserting CRLF SP at character boundaries: the last
 * resort for a run with no white space to fold at (it adds one space to the unfolded value).
 */
function hardSplit(line: string): string[] {
  const lines: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const n = octets(char);
    if (size + n > MAX_LINE_OCTETS) {
      lines.push(current);
      current = ` ${char}`;
      size = 1 + n;
    } else {
      current += char;
      size += n;
    }
  }
  lines.push(current);
  return lines;
}

/**
 * Writes lines of at most 78 octets where the text allows and never more than 998. Folding
 * (RFC 5322 §2.2.3) inserts CRLF before a white space character that is followed by a
 * non-white one, so no line is white space only and unfolding gives the text back.
 */
export function foldLine(line: string): string {
  if (octets(line) <= FOLD_OCTETS) return line;
  const pieces = line.split(/(?=[ \t][^ \t])/);
  const lines: string[] = [];
  let current = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    if (octets(current) + octets(piece) <= FOLD_OCTETS) current += piece;
    else {
      lines.push(current);
      current = piece;
    }
  }
  lines.push(current);
  return lines.flatMap((l) => (octets(l) > MAX_LINE_OCTETS ? hardSplit(l) : [l])).join(CRLF);
}

/** `Name: value` CRLF, folded, after refusing what cannot stand in a field. */
export function formatField(name: string, value: string): string {
  checkFieldValue(name, value);
  return `${foldLine(`${name}: ${value}`)}${CRLF}`;
}

/**
 * Unfolds a header section (RFC 5322 §2.2.3): a line break followed by white space continues the
 * field. A break followed by one white space character is removed alone, as the RFC says; a break
 * followed by an indent of several (Postfix indents with four spaces) leaves a single space, so a
 * value reads the same however its writer folded it.
 */
export function unfold(text: string): string {
  return text.replace(/\r?\n([ \t]+)/g, (_, indent: string) =>
    indent.length === 1 ? indent : ' ',
  );
}

/**
 * The fields of a header section (text up to, not including, the blank line): name and unfolded
 * value, trimmed. Lines without a colon are skipped (tolerance for broken writers).
 */
export function parseFields(section: string): DsnField[] {
  const fields: DsnField[] = [];
  for (const line of unfold(section).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!FIELD_NAME.test(name)) continue;
    fields.push({ name, value: line.slice(colon + 1).trim() });
  }
  return fields;
}

/** The value of the first field named `name` (case-insensitive), or undefined. */
export function fieldValue(fields: readonly DsnField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value;
}
