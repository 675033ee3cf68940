/** The addresses a PROXY header carries for a relayed connection. */
export interface ProxyAddresses {
  /** `ipv4`/`ipv6` (v1 TCP4/TCP6, v2 AF_INET/AF_INET6) or `unix` (v2 AF_UNIX). */
  readonly family: 'ipv4' | 'ipv6' | 'unix';
  /** `stream` (TCP, UNIX stream) or `dgram` (UDP, UNIX datagram). */
  readonly protocol: 'stream' | 'dgram';
  /** Canonical text: dotted IPv4, RFC 5952 IPv6, or the socket path. */
  readonly sourceAddress: string;
  readonly destinationAddress: string;
  /** Ports, for `ipv4`/`ipv6` only. */
  readonly sourcePort?: number;
  readonly destinationPort?: number;
}

/** One v2 Type-Length-Value vector, raw. */
export interface ProxyTlv {
  readonly type: number;
  readonly value: Uint8Array;
}

/** PP2_TYPE_SSL, decoded (proxy-protocol.txt §2.2.6). */
export interface ProxySslInfo {
  /** PP2_CLIENT_SSL: the client connected over TLS. */
  readonly tls: boolean;
  /** PP2_CLIENT_CERT_CONN: the client sent a certificate on this connection. */
  readonly clientCertificateOnConnection: boolean;
  /** PP2_CLIENT_CERT_SESS: the client sent a certificate in this TLS session. */
  readonly clientCertificateInSession: boolean;
  /** `verify` field is zero: the certificate was presented and verified. */
  readonly verified: boolean;
  readonly version?: string;
  readonly commonName?: string;
  readonly cipher?: string;
  readonly signatureAlgorithm?: string;
  readonly keyAlgorithm?: string;
}

/**
 * A parsed PROXY protocol header (version 1 or 2).
 * `addresses` is `undefined` when the receiver must use the real connection's endpoints: v1
 * `UNKNOWN`, v2 `LOCAL`, or v2 `AF_UNSPEC`.
 */
export interface ProxyHeader {
  readonly version: 1 | 2;
  /** v2 LOCAL (health checks by the proxy itself) or PROXY; v1 is always `proxy`. */
  readonly command: 'local' | 'proxy';
  readonly addresses: ProxyAddresses | undefined;
  /** v2 TLVs in order (empty for v1). */
  readonly tlvs: readonly ProxyTlv[];
  /** PP2_TYPE_ALPN, PP2_TYPE_AUTHORITY, PP2_TYPE_UNIQUE_ID, PP2_TYPE_NETNS and PP2_TYPE_SSL. */
  readonly alpn?: Uint8Array;
  readonly authority?: string;
  readonly uniqueId?: Uint8Array;
  readonly netns?: string;
  readonly ssl?: ProxySslInfo;
  /** Header length in bytes, CRLF included for v1. */
  readonly length: number;
}

/** PROXY v2 TLV types (proxy-protocol.txt §2.2). */
export const PP2_TYPE = {
  ALPN: 0x01,
  AUTHORITY: 0x02,
  CRC32C: 0x03,
  NOOP: 0x04,
  UNIQUE_ID: 0x05,
  SSL: 0x20,
  SSL_VERSION: 0x21,
  SSL_CN: 0x22,
  SSL_CIPHER: 0x23,
  SSL_SIG_ALG: 0x24,
  SSL_KEY_ALG: 0x25,
  NETNS: 0x30,
} as const;
