/*
 * RFC 5802 §7 (Formal Syntax), the parts both sides share:
 *   attr-val        = ALPHA "=" value
 *   value           = 1*value-char
 *   value-safe-char = %x01-2B / %x2D-3C / %x3E-7F / UTF8-2 / UTF8-3 / UTF8-4
 *                     ;; UTF8-char except NUL, "=", and ",".
 *   value-char      = value-safe-char / "="
 *   printable       = %x21-2B / %x2D-7E ;; Printable ASCII except ",".
 *   saslname        = 1*(value-safe-char / "=2C" / "=3D")
 *                     ;; Conforms to <value>.
 *   base64-char     = ALPHA / DIGIT / "/" / "+"
 */

/** One `attr-val` of a SCRAM message, in order. */
export interface ScramAttribute {
  readonly name: string;
  readonly value: string;
}

/**
 * Splits `attr-val *("," attr-val)`; `undefined` when an element is not `ALPHA "=" value`.
 *
 * @example
 * ```ts
 * parseScramAttributes('r=abc,s=QSXC,i=4096'); // [{ name: 'r', value: 'abc' }, ...]
 * ```
 */
export function parseScramAttributes(text: string): ScramAttribute[] | undefined {
  const out: ScramAttribute[] = [];
  for (const part of text.split(',')) {
    const name = part.charCodeAt(0);
    const isAlpha = (name >= 0x41 && name <= 0x5a) || (name >= 0x61 && name <= 0x7a);
    if (!isAlpha || part.charCodeAt(1) !== 0x3d || part.length < 3 || part.includes('\0'))
      return undefined;
    out.push({ name: part[0] as string, value: part.slice(2) });
  }
  return out;
}

/**
 * Decodes a `saslname`: "=2C" is ",", "=3D" is "="; any other "=" makes it invalid.
 *
 * @example
 * ```ts
 * decodeSaslname('a=2Cb=3Dc'); // 'a,b=c'
 * decodeSaslname('a=b');       // undefined
 * ```
 */
export function decodeSaslname(text: string): string | undefined {
  if (text === '' || text.includes(',') || text.includes('\0')) return undefined;
  let out = '';
  let i = 0;
  for (;;) {
    const eq = text.indexOf('=', i);
    if (eq < 0) return out + text.slice(i);
    out += text.slice(i, eq);
    const code = text.slice(eq, eq + 3);
    if (code === '=2C') out += ',';
    else if (code === '=3D') out += '=';
    else return undefined;
    i = eq + 3;
  }
}

/**
 * Encodes a user name as a `saslname` ("," to "=2C", "=" to "=3D").
 *
 * @example
 * ```ts
 * encodeSaslname('a,b=c'); // 'a=2Cb=3Dc'
 * ```
 */
export function encodeSaslname(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

/** `1*printable`: printable ASCII except ",". */
export function isScramNonce(text: string): boolean {
  return /^[\x21-\x2b\x2d-\x7e]+$/.test(text);
}

/** XOR of two equal-length byte strings. */
export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}
