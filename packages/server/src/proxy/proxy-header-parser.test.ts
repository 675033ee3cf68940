import { allTwoWaySplits, byteByByte, bytes, concat, latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { createProxyHeaderParser, type ProxyParseResult } from './proxy-header-parser.js';
import { encodeProxyV2 } from './proxy-v2.js';

const V1 = bytes('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n');
const V2 = encodeProxyV2({
  command: 'proxy',
  addresses: {
    family: 'ipv6',
    protocol: 'stream',
    sourceAddress: '2001:db8::7',
    destinationAddress: '2001:db8::25',
    sourcePort: 40000,
    destinationPort: 25,
  },
  tlvs: [{ type: 0x02, value: bytes('mx.example.org') }],
});
const SMTP = bytes('EHLO client.example\r\n');

function feed(chunks: Uint8Array[]): { result: ProxyParseResult; pushes: number } {
  const parser = createProxyHeaderParser();
  let pushes = 0;
  for (const chunk of chunks) {
    pushes++;
    const result = parser.push(chunk);
    if (result.kind === 'header') {
      // Everything after the header, including later chunks, belongs to SMTP.
      const rest = concat([result.rest, ...chunks.slice(pushes)]);
      return { result: { ...result, rest }, pushes };
    }
  }
  return { result: { kind: 'need-more' }, pushes };
}

describe('ProxyHeaderParser', () => {
  for (const [name, header] of [
    ['v1', V1],
    ['v2', V2],
  ] as const) {
    it(`${name}: whole, with trailing SMTP bytes handed back untouched`, () => {
      const r = createProxyHeaderParser().push(concat([header, SMTP]));
      expect(r.kind).toBe('header');
      if (r.kind !== 'header') return;
      expect(latin1(r.rest)).toBe(latin1(SMTP));
      expect(r.header.length).toBe(header.length);
    });
    it(`${name}: byte by byte gives the same header, and says need-more until the end`, () => {
      const whole = createProxyHeaderParser().push(concat([header, SMTP]));
      const { result, pushes } = feed(byteByByte(concat([header, SMTP])));
      expect(pushes).toBe(header.length);
      expect(result).toEqual(whole);
    });
    it(`${name}: every two-way split gives the same result`, () => {
      const input = concat([header, SMTP]);
      const whole = createProxyHeaderParser().push(input);
      for (const chunks of allTwoWaySplits(input)) expect(feed(chunks).result).toEqual(whole);
    });
  }
  it('returns rest as a view of the input when the header arrives in one chunk (zero-copy)', () => {
    const input = concat([V2, SMTP]);
    const r = createProxyHeaderParser().push(input);
    expect(r.kind === 'header' && r.rest.buffer).toBe(input.buffer);
  });
  it('refuses a connection that starts with anything else, at the first byte', () => {
    for (const start of ['E', 'EHLO x\r\n', 'GET / HTTP/1.1\r\n', '\r\n\r\nQ', 'PROXX']) {
      expect(() => createProxyHeaderParser().push(bytes(start))).toThrowError(
        expect.objectContaining({ code: 'ERR_SERVER_PROXY_SIGNATURE' }),
      );
    }
  });
  it('accepts only the configured versions', () => {
    expect(() => createProxyHeaderParser({ versions: [2] }).push(V1)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_SIGNATURE' }),
    );
    expect(() => createProxyHeaderParser({ versions: [1] }).push(V2)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_SIGNATURE' }),
    );
  });
  it('is one-shot: pushing after the header is API misuse', () => {
    const p = createProxyHeaderParser();
    p.push(V1);
    expect(() => p.push(SMTP)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_MISUSE_OPTIONS', misuse: true }),
    );
  });
  it('does not keep a reference to the caller’s chunk while waiting', () => {
    const p = createProxyHeaderParser();
    const chunk = V1.slice(0, 10);
    expect(p.push(chunk).kind).toBe('need-more');
    chunk.fill(0);
    const r = p.push(V1.subarray(10));
    expect(r.kind === 'header' && r.header.addresses?.sourcePort).toBe(56324);
  });
});

describe('ProxyHeaderParser: prefixes of a signature wait for more', () => {
  it('"\\r\\n" could start a v2 header and "PRO" a v1 header', () => {
    expect(createProxyHeaderParser().push(bytes('\r\n')).kind).toBe('need-more');
    expect(createProxyHeaderParser().push(bytes('PRO')).kind).toBe('need-more');
  });
});
