import { ServerError } from '../server-error.js';
import { crc32c } from './crc32c.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-address.js';
import {
  PP2_TYPE,
  type ProxyAddresses,
  type ProxyHeader,
  type ProxySslInfo,
  type ProxyTlv,
} from './proxy-header.js';

/*
 * proxy-protocol.txt §2.2 (version 2, binary):
 *   struct proxy_hdr_v2 {
 *       uint8_t sig[12];  hex 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A
 *       uint8_t ver_cmd;  protocol version and command
 *       uint8_t fam;      protocol family and address
 *       uint16_t len;     number of following bytes part of the header
 *   };
 * "The highest four bits contains the version. As of this specification, it must always be sent
 * as \x2 and the receiver must only accept this value."
 * Command: "\x0 : LOCAL", "\x1 : PROXY", "other values are unassigned ... Receivers must drop
 * connections presenting unexpected values here."
 * Family (high nibble): 0 AF_UNSPEC, 1 AF_INET, 2 AF_INET6, 3 AF_UNIX; protocol (low nibble):
 * 0 UNSPEC, 1 STREAM, 2 DGRAM; "other values are unspecified ... and must be rejected as invalid
 * by receivers."
 * Address lengths: AF_INET 2*4 + 2*2 = 12, AF_INET6 2*16 + 2*2 = 36, AF_UNIX 2*108 = 216.
 * "Receivers MUST always consider this field to skip the appropriate number of bytes and must not
 * assume zero is presented for LOCAL connections."
 * "LOCAL ... The receiver must accept this connection as valid and must use the real connection
 * endpoints and discard the protocol block including the family which is ignored."
 * TLVs follow the addresses: "struct pp2_tlv { uint8_t type; uint8_t length_hi; uint8_t
 * length_lo; uint8_t value[0]; }".
 */

/** The 12-byte v2 signature. */
// Annotated: inferred, the emitted .d.ts says `Uint8Array<ArrayBuffer>`, which TypeScript < 5.7
// cannot read (its Uint8Array takes no type argument).
export const PROXY_V2_SIGNATURE: Uint8Array = Uint8Array.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

const ADDRESS_LENGTH: Record<number, number> = { 1: 12, 2: 36, 3: 216 };
const FAMILY: Record<number, ProxyAddresses['family']> = { 1: 'ipv4', 2: 'ipv6', 3: 'unix' };
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function readU16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

/**
 * Splits a v2 TLV region into `{ type, value }` views; throws `ERR_PROXY_V2_TLV` if a TLV runs
 * past the end.
 *
 * @example
 * ```ts
 * parseTlvs(Uint8Array.from([0x02, 0x00, 0x01, 0x61])); // [{ type: 2, value: Uint8Array [0x61] }]
 * ```
 */
export function parseTlvs(
  region: Uint8Array,
  code: 'ERR_SERVER_PROXY_V2_TLV' = 'ERR_SERVER_PROXY_V2_TLV',
): ProxyTlv[] {
  const out: ProxyTlv[] = [];
  let at = 0;
  while (at < region.length) {
    if (at + 3 > region.length) throw new ServerError(code, 'PROXY v2: truncated TLV header');
    const length = readU16(region, at + 1);
    if (at + 3 + length > region.length)
      throw new ServerError(code, 'PROXY v2: TLV length runs past the header');
    out.push({ type: region[at] ?? 0, value: region.subarray(at + 3, at + 3 + length) });
    at += 3 + length;
  }
  return out;
}

function unixPath(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  // Abstract sockets start with NUL; a path ends at its first NUL.
  const nul = bytes[0] === 0 ? -1 : bytes.indexOf(0);
  return utf8.decode(bytes.subarray(0, nul < 0 ? end : Math.min(nul, end)));
}

function sslInfo(value: Uint8Array): ProxySslInfo {
  // struct pp2_tlv_ssl { uint8_t client; uint32_t verify; struct pp2_tlv sub_tlv[0]; };
  if (value.length < 5)
    throw new ServerError('ERR_SERVER_PROXY_V2_TLV', 'PROXY v2: short PP2_TYPE_SSL');
  const client = value[0] ?? 0;
  const verify = ((value[1] ?? 0) | (value[2] ?? 0) | (value[3] ?? 0) | (value[4] ?? 0)) !== 0;
  const info: Record<string, unknown> = {
    tls: (client & 0x01) !== 0,
    clientCertificateOnConnection: (client & 0x02) !== 0,
    clientCertificateInSession: (client & 0x04) !== 0,
    verified: !verify,
  };
  const names: Record<number, string> = {
    [PP2_TYPE.SSL_VERSION]: 'version',
    [PP2_TYPE.SSL_CN]: 'commonName',
    [PP2_TYPE.SSL_CIPHER]: 'cipher',
    [PP2_TYPE.SSL_SIG_ALG]: 'signatureAlgorithm',
    [PP2_TYPE.SSL_KEY_ALG]: 'keyAlgorithm',
  };
  for (const sub of parseTlvs(value.subarray(5))) {
    const name = names[sub.type];
    if (name !== undefined)
      info[name] = sub.type === PP2_TYPE.SSL_CN ? utf8.decode(sub.value) : latin1.decode(sub.value);
  }
  return info as unknown as ProxySslInfo;
}

