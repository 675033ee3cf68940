import { ServerError } from '../server-error.js';
import { type IpAddress, parseIpAddress } from './ip-address.js';

/*
 * RFC 4632 §3.1: a prefix "a.b.c.d/n" matches the addresses whose first n bits equal those of
 * a.b.c.d; RFC 4291 §2.3 writes IPv6 prefixes the same way. An entry without "/n" is one host.
 * RFC 4291 §2.5.5.2: an IPv4-mapped IPv6 address (::ffff:a.b.c.d), which dual-stack sockets
 * report for IPv4 peers, is matched as the IPv4 address it carries.
 */

/** One parsed allow-list entry. */
export interface CidrBlock {
  readonly family: 'ipv4' | 'ipv6';
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/**
 * Parses `address[/prefix]`; throws `ServerError('ERR_SERVER_MISUSE_OPTIONS')` for a bad entry, since an
 * allow-list is configuration.
 *
 * @example
 * ```ts
 * parseCidr('10.0.0.0/8'); // { family: 'ipv4', bytes: [10,0,0,0], prefix: 8 }
 * ```
 */
export function parseCidr(entry: string): CidrBlock {
  const slash = entry.indexOf('/');
  const address = parseIpAddress(slash < 0 ? entry : entry.slice(0, slash));
  if (address === undefined)
    throw new ServerError('ERR_SERVER_MISUSE_OPTIONS', `bad allow-list entry '${entry}'`);
  const max = address.family === 'ipv4' ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const text = entry.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(text) || Number(text) > max)
      throw new ServerError('ERR_SERVER_MISUSE_OPTIONS', `bad prefix length in '${entry}'`);
    prefix = Number(text);
  }
  return { family: address.family, bytes: address.bytes, prefix };
}

function unmapped(address: IpAddress): IpAddress {
  const b = address.bytes;
  if (address.family !== 'ipv6') return address;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return address;
  if (b[10] !== 0xff || b[11] !== 0xff) return address;
  return { family: 'ipv4', bytes: b.subarray(12) };
}

function inBlock(address: IpAddress, block: CidrBlock): boolean {
  if (address.family !== block.family) return false;
  const whole = block.prefix >> 3;
  for (let i = 0; i < whole; i++) if (address.bytes[i] !== block.bytes[i]) return false;
  const bits = block.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((address.bytes[whole] ?? 0) & mask) === ((block.bytes[whole] ?? 0) & mask);
}

/** A compiled allow-list. */
export interface AllowList {
  /** Whether `remoteAddress` (IPv4, IPv6 or IPv4-mapped IPv6 text) is in the list. */
  allows(remoteAddress: string): boolean;
}

/**
 * Compiles CIDR entries once, for the per-connection check.
 *
 * @example
 * ```ts
 * const trusted = createAllowList(['127.0.0.1/8', '::1', '10.0.0.0/8']);
 * trusted.allows('::ffff:127.0.0.2'); // true
 * ```
 */
export function createAllowList(entries: readonly string[]): AllowList {
  const blocks = entries.map(parseCidr);
  return {
    allows(remoteAddress: string): boolean {
      const parsed = parseIpAddress(remoteAddress);
      if (parsed === undefined) return false;
      const address = unmapped(parsed);
      return blocks.some((block) => inBlock(address, block));
    },
  };
}

/**
 * Whether `remoteAddress` matches one of the CIDR `entries`. An unparsable remote address is
 * never allowed.
 *
 * @example
 * ```ts
 * isAllowed('127.0.0.1', ['127.0.0.1/8', '::1']); // true
 * isAllowed('192.0.2.7', ['127.0.0.1/8', '::1']); // false
 * ```
 */
export function isAllowed(remoteAddress: string, entries: readonly string[]): boolean {
  return createAllowList(entries).allows(remoteAddress);
}
