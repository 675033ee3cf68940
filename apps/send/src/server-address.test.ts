import { describe, expect, it } from 'vitest';
import { parseServerAddress } from './server-address.js';

describe('parseServerAddress', () => {
  it.each([
    ['127.0.0.1:2525', { host: '127.0.0.1', port: 2525 }],
    ['mx.example', { host: 'mx.example', port: undefined }],
    ['mx.example.:25', { host: 'mx.example.', port: 25 }],
    ['[::1]:2525', { host: '::1', port: 2525 }],
    ['[2001:db8::1]', { host: '2001:db8::1', port: undefined }],
  ])('%s', (text, expected) => {
    expect(parseServerAddress(text, 'server')).toEqual(expected);
  });

  it.each([
    ['::1', /IPv6 address goes in brackets/],
    ['[::1', /no closing bracket/],
    ['[::1]2525', /expected :PORT after the bracket/],
    ['[mx.example]:25', /not an IPv6 address/],
    ['256.1.1.1:25', /not an IPv4 address/],
    ['mx_1.example', /not a host name/],
    ['-mx.example', /not a host name/],
    ['mx.example:0', /from 1 to 65535/],
    ['mx.example:', /from 1 to 65535/],
    ['mx.example:65536', /from 1 to 65535/],
    ['', /not a host name/],
  ])('refuses %j', (text, reason) => {
    expect(() => parseServerAddress(text, 'server')).toThrow(reason);
  });
});