/**
 * Parses one complete v2 header: exactly 16 + len bytes, signature included. Throws
 * {@link ServerError} for anything the specification says to reject.
 *
 * @example
 * ```ts
 * parseProxyV2Header(bytes).addresses?.sourceAddress; // '172.19.0.1'
 * ```
 */
export function parseProxyV2Header(header: Uint8Array): ProxyHeader {
  for (let i = 0; i < 12; i++)
    if (header[i] !== PROXY_V2_SIGNATURE[i])
      throw new ServerError('ERR_SERVER_PROXY_SIGNATURE', 'PROXY v2: bad signature');
  const verCmd = header[12] ?? 0;
  if (verCmd >> 4 !== 2)
    throw new ServerError('ERR_SERVER_PROXY_V2_VERSION', 'PROXY v2: version is not 2');
  const cmd = verCmd & 0x0f;
  if (cmd > 1)
    throw new ServerError('ERR_SERVER_PROXY_V2_COMMAND', `PROXY v2: unknown command ${cmd}`);
  const fam = header[13] ?? 0;
  const family = fam >> 4;
  const protocol = fam & 0x0f;
  if (family > 3 || protocol > 2)
    throw new ServerError(
      'ERR_SERVER_PROXY_V2_FAMILY',
      `PROXY v2: unknown family/protocol 0x${fam.toString(16)}`,
    );
  const length = readU16(header, 14);
  if (header.length !== 16 + length)
    throw new ServerError(
      'ERR_SERVER_PROXY_V2_ADDRESS',
      'PROXY v2: length field does not match the header',
    );
  const block = header.subarray(16);
  // The family fixes the size of the address block (AF_UNSPEC: none); TLVs follow it.
  const addressLength = family === 0 ? 0 : (ADDRESS_LENGTH[family] ?? 0);
  if (block.length < addressLength) {
    // LOCAL: "discard the protocol block including the family which is ignored".
    if (cmd === 0)
      return {
        version: 2,
        command: 'local',
        addresses: undefined,
        tlvs: [],
        length: header.length,
      };
    throw new ServerError(
      'ERR_SERVER_PROXY_V2_ADDRESS',
      'PROXY v2: address block shorter than its family',
    );
  }
  let addresses: ProxyAddresses | undefined;
  // UNSPEC family or protocol: "The receiver should ignore address information."
  if (cmd === 1 && family !== 0 && protocol !== 0) {
    const proto = protocol === 1 ? 'stream' : 'dgram';
    if (family === 3) {
      addresses = {
        family: 'unix',
        protocol: proto,
        sourceAddress: unixPath(block.subarray(0, 108)),
        destinationAddress: unixPath(block.subarray(108, 216)),
      };
    } else {
      const size = family === 1 ? 4 : 16;
      const format = family === 1 ? formatIPv4 : formatIPv6;
      addresses = {
        family: FAMILY[family] ?? 'ipv4',
        protocol: proto,
        sourceAddress: format(block.subarray(0, size)),
        destinationAddress: format(block.subarray(size, 2 * size)),
        sourcePort: readU16(block, 2 * size),
        destinationPort: readU16(block, 2 * size + 2),
      };
    }
  }
  const tlvs = parseTlvs(block.subarray(addressLength));
  const extra: {
    -readonly [K in 'alpn' | 'authority' | 'uniqueId' | 'netns' | 'ssl']?: ProxyHeader[K];
  } = {};
  for (const tlv of tlvs) {
    switch (tlv.type) {
      case PP2_TYPE.CRC32C: {
        if (tlv.value.length !== 4)
          throw new ServerError(
            'ERR_SERVER_PROXY_V2_TLV',
            'PROXY v2: PP2_TYPE_CRC32C must be 4 bytes',
          );
        // "replace the 32 bits of the checksum field in the received PROXY header with all '0's
        // and calculate a CRC32c checksum value of the whole PROXY header."
        const expected =
          (((tlv.value[0] ?? 0) << 24) |
            ((tlv.value[1] ?? 0) << 16) |
            ((tlv.value[2] ?? 0) << 8) |
            (tlv.value[3] ?? 0)) >>>
          0;
        const copy = Uint8Array.from(header);
        const offset = tlv.value.byteOffset - header.byteOffset;
        copy.fill(0, offset, offset + 4);
        if (crc32c(copy) !== expected)
          throw new ServerError('ERR_SERVER_PROXY_V2_CRC32C', 'PROXY v2: CRC32c mismatch');
        break;
      }
      case PP2_TYPE.ALPN:
        extra.alpn = tlv.value;
        break;
      case PP2_TYPE.AUTHORITY:
        extra.authority = utf8.decode(tlv.value);
        break;
      case PP2_TYPE.UNIQUE_ID:
        // §2.2.5: "an opaque byte sequence of up to 128 bytes".
        if (tlv.value.length > 128)
          throw new ServerError(
            'ERR_SERVER_PROXY_V2_TLV',
            'PROXY v2: PP2_TYPE_UNIQUE_ID over 128 bytes',
          );
        extra.uniqueId = tlv.value;
        break;
      case PP2_TYPE.NETNS:
        extra.netns = latin1.decode(tlv.value);
        break;
      case PP2_TYPE.SSL:
        extra.ssl = sslInfo(tlv.value);
        break;
      default:
        break; // "A receiver may choose to skip over and ignore the TLVs it is not interested in"
    }
  }
  return {
    version: 2,
    command: cmd === 0 ? 'local' : 'proxy',
    addresses,
    tlvs,
    ...extra,
    length: header.length,
  };
}

