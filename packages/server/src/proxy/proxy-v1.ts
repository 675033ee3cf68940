import { ServerError } from '../server-error.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-address.js';
import type { ProxyAddresses, ProxyHeader } from './proxy-header.js';

/*
 * proxy-protocol.txt §2.1 (version 1): one line of US-ASCII:
 *   "PROXY" SP ( "TCP4" / "TCP6" / "UNKNOWN" ) SP src-address SP dst-address SP src-port SP
 *   dst-port CRLF
 * "For 'UNKNOWN', the rest of the line before the CRLF may be omitted by the sender, and the
 * receiver must ignore anything presented before the CRLF is found."
 * "the TCP source port represented as a decimal integer in the range [0..65535] inclusive.
 * Heading zeroes are not permitted in front of numbers in order to avoid any possible confusion
 * with octal numbers."
 * "If the CRLF sequence is not found in the first 107 characters, the receiver should declare the
 * line invalid." "The receiver must not tolerate a single CR or LF character to end the line when
 * a complete CRLF sequence is expected."
 */

/** The longest v1 line, CRLF included (proxy-protocol.txt §2.1 worst case). */
export const PROXY_V1_MAX_LENGTH = 107;

const fail = (message: string): never => {
  throw new ServerError('ERR_SERVER_PROXY_V1_SYNTAX', `PROXY v1: ${message}`);
};

function port(text: string): number {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text)) fail(`bad port '${text}'`);
  const value = Number(text);
  if (value > 65535) fail(`port ${value} out of range`);
  return value;
}

/**
 * Parses one complete v1 line (`line` ends with CRLF and is at most 107 bytes).
 *
 * @example
 * ```ts
 * parseProxyV1Line(new TextEncoder().encode('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n'));
 * // { version: 1, command: 'proxy', addresses: { family: 'ipv4', sourceAddress: '192.168.0.1', ... } }
 * ```
 */
export function parseProxyV1Line(line: Uint8Array): ProxyHeader {
  if (line.length > PROXY_V1_MAX_LENGTH)
    throw new ServerError('ERR_SERVER_PROXY_V1_TOO_LONG', 'PROXY v1 line longer than 107 bytes');
  const n = line.length;
  if (n < 2 || line[n - 2] !== 0x0d || line[n - 1] !== 0x0a) fail('line does not end in CRLF');
  // "For 'UNKNOWN' ... the receiver must ignore anything presented before the CRLF": only a lone
  // CR or LF there is refused.
  const unknown = 'PROXY UNKNOWN';
  let isUnknown =
    n - 2 >= unknown.length && (n - 2 === unknown.length || line[unknown.length] === 0x20);
  for (let i = 0; isUnknown && i < unknown.length; i++)
    isUnknown = line[i] === unknown.charCodeAt(i);
  if (isUnknown) {
    for (let i = unknown.length; i < n - 2; i++)
      if (line[i] === 0x0d || line[i] === 0x0a) fail('lone CR or LF in line');
    return { version: 1, command: 'proxy', addresses: undefined, tlvs: [], length: n };
  }
  let text = '';
  for (let i = 0; i < n - 2; i++) {
    const c = line[i] ?? 0;
    // US-ASCII only; a CR or LF inside the line is a lone line ending.
    if (c < 0x20 || c > 0x7e) fail('non-printable byte in line');
    text += String.fromCharCode(c);
  }
  const header = (addresses: ProxyAddresses | undefined): ProxyHeader => ({
    version: 1,
    command: 'proxy',
    addresses,
    tlvs: [],
    length: n,
  });
  const parts = text.split(' ');
  if (parts.length !== 6 || parts[0] !== 'PROXY') fail('expected 6 space-separated fields');
  const [, protocol = '', src = '', dst = '', sport = '', dport = ''] = parts;
  let family: 'ipv4' | 'ipv6';
  let sourceAddress: string;
  let destinationAddress: string;
  if (protocol === 'TCP4') {
    const s = parseIPv4(src) ?? fail(`bad IPv4 source '${src}'`);
    const d = parseIPv4(dst) ?? fail(`bad IPv4 destination '${dst}'`);
    family = 'ipv4';
    sourceAddress = formatIPv4(s);
    destinationAddress = formatIPv4(d);
  } else if (protocol === 'TCP6') {
    const s = parseIPv6(src) ?? fail(`bad IPv6 source '${src}'`);
    const d = parseIPv6(dst) ?? fail(`bad IPv6 destination '${dst}'`);
    family = 'ipv6';
    sourceAddress = formatIPv6(s);
    destinationAddress = formatIPv6(d);
  } else {
    return fail(`unknown protocol '${protocol}'`);
  }
  return header({
    family,
    protocol: 'stream',
    sourceAddress,
    destinationAddress,
    sourcePort: port(sport),
    destinationPort: port(dport),
  });
}

/**
 * Serialises a v1 header (TCP4, TCP6, or UNKNOWN when `addresses` is undefined).
 *
 * @example
 * ```ts
 * encodeProxyV1({ family: 'ipv4', protocol: 'stream', sourceAddress: '192.0.2.1',
 *   destinationAddress: '192.0.2.2', sourcePort: 1234, destinationPort: 25 });
 * // 'PROXY TCP4 192.0.2.1 192.0.2.2 1234 25\r\n' as bytes
 * ```
 */
export function encodeProxyV1(addresses: ProxyAddresses | undefined): Uint8Array {
  if (addresses === undefined) return new TextEncoder().encode('PROXY UNKNOWN\r\n');
  if (addresses.family === 'unix' || addresses.protocol !== 'stream')
    throw new ServerError(
      'ERR_SERVER_MISUSE_OPTIONS',
      'PROXY v1 carries TCP over IPv4 or IPv6 only',
    );
  const family = addresses.family === 'ipv4' ? 'TCP4' : 'TCP6';
  const parse = addresses.family === 'ipv4' ? parseIPv4 : parseIPv6;
  const format = addresses.family === 'ipv4' ? formatIPv4 : formatIPv6;
  const s = parse(addresses.sourceAddress);
  const d = parse(addresses.destinationAddress);
  if (s === undefined || d === undefined)
    throw new ServerError(
      'ERR_SERVER_MISUSE_OPTIONS',
      'PROXY v1 address does not match its family',
    );
  return new TextEncoder().encode(
    `PROXY ${family} ${format(s)} ${format(d)} ${addresses.sourcePort ?? 0} ${addresses.destinationPort ?? 0}\r\n`,
  );
}
