import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { PP2_TYPE } from './proxy-header.js';
import { encodeProxyV2, PROXY_V2_SIGNATURE, parseProxyV2Header } from './proxy-v2.js';

const hex = (s: string) =>
  Uint8Array.from(
    s
      .split(/\s+/)
      .filter(Boolean)
      .map((h) => Number.parseInt(h, 16)),
  );

// A v2 header written by haproxy (TCP over IPv4, 172.19.0.1:42578 → 172.19.0.3:80), as captured
// in a public hexdump: "0d 0a 0d 0a 00 0d 0a 51 55 49 54 0a 21 11 00 0c ac 13 00 01 ac 13 00 03
// a6 52 00 50" followed by "GET / HTTP/1.1".
const HAPROXY_TCP4 = hex(
  '0d 0a 0d 0a 00 0d 0a 51 55 49 54 0a 21 11 00 0c ac 13 00 01 ac 13 00 03 a6 52 00 50',
);

describe('PROXY v2 headers (proxy-protocol.txt §2.2)', () => {
  it('parses a header written by haproxy', () => {
    expect(parseProxyV2Header(HAPROXY_TCP4)).toEqual({
      version: 2,
      command: 'proxy',
      addresses: {
        family: 'ipv4',
        protocol: 'stream',
        sourceAddress: '172.19.0.1',
        destinationAddress: '172.19.0.3',
        sourcePort: 42578,
        destinationPort: 80,
      },
      tlvs: [],
      length: 28,
    });
  });
  it('LOCAL: use the real endpoints, even when an address block is present', () => {
    const local = Uint8Array.from(HAPROXY_TCP4);
    local[12] = 0x20;
    expect(parseProxyV2Header(local)).toMatchObject({ command: 'local', addresses: undefined });
    expect(parseProxyV2Header(encodeProxyV2({ command: 'local' }))).toMatchObject({
      command: 'local',
      length: 16,
    });
  });
  it('LOCAL ignores the family, even when the block is shorter than it', () => {
    const h = Uint8Array.from([...PROXY_V2_SIGNATURE, 0x20, 0x21, 0x00, 0x02, 0xaa, 0xbb]);
    expect(parseProxyV2Header(h)).toEqual({
      version: 2,
      command: 'local',
      addresses: undefined,
      tlvs: [],
      length: 18,
    });
  });
  it('AF_INET with the UNSPEC protocol: addresses ignored, TLVs still read after them', () => {
    const h = Uint8Array.from([
      ...PROXY_V2_SIGNATURE,
      0x21,
      0x10,
      0x00,
      0x11,
      ...new Uint8Array(12).fill(1),
      0x02,
      0x00,
      0x02,
      0x68,
      0x69,
    ]);
    expect(parseProxyV2Header(h)).toMatchObject({
      command: 'proxy',
      addresses: undefined,
      authority: 'hi',
    });
  });
  it('AF_UNSPEC: no addresses', () => {
    const h = Uint8Array.from([...PROXY_V2_SIGNATURE, 0x21, 0x00, 0x00, 0x00]);
    expect(parseProxyV2Header(h).addresses).toBeUndefined();
  });
  it('parses TCP6, UDP and AF_UNIX', () => {
    const v6 = encodeProxyV2({
      command: 'proxy',
      addresses: {
        family: 'ipv6',
        protocol: 'dgram',
        sourceAddress: '2001:db8::1',
        destinationAddress: '::1',
        sourcePort: 5,
        destinationPort: 25,
      },
    });
    expect(v6[13]).toBe(0x22);
    expect(v6.length).toBe(16 + 36);
    expect(parseProxyV2Header(v6).addresses).toMatchObject({
      family: 'ipv6',
      protocol: 'dgram',
      sourceAddress: '2001:db8::1',
      destinationPort: 25,
    });
    const unix = encodeProxyV2({
      command: 'proxy',
      addresses: {
        family: 'unix',
        protocol: 'stream',
        sourceAddress: '/run/client.sock',
        destinationAddress: '/run/smtpd.sock',
      },
    });
    expect(unix[13]).toBe(0x31);
    expect(unix.length).toBe(16 + 216);
    expect(parseProxyV2Header(unix).addresses).toEqual({
      family: 'unix',
      protocol: 'stream',
      sourceAddress: '/run/client.sock',
      destinationAddress: '/run/smtpd.sock',
    });
  });
  it('reads TLVs: ALPN, AUTHORITY, UNIQUE_ID, NETNS, NOOP, custom, and SSL with sub-TLVs', () => {
    const enc = new TextEncoder();
    const ssl = Uint8Array.from([
      0x07,
      0,
      0,
      0,
      0,
      PP2_TYPE.SSL_VERSION,
      0,
      7,
      ...enc.encode('TLSv1.3'),
      PP2_TYPE.SSL_CN,
      0,
      11,
      ...enc.encode('example.com'),
      PP2_TYPE.SSL_CIPHER,
      0,
      22,
      ...enc.encode('TLS_AES_256_GCM_SHA384'),
    ]);
    const h = parseProxyV2Header(
      encodeProxyV2({
        command: 'proxy',
        addresses: {
          family: 'ipv4',
          protocol: 'stream',
          sourceAddress: '192.0.2.1',
          destinationAddress: '192.0.2.2',
          sourcePort: 1,
          destinationPort: 25,
        },
        tlvs: [
          { type: PP2_TYPE.ALPN, value: enc.encode('smtp') },
          { type: PP2_TYPE.AUTHORITY, value: enc.encode('mx.example.org') },
          { type: PP2_TYPE.UNIQUE_ID, value: new Uint8Array(128).fill(9) },
          { type: PP2_TYPE.NETNS, value: enc.encode('blue') },
          { type: PP2_TYPE.NOOP, value: new Uint8Array(3) },
          { type: 0xe0, value: Uint8Array.from([1, 2]) },
          { type: PP2_TYPE.SSL, value: ssl },
        ],
        crc32c: true,
      }),
    );
    expect(h.authority).toBe('mx.example.org');
    expect(new TextDecoder().decode(h.alpn)).toBe('smtp');
    expect(h.uniqueId?.length).toBe(128);
    expect(h.netns).toBe('blue');
    expect(h.ssl).toEqual({
      tls: true,
      clientCertificateOnConnection: true,
      clientCertificateInSession: true,
      verified: true,
      version: 'TLSv1.3',
      commonName: 'example.com',
      cipher: 'TLS_AES_256_GCM_SHA384',
    });
    expect(h.tlvs.map((t) => t.type)).toEqual([1, 2, 5, 0x30, 4, 0xe0, 0x20, 3]);
  });
  it('checks PP2_TYPE_CRC32C and refuses a mismatch (§2.2.3)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283); // the CRC-32C check value
    const good = encodeProxyV2({ command: 'local', crc32c: true });
    expect(parseProxyV2Header(good).command).toBe('local');
    const bad = Uint8Array.from(good);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    expect(() => parseProxyV2Header(bad)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_CRC32C' }),
    );
  });
  it.each([
    ['version 1 in the high nibble', 0x11, 0x11, 'ERR_SERVER_PROXY_V2_VERSION'],
    ['version 3', 0x31, 0x11, 'ERR_SERVER_PROXY_V2_VERSION'],
    ['command 2', 0x22, 0x11, 'ERR_SERVER_PROXY_V2_COMMAND'],
    ['family 4', 0x21, 0x41, 'ERR_SERVER_PROXY_V2_FAMILY'],
    ['protocol 3', 0x21, 0x13, 'ERR_SERVER_PROXY_V2_FAMILY'],
  ])('refuses %s', (_n, verCmd, fam, code) => {
    const h = Uint8Array.from(HAPROXY_TCP4);
    h[12] = verCmd;
    h[13] = fam;
    expect(() => parseProxyV2Header(h)).toThrowError(expect.objectContaining({ code }));
  });
  it('refuses an address block shorter than its family and TLVs that run past the end', () => {
    const short = Uint8Array.from([
      ...PROXY_V2_SIGNATURE,
      0x21,
      0x21,
      0x00,
      0x0c,
      ...new Uint8Array(12),
    ]);
    expect(() => parseProxyV2Header(short)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_ADDRESS' }),
    );
    const tlv = Uint8Array.from([
      ...PROXY_V2_SIGNATURE,
      0x21,
      0x00,
      0x00,
      0x04,
      0x02,
      0x00,
      0x09,
      0x41,
    ]);
    expect(() => parseProxyV2Header(tlv)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_TLV' }),
    );
    const partial = Uint8Array.from([...PROXY_V2_SIGNATURE, 0x21, 0x00, 0x00, 0x02, 0x02, 0x00]);
    expect(() => parseProxyV2Header(partial)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_TLV' }),
    );
    const longId = encodeProxyV2({
      command: 'local',
      tlvs: [{ type: PP2_TYPE.UNIQUE_ID, value: new Uint8Array(129) }],
    });
    expect(() => parseProxyV2Header(longId)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_TLV' }),
    );
  });
});
