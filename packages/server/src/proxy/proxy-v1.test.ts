import { bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../server-error.js';
import { encodeProxyV1, parseProxyV1Line } from './proxy-v1.js';

describe('PROXY v1 lines (proxy-protocol.txt §2.1)', () => {
  it('parses the specification example', () => {
    // "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"
    expect(parseProxyV1Line(bytes('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n'))).toEqual({
      version: 1,
      command: 'proxy',
      addresses: {
        family: 'ipv4',
        protocol: 'stream',
        sourceAddress: '192.168.0.1',
        destinationAddress: '192.168.0.11',
        sourcePort: 56324,
        destinationPort: 443,
      },
      tlvs: [],
      length: 47,
    });
  });
  it('parses TCP6 and canonicalises the addresses', () => {
    const h = parseProxyV1Line(bytes('PROXY TCP6 2001:DB8::0001 ::1 65535 0\r\n'));
    expect(h.addresses).toMatchObject({
      family: 'ipv6',
      sourceAddress: '2001:db8::1',
      destinationAddress: '::1',
      sourcePort: 65535,
      destinationPort: 0,
    });
  });
  it('accepts the maximal lines the specification lists (56, 104 and 107 bytes)', () => {
    const v4 = 'PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n';
    const f = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    const v6 = `PROXY TCP6 ${f} ${f} 65535 65535\r\n`;
    const unknown = `PROXY UNKNOWN ${f} ${f} 65535 65535\r\n`;
    expect([v4.length, v6.length, unknown.length]).toEqual([56, 104, 107]);
    expect(parseProxyV1Line(bytes(v4)).addresses?.sourceAddress).toBe('255.255.255.255');
    expect(parseProxyV1Line(bytes(v6)).addresses?.destinationPort).toBe(65535);
    expect(parseProxyV1Line(bytes(unknown)).addresses).toBeUndefined();
  });
  it('UNKNOWN means: use the real connection endpoints, whatever follows it', () => {
    expect(parseProxyV1Line(bytes('PROXY UNKNOWN\r\n')).addresses).toBeUndefined();
    const odd = Uint8Array.from([...bytes('PROXY UNKNOWN '), 0x00, 0xff, 0x7f, 0x0d, 0x0a]);
    expect(parseProxyV1Line(odd).addresses).toBeUndefined();
    expect(() => parseProxyV1Line(bytes('PROXY UNKNOWN a\rb\r\n'))).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V1_SYNTAX' }),
    );
    expect(() => parseProxyV1Line(bytes('PROXY UNKNOWNX\r\n'))).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V1_SYNTAX' }),
    );
  });
  it.each([
    ['heading zero in address', 'PROXY TCP4 192.168.0.01 192.168.0.11 56324 443\r\n'],
    ['heading zero in port', 'PROXY TCP4 192.168.0.1 192.168.0.11 056324 443\r\n'],
    ['port out of range', 'PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n'],
    ['family mismatch', 'PROXY TCP4 ::1 ::1 1 2\r\n'],
    ['TCP6 with IPv4', 'PROXY TCP6 1.2.3.4 1.2.3.4 1 2\r\n'],
    ['two spaces', 'PROXY TCP4  192.168.0.1 192.168.0.11 56324 443\r\n'],
    ['missing port', 'PROXY TCP4 192.168.0.1 192.168.0.11 56324\r\n'],
    ['lower-case keyword', 'proxy TCP4 192.168.0.1 192.168.0.11 56324 443\r\n'],
    ['UDP4', 'PROXY UDP4 192.168.0.1 192.168.0.11 56324 443\r\n'],
    ['bare LF', 'PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\n'],
    ['bare CR inside', 'PROXY TCP4 192.168.0.1\r192.168.0.11 56324 443\r\n'],
    ['trailing space', 'PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 \r\n'],
    ['non-ASCII', 'PROXY TCP4 192.168.0.1 192.168.0.11 56324 44\u00e9\r\n'],
  ])('refuses %s', (_name, line) => {
    expect(() => parseProxyV1Line(bytes(line))).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V1_SYNTAX', misuse: false }),
    );
  });
  it('refuses a line over 107 bytes', () => {
    expect(() => parseProxyV1Line(bytes(`PROXY UNKNOWN ${'x'.repeat(100)}\r\n`))).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V1_TOO_LONG' }),
    );
  });
  it('encodes what it parses', () => {
    const line = 'PROXY TCP6 2001:db8::1 ::1 1234 25\r\n';
    const h = parseProxyV1Line(bytes(line));
    expect(new TextDecoder().decode(encodeProxyV1(h.addresses))).toBe(line);
    expect(new TextDecoder().decode(encodeProxyV1(undefined))).toBe('PROXY UNKNOWN\r\n');
    expect(() =>
      encodeProxyV1({
        family: 'unix',
        protocol: 'stream',
        sourceAddress: '/a',
        destinationAddress: '/b',
      }),
    ).toThrow(ServerError);
  });
});