/** What {@link encodeProxyV2} writes. */
export interface ProxyV2Fields {
  readonly command: 'local' | 'proxy';
  readonly addresses?: ProxyAddresses;
  readonly tlvs?: readonly ProxyTlv[];
  /** Append a PP2_TYPE_CRC32C TLV holding the header's checksum. */
  readonly crc32c?: boolean;
}

/**
 * Serialises a v2 header (for clients, proxies in tests, and round-trip properties).
 *
 * @example
 * ```ts
 * encodeProxyV2({ command: 'local' }); // 16 bytes: signature, 0x20, 0x00, length 0
 * ```
 */
export function encodeProxyV2(fields: ProxyV2Fields): Uint8Array {
  const a = fields.addresses;
  let fam = 0;
  let block = new Uint8Array(0);
  if (a !== undefined) {
    const proto = a.protocol === 'stream' ? 1 : 2;
    if (a.family === 'unix') {
      fam = 0x30 | proto;
      block = new Uint8Array(216);
      const enc = new TextEncoder();
      const s = enc.encode(a.sourceAddress);
      const d = enc.encode(a.destinationAddress);
      if (s.length > 108 || d.length > 108)
        throw new ServerError('ERR_SERVER_MISUSE_OPTIONS', 'PROXY v2: UNIX path over 108 bytes');
      block.set(s, 0);
      block.set(d, 108);
    } else {
      const v4 = a.family === 'ipv4';
      fam = (v4 ? 0x10 : 0x20) | proto;
      const s = v4 ? parseIPv4(a.sourceAddress) : parseIPv6(a.sourceAddress);
      const d = v4 ? parseIPv4(a.destinationAddress) : parseIPv6(a.destinationAddress);
      if (s === undefined || d === undefined)
        throw new ServerError(
          'ERR_SERVER_MISUSE_OPTIONS',
          'PROXY v2: address does not match its family',
        );
      const size = s.length;
      block = new Uint8Array(2 * size + 4);
      block.set(s, 0);
      block.set(d, size);
      const sp = a.sourcePort ?? 0;
      const dp = a.destinationPort ?? 0;
      block.set([sp >> 8, sp & 0xff, dp >> 8, dp & 0xff], 2 * size);
    }
  }
  const tlvs = [...(fields.tlvs ?? [])];
  if (fields.crc32c === true) tlvs.push({ type: PP2_TYPE.CRC32C, value: new Uint8Array(4) });
  let tlvLength = 0;
  for (const t of tlvs) tlvLength += 3 + t.value.length;
  const length = block.length + tlvLength;
  if (length > 0xffff)
    throw new ServerError('ERR_SERVER_MISUSE_OPTIONS', 'PROXY v2: header over 65535 bytes');
  const out = new Uint8Array(16 + length);
  out.set(PROXY_V2_SIGNATURE, 0);
  out[12] = 0x20 | (fields.command === 'local' ? 0 : 1);
  out[13] = fam;
  out[14] = length >> 8;
  out[15] = length & 0xff;
  out.set(block, 16);
  let at = 16 + block.length;
  for (const t of tlvs) {
    out[at] = t.type;
    out[at + 1] = t.value.length >> 8;
    out[at + 2] = t.value.length & 0xff;
    out.set(t.value, at + 3);
    at += 3 + t.value.length;
  }
  if (fields.crc32c === true) {
    const sum = crc32c(out);
    out.set([sum >>> 24, (sum >>> 16) & 0xff, (sum >>> 8) & 0xff, sum & 0xff], out.length - 4);
  }
  return out;
}
