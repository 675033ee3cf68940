import { bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { createProxyHeaderParser } from './proxy-header-parser.js';
import { encodeProxyV2, PROXY_V2_SIGNATURE } from './proxy-v2.js';

// Attack: an oversized PROXY header, to make the server buffer without bound before the SMTP
// session starts (proxy-protocol.txt §2.1: "If the CRLF sequence is not found in the first 107
// characters, the receiver should declare the line invalid").
describe('attack: oversized PROXY header', () => {
  it('v1: no CRLF within 107 bytes is refused once 107 bytes are buffered', () => {
    const p = createProxyHeaderParser();
    let thrown: unknown;
    let fed = 0;
    try {
      for (let i = 0; i < 10_000; i++) {
        p.push(bytes(i === 0 ? 'PROXY UNKNOWN ' : 'x'));
        fed += i === 0 ? 14 : 1;
      }
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'ERR_SERVER_PROXY_V1_TOO_LONG' });
    expect(fed).toBeLessThan(107);
  });
  it('v1: a CRLF just past byte 107 is still refused', () => {
    const line = `PROXY UNKNOWN ${'x'.repeat(92)}\r\n`;
    expect(line.length).toBe(108);
    expect(() => createProxyHeaderParser().push(bytes(line))).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V1_TOO_LONG' }),
    );
  });
  it('v2: a length field above the bound is refused from the 16-byte prefix alone', () => {
    const prefix = Uint8Array.from([...PROXY_V2_SIGNATURE, 0x21, 0x11, 0xff, 0xff]);
    expect(() => createProxyHeaderParser().push(prefix)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_TOO_LONG' }),
    );
    const tlvs = [{ type: 0xe0, value: new Uint8Array(600) }];
    const header = encodeProxyV2({ command: 'local', tlvs });
    expect(() => createProxyHeaderParser({ maxV2Length: 512 }).push(header)).toThrowError(
      expect.objectContaining({ code: 'ERR_SERVER_PROXY_V2_TOO_LONG' }),
    );
    expect(createProxyHeaderParser({ maxV2Length: 1024 }).push(header).kind).toBe('header');
  });
});
