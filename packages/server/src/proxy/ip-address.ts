/*
 * Textual IP addresses, parsed by linear scanning.
 * haproxy proxy-protocol.txt §2.1: "IPv4 addresses must be indicated as a series of exactly 4
 * integers in the range [0..255] inclusive written in decimal representation separated by exactly
 * one dot between each other. Heading zeroes are not permitted in front of numbers in order to
 * avoid any possible confusion with octal numbers. IPv6 addresses must be indicated as series of
 * sets of 4 hexadecimal digits (upper or lower case) delimited by colons between each other, with
 * the acceptance of one double colon sequence to replace the largest acceptable range of
 * consecutive zeroes. The total number of decoded bits must exactly be 128."
 * RFC 4291 §2.2 allows 1 to 4 hex digits a group and a dotted IPv4 tail (form 3); RFC 5952 §4
 * gives the canonical text form used for output.
 */

/**
 * Parses dotted-quad IPv4 without leading zeros; `undefined` otherwise.
 *
 * @example
 * ```ts
 * parseIPv4('192.168.0.1'); // Uint8Array [192, 168, 0, 1]
 * parseIPv4('192.168.0.01'); // undefined
 * ```
 */
export function parseIPv4(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let value = -1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return undefined; // heading zero
      value = Math.max(value, 0) * 10 + (c - 0x30);
      digits++;
      if (value > 255) return undefined;
    } else if (c === 0x2e) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = value;
      value = -1;
      digits = 0;
    } else return undefined;
  }
  return part === 4 ? out : undefined;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Parses an IPv6 address (RFC 4291 §2.2; with `allowIPv4Tail` the dotted form 3 too); returns its
 * 16 bytes or `undefined`. No zone index, no brackets.
 *
 * @example
 * ```ts
 * parseIPv6('2001:db8::1'); // 16 bytes
 * parseIPv6('::ffff:192.0.2.1', { allowIPv4Tail: true }); // 16 bytes
 * ```
 */
export function parseIPv6(
  text: string,
  options: { readonly allowIPv4Tail?: boolean } = {},
): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
    if (i === text.length) return new Uint8Array(16);
  } else if (text.charCodeAt(0) === 0x3a) return undefined;
  while (i < text.length) {
    // A dotted IPv4 tail takes the last 32 bits.
    const nextColon = text.indexOf(':', i);
    const field = text.slice(i, nextColon < 0 ? text.length : nextColon);
    if (nextColon < 0 && field.includes('.')) {
      if (options.allowIPv4Tail !== true) return undefined;
      const v4 = parseIPv4(field);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      break;
    }
    if (field.length === 0 || field.length > 4) return undefined;
    let value = 0;
    for (let j = 0; j < field.length; j++) {
      const h = hexValue(field.charCodeAt(j));
      if (h < 0) return undefined;
      value = (value << 4) | h;
    }
    groups.push(value);
    if (nextColon < 0) break;
    i = nextColon + 1;
    if (text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return undefined; // a second "::"
      gap = groups.length;
      i++;
      if (i === text.length) break;
    } else if (i === text.length) return undefined; // trailing single ':'
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  const out = new Uint8Array(16);
  const tail = gap < 0 ? [] : groups.splice(gap);
  groups.forEach((g, k) => {
    out[k * 2] = g >> 8;
    out[k * 2 + 1] = g & 0xff;
  });
  const start = 8 - tail.length;
  tail.forEach((g, k) => {
    out[(start + k) * 2] = g >> 8;
    out[(start + k) * 2 + 1] = g & 0xff;
  });
  return out;
}

/**
 * Dotted-quad text of 4 bytes.
 *
 * @example
 * ```ts
 * formatIPv4(Uint8Array.from([192, 0, 2, 1])); // '192.0.2.1'
 * ```
 */
export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * RFC 5952 §4 canonical text of 16 bytes: lower case, no leading zeros, the longest run (first
 * on ties) of two or more zero groups shortened to "::".
 *
 * @example
 * ```ts
 * formatIPv6(parseIPv6('2001:0DB8:0:0:0:0:0:1')!); // '2001:db8::1'
 * ```
 */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let k = 0; k < 8; k++) groups.push(((bytes[k * 2] ?? 0) << 8) | (bytes[k * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && groups[end] === 0) end++;
    if (end - k > bestLength) {
      bestStart = k;
      bestLength = end - k;
    }
    k = end;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** A parsed IP address: family and bytes. */
export interface IpAddress {
  readonly family: 'ipv4' | 'ipv6';
  readonly bytes: Uint8Array;
}

/**
 * Parses IPv4 or IPv6 text (IPv6 with an optional dotted tail); `undefined` if neither.
 *
 * @example
 * ```ts
 * parseIpAddress('::1')?.family; // 'ipv6'
 * ```
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 'ipv4', bytes: v4 };
  const v6 = parseIPv6(text, { allowIPv4Tail: true });
  return v6 === undefined ? undefined : { family: 'ipv6', bytes: v6 };
}
