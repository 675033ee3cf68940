/*
 * RFC 4648 §4: the base 64 alphabet A–Z a–z 0–9 + /, "=" padding to a multiple of 4 characters.
 * RFC 4954 §4 (in substance): a client response the server cannot base64-decode makes it reject
 * the AUTH command with 501 (enhanced code 5.5.2, §6). So decoding here is strict: no whitespace,
 * no missing padding, no characters outside the alphabet.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function sextet(c: number): number {
  return c < 128 ? (DECODE[c] ?? -1) : -1;
}

/**
 * Decodes strict RFC 4648 base64; returns `undefined` for anything that is not exactly that.
 *
 * @example
 * ```ts
 * decodeBase64Strict('dGVzdA=='); // Uint8Array [0x74, 0x65, 0x73, 0x74]
 * decodeBase64Strict('dGVzdA');   // undefined (padding missing)
 * ```
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n % 4 !== 0) return undefined;
  if (n === 0) return new Uint8Array(0);
  let pad = 0;
  if (text.charCodeAt(n - 1) === 0x3d) pad = text.charCodeAt(n - 2) === 0x3d ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  const body = n - (pad === 0 ? 0 : 4);
  let o = 0;
  for (let i = 0; i < body; i += 4) {
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    const c = sextet(text.charCodeAt(i + 2));
    const d = sextet(text.charCodeAt(i + 3));
    if ((a | b | c | d) < 0) return undefined;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = triple >> 16;
    out[o++] = (triple >> 8) & 0xff;
    out[o++] = triple & 0xff;
  }
  if (pad > 0) {
    // The last quantum: "xx==" carries one byte, "xxx=" two.
    const a = sextet(text.charCodeAt(body));
    const b = sextet(text.charCodeAt(body + 1));
    const c = pad === 1 ? sextet(text.charCodeAt(body + 2)) : 0;
    if ((a | b | c) < 0) return undefined;
    const triple = (a << 18) | (b << 12) | (c << 6);
    out[o++] = triple >> 16;
    if (pad === 1) out[o++] = (triple >> 8) & 0xff;
  }
  return out;
}

/**
 * Encodes bytes (or a string, as UTF-8) to padded RFC 4648 base64.
 *
 * @example
 * ```ts
 * encodeBase64('test'); // 'dGVzdA=='
 * ```
 */
export function encodeBase64(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? utf8Encode(data) : data;
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const t = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s +=
      ALPHABET.charAt((t >> 18) & 63) +
      ALPHABET.charAt((t >> 12) & 63) +
      ALPHABET.charAt((t >> 6) & 63) +
      ALPHABET.charAt(t & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const t = (bytes[i] ?? 0) << 16;
    s += `${ALPHABET.charAt((t >> 18) & 63)}${ALPHABET.charAt((t >> 12) & 63)}==`;
  } else if (rest === 2) {
    const t = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    s += `${ALPHABET.charAt((t >> 18) & 63)}${ALPHABET.charAt((t >> 12) & 63)}${ALPHABET.charAt((t >> 6) & 63)}=`;
  }
  return s;
}

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8 bytes of a string.
 *
 * @example
 * ```ts
 * utf8Encode('é'); // Uint8Array [0xc3, 0xa9]
 * ```
 */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Decodes UTF-8, returning `undefined` for ill-formed input (RFC 3629) rather than inserting
 * U+FFFD, so a mechanism can refuse it.
 *
 * @example
 * ```ts
 * utf8DecodeStrict(new Uint8Array([0xc3, 0xa9])); // 'é'
 * utf8DecodeStrict(new Uint8Array([0xc3]));       // undefined
 * ```
 */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return fatalDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
