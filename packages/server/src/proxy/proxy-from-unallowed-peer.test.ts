import { bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { createAllowList } from './cidr.js';
import { createProxyHeaderParser } from './proxy-header-parser.js';

// Attack: a client that is not one of our proxies sends a PROXY header to spoof its address
// (proxy-protocol.txt §2: "The receiver SHOULD ensure proper access filtering so that only trusted
// proxies are allowed to use this protocol").
const SPOOF = bytes('PROXY TCP4 127.0.0.1 127.0.0.1 1234 25\r\nMAIL FROM:<a@b>\r\n');

describe('attack: PROXY header from a peer outside the allow-list', () => {
  it('is refused before any byte is parsed', () => {
    const p = createProxyHeaderParser({
      remoteAddress: '203.0.113.66',
      allowedPeers: ['10.0.0.0/8', '::1'],
    });
    expect(() => p.push(SPOOF)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_NOT_ALLOWED', misuse: false }),
    );
  });
  it('a missing remote address is refused too', () => {
    const p = createProxyHeaderParser({ allowedPeers: ['0.0.0.0/0'] });
    expect(() => p.push(SPOOF)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_NOT_ALLOWED' }),
    );
  });
  it('an allowed proxy (also as IPv4-mapped IPv6, with a precompiled list) gets through', () => {
    const list = createAllowList(['10.0.0.0/8']);
    for (const remoteAddress of ['10.1.2.3', '::ffff:10.1.2.3']) {
      const r = createProxyHeaderParser({ remoteAddress, allowedPeers: list }).push(SPOOF);
      expect(r.kind === 'header' && r.header.addresses?.sourceAddress).toBe('127.0.0.1');
    }
  });
});
