import type { DsnField } from './dsn-types.js';
import { fieldValue, parseFields } from './header-field.js';

const latin1 = new TextDecoder('latin1');
const utf8Text = new TextDecoder('utf-8');

/**
 * Bytes as a string of one UTF-16 unit per octet, so that string offsets are byte offsets and
 * ASCII reads as itself: what the structure scans (line ends, delimiters) need. WHATWG's `latin1`
 * decoder is windows-1252, which maps every octet to one BMP character (0x80–0x9F to other ones
 * than ISO 8859-1 would): the length holds, and it runs natively.
 */
export function binaryString(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}

/** A MIME entity: its header fields and the byte range of its body within the whole input. */
export interface MimeEntity {
  readonly fields: readonly DsnField[];
  readonly body: Uint8Array;
}

/**
 * Splits an entity at the first empty line (RFC 5322 §2.1: "header fields … followed by an empty
 * line … followed by the body"; RFC 2046 §5.1.1: a part may have no header fields at all, its
 * body starting after an empty line). Undefined when no empty line ends the header section.
 */
export function splitEntity(bytes: Uint8Array, text = binaryString(bytes)): MimeEntity | undefined {
  if (text.startsWith('\r\n') || text.startsWith('\n')) {
    return { fields: [], body: bytes.subarray(text[0] === '\r' ? 2 : 1) };
  }
  const match = /\r?\n\r?\n/.exec(text);
  if (match === null) return undefined;
  // RFC 6532 §3.2: header fields may hold UTF-8; they are read as UTF-8 text.
  return {
    fields: parseFields(utf8Text.decode(bytes.subarray(0, match.index))),
    body: bytes.subarray(match.index + match[0].length),
  };
}

/** RFC 2045 §5.1 Content-Type, lower-cased type/subtype and parameters (names lower-case). */
export interface ContentType {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Reads a Content-Type value (RFC 2045 §5.1): `type "/" subtype *(";" parameter)`, parameter
 * values as tokens or quoted strings, comments left out. Absent or unreadable: `text/plain`
 * (RFC 2045 §5.2's default).
 */
export function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (value === undefined) return { type: 'text/plain', params };
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (depth > 0) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth = 1;
    else if (c === ';') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  const type = (parts[0] ?? '').trim().toLowerCase();
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return { type: /^[^/\s]+\/[^/\s]+$/.test(type) ? type : 'text/plain', params };
}

/** The Content-Type of an entity's fields. */
export const contentTypeOf = (fields: readonly DsnField[]): ContentType =>
  parseContentType(fieldValue(fields, 'Content-Type'));

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/** RFC 2045 §6.8 base64, characters outside the alphabet ignored (as the RFC asks). */
function decodeBase64(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((body.length * 3) / 4) + 3);
  let n = 0;
  let bits = 0;
  let count = 0;
  for (const byte of body) {
    if (byte === 0x3d) break; // "=": padding, the end of the data
    const v = BASE64_VALUE[byte] ?? -1;
    if (v < 0) continue;
    bits = ((bits << 6) | v) & 0xffffff;
    count++;
    if (count === 4) {
      out[n++] = bits >> 16;
      out[n++] = (bits >> 8) & 0xff;
      out[n++] = bits & 0xff;
      count = 0;
    }
  }
  if (count === 2) out[n++] = (bits >> 4) & 0xff;
  else if (count === 3) {
    out[n++] = (bits >> 10) & 0xff;
    out[n++] = (bits >> 2) & 0xff;
  }
  return out.subarray(0, n);
}

const hex = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
};

/** RFC 2045 §6.7 quoted-printable: `=XX` octets and soft line breaks; anything else kept. */
function decodeQuotedPrintable(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte !== 0x3d) {
      out[n++] = byte;
      continue;
    }
    const hi = hex(body[i + 1]);
    const lo = hex(body[i + 2]);
    if (hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
      continue;
    }
    // A soft line break: "=" then optional transport padding then CRLF (or LF).
    let j = i + 1;
    while (body[j] === 0x20 || body[j] === 0x09) j++;
    if (body[j] === 0x0d && body[j + 1] === 0x0a) i = j + 1;
    else if (body[j] === 0x0a) i = j;
    else out[n++] = byte;
  }
  return out.subarray(0, n);
}

/** An entity's body with its Content-Transfer-Encoding (RFC 2045 §6) undone. */
export function decodedBody(entity: MimeEntity): Uint8Array {
  const cte = (fieldValue(entity.fields, 'Content-Transfer-Encoding') ?? '').trim().toLowerCase();
  if (cte === 'base64') return decodeBase64(entity.body);
  if (cte === 'quoted-printable') return decodeQuotedPrintable(entity.body);
  return entity.body;
}

/** Text of a decoded body in the charset its Content-Type names (UTF-8 when none is known). */
export function bodyText(bytes: Uint8Array, contentType: ContentType): string {
  const charset = contentType.params.get('charset')?.toLowerCase() ?? 'utf-8';
  try {
    return new TextDecoder(charset === 'us-ascii' ? 'utf-8' : charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * The body parts of a multipart body (RFC 2046 §5.1.1): the text between delimiter lines
 * `"--" boundary` (optional trailing white space), up to the close delimiter `"--" boundary "--"`
 * or the end of the input. The line break before a delimiter belongs to it, not to the part;
 * the preamble and epilogue are left out. Linear: one indexOf scan.
 */
export function splitMultipart(body: Uint8Array, boundary: string): Uint8Array[] {
  const text = binaryString(body);
  const delimiter = `--${boundary}`;
  const parts: Uint8Array[] = [];
  let partStart = -1;
  let from = 0;
  for (;;) {
    const at = text.indexOf(delimiter, from);
    if (at < 0) break;
    from = at + delimiter.length;
    if (at > 0 && text[at - 1] !== '\n') continue;
    // The rest of the delimiter line: "--" for the close delimiter, then transport padding.
    const close = text.startsWith('--', from);
    let end = close ? from + 2 : from;
    while (text[end] === ' ' || text[end] === '\t') end++;
    if (end < text.length && text[end] !== '\r' && text[end] !== '\n') continue;
    if (partStart >= 0) {
      let partEnd = at;
      if (text[partEnd - 1] === '\n') partEnd--;
      if (text[partEnd - 1] === '\r') partEnd--;
      parts.push(body.subarray(partStart, Math.max(partStart, partEnd)));
    }
    if (close) return parts;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    partStart = end;
    from = end;
  }
  // No close delimiter (a truncated report): the last part runs to the end.
  if (partStart >= 0 && partStart < body.length) parts.push(body.subarray(partStart));
  return parts;
}
