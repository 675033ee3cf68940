// Until @smtpkit/wire exports its xtext codec, the built-ins use this private one. It is not part
// of the public API.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function hexValue(c: number): number {
  // RFC 3461 §4: "two upper case hexadecimal digits"
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * RFC 3461 §4:
 *   xtext   = *( xchar / hexchar )
 *   xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+" and "="
 *   hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
 * Returns the decoded text, or `undefined` when `text` is not xtext or decodes to bytes that are
 * not UTF-8.
 */
export function decodeXtext(text: string): string | undefined {
  if (text.indexOf('+') === -1) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 33 || c > 126 || c === 0x3d) return undefined;
    }
    return text;
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      bytes.push(hi * 16 + lo);
      i += 2;
      continue;
    }
    if (c < 33 || c > 126 || c === 0x3d) return undefined;
    bytes.push(c);
  }
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/** The inverse of {@link decodeXtext}: xchar kept, everything else (by UTF-8 octet) as `+HH`. */
export function encodeXtext(text: string): string {
  let out = '';
  for (const b of encoder.encode(text)) {
    if (b >= 33 && b <= 126 && b !== 0x2b && b !== 0x3d) out += String.fromCharCode(b);
    else out += `+${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * RFC 6533 §3:
 *   utf-8-addr-xtext    = 1*(QCHAR / EmbeddedUnicodeChar)
 *   utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar)
 *   QCHAR               = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e
 *   QUCHAR              = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
 *   EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"
 * `unitext` allows raw non-ASCII (only when SMTPUTF8 is in effect). Escapes are accepted for any
 * Unicode scalar value written with 1 to 6 hex digits (either case).
 */
export function decodeUtf8AddrText(text: string, unitext: boolean): string | undefined {
  if (text.length === 0) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      if (text.charCodeAt(i + 1) !== 0x78 || text.charCodeAt(i + 2) !== 0x7b) return undefined;
      const close = text.indexOf('}', i + 3);
      const hex = close === -1 ? '' : text.slice(i + 3, close);
      if (hex.length < 1 || hex.length > 6 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
      const cp = Number.parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
      out += String.fromCodePoint(cp);
      i = close;
      continue;
    }
    if (c >= 0x21 && c <= 0x7e && c !== 0x2b && c !== 0x3d) {
      out += text[i];
      continue;
    }
    if (!unitext || c < 0x80) return undefined;
    // RFC 6531 UTF8-2/3/4 arrive here as code points; a lone surrogate is not one.
    const cp = text.codePointAt(i) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) return undefined;
    out += String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
  }
  return out;
}

/**
 * RFC 6533 §3 client side: the xtext form, non-ASCII and the characters QCHAR excludes (`+`, `=`,
 * `\`, controls, space) as `\x{HEX}`; with `unitext`, non-ASCII stays raw.
 */
export function encodeUtf8AddrText(text: string, unitext: boolean): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const qchar = cp >= 0x21 && cp <= 0x7e && cp !== 0x2b && cp !== 0x3d && cp !== 0x5c;
    if (qchar || (unitext && cp >= 0x80)) out += ch;
    else out += `\\x{${cp.toString(16).toUpperCase()}}`;
  }
  return out;
}
