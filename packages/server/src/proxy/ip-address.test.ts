import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../server-error.js';
import { createAllowList, isAllowed, parseCidr } from './cidr.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6, parseIpAddress } from './ip-address.js';

describe('IPv4 text (no heading zeros, proxy-protocol.txt §2.1)', () => {
  it.each(['0.0.0.0', '255.255.255.255', '192.168.0.1', '10.0.0.10'])('accepts %s', (t) => {
    expect(formatIPv4(parseIPv4(t) as Uint8Array)).toBe(t);
  });
  it.each([
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1..2.3',
    '1.2.3.4 ',
    '',
    '1.2.3.a',
    '00.1.1.1',
  ])('refuses %j', (t) => {
    expect(parseIPv4(t)).toBeUndefined();
  });
});

describe('IPv6 text (RFC 4291 §2.2) and RFC 5952 output', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // RFC 5952 §4.2.3: first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not shortened
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('%s → %s', (input, canonical) => {
    expect(formatIPv6(parseIPv6(input) as Uint8Array)).toBe(canonical);
  });
  it('accepts a dotted tail only when asked', () => {
    expect(parseIPv6('::ffff:192.0.2.1')).toBeUndefined();
    expect(formatIPv6(parseIPv6('::ffff:192.0.2.1', { allowIPv4Tail: true }) as Uint8Array)).toBe(
      '::ffff:c000:201',
    );
  });
  it.each([
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    'g::',
    '1:',
    ':1',
    '1::2:3:4:5:6:7:8',
    '[::1]',
    'fe80::1%eth0',
  ])('refuses %j', (t) => {
    expect(parseIPv6(t)).toBeUndefined();
  });
  it('round-trips any 16 bytes through format and parse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(parseIPv6(formatIPv6(bytes))).toEqual(bytes);
      }),
    );
  });
  it('never throws on protocol-alphabet strings', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...':.0123456789abcdefABCDEFx% '.split('')),
          maxLength: 50,
        }),
        (t) => {
          parseIpAddress(t);
        },
      ),
    );
  });
});

describe('CIDR allow-lists (RFC 4632 §3.1)', () => {
  it('matches prefixes of both families and single hosts', () => {
    const list = ['127.0.0.1/8', '::1', '10.1.0.0/16', '2001:db8::/32', '192.0.2.128/25'];
    expect(isAllowed('127.200.3.4', list)).toBe(true);
    expect(isAllowed('128.0.0.1', list)).toBe(false);
    expect(isAllowed('::1', list)).toBe(true);
    expect(isAllowed('::2', list)).toBe(false);
    expect(isAllowed('10.1.255.255', list)).toBe(true);
    expect(isAllowed('10.2.0.0', list)).toBe(false);
    expect(isAllowed('2001:db8:ffff::1', list)).toBe(true);
    expect(isAllowed('2001:db9::1', list)).toBe(false);
    expect(isAllowed('192.0.2.200', list)).toBe(true);
    expect(isAllowed('192.0.2.100', list)).toBe(false);
  });
  it('matches IPv4-mapped IPv6 peers (dual-stack sockets) as IPv4', () => {
    expect(isAllowed('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(isAllowed('::ffff:8.8.8.8', ['127.0.0.0/8'])).toBe(false);
  });
  it('/0 matches its whole family only', () => {
    expect(isAllowed('8.8.8.8', ['0.0.0.0/0'])).toBe(true);
    expect(isAllowed('2001:db8::1', ['0.0.0.0/0'])).toBe(false);
  });
  it('never allows garbage remote addresses', () => {
    expect(isAllowed('localhost', ['127.0.0.0/8'])).toBe(false);
    expect(isAllowed('', ['0.0.0.0/0', '::/0'])).toBe(false);
  });
  it('refuses bad entries as API misuse', () => {
    for (const entry of ['127.0.0.1/33', '::1/129', 'localhost', '10.0.0.0/08', '10.0.0.0/']) {
      expect(() => parseCidr(entry)).toThrowError(
        expect.objectContaining({ code: 'ERR_SERVER_MISUSE_OPTIONS', misuse: true }),
      );
    }
    expect(() => createAllowList(['nope'])).toThrow(ServerError);
  });
});
