import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import type { AddressLiteral } from './address-literal.js';
import { formatIpv6, parseAddressLiteral } from './address-literal.js';
import { parseMailbox } from './mailbox.js';

function literal(text: string): AddressLiteral {
  const d = parseMailbox(`a@${text}`).domain;
  if (d.kind === 'domain') throw new Error('not a literal');
  return d;
}

function rejects(text: string): void {
  expect(() => parseMailbox(`a@${text}`), text).toThrow(AddressError);
}

describe('IPv4-address-literal = Snum 3("." Snum)', () => {
  it('keeps the text as written and canonicalises the address', () => {
    expect(literal('[192.0.2.1]')).toEqual({
      kind: 'ipv4',
      address: '192.0.2.1',
      text: '[192.0.2.1]',
    });
    // Snum = 1*3DIGIT with value 0-255: leading zeros are in the grammar.
    expect(literal('[127.00.0.001]')).toEqual({
      kind: 'ipv4',
      address: '127.0.0.1',
      text: '[127.00.0.001]',
    });
  });

  it('refuses out-of-range, missing, extra and four-digit parts', () => {
    for (const t of [
      '[256.0.0.1]',
      '[1.2.3]',
      '[1.2.3.4.5]',
      '[0127.0.0.1]',
      '[1.2.3.]',
      '[.1.2.3]',
      '[1..2.3]',
      '[]',
    ]) {
      rejects(t);
    }
  });
});

describe('IPv6-address-literal = "IPv6:" IPv6-addr', () => {
  it.each([
    ['[IPv6:1:2:3:4:5:6:7:8]', '1:2:3:4:5:6:7:8'], // IPv6-full
    ['[IPv6:2001:DB8:0:0:0:0:0:1]', '2001:db8::1'],
    ['[IPv6:2001:db8::1]', '2001:db8::1'], // IPv6-comp
    ['[IPv6:::]', '::'],
    ['[IPv6:::1]', '::1'],
    ['[IPv6:1::]', '1::'],
    ['[IPv6:1:2:3:4:5:6::]', '1:2:3:4:5:6::'],
    ['[IPv6:1:0:0:1:0:0:0:1]', '1:0:0:1::1'], // RFC 5952 §4.2.3: the longest run
    ['[IPv6:1:0:0:1:1:0:0:1]', '1::1:1:0:0:1'], // first of equal runs
    ['[IPv6:1:2:3:4:5:6:1.2.3.4]', '1:2:3:4:5:6:102:304'], // IPv6v4-full
    ['[IPv6:::1.2.3.4]', '::102:304'], // IPv6v4-comp
    ['[IPv6:::ffff:192.0.2.1]', '::ffff:192.0.2.1'], // RFC 5952 §5
    ['[IPv6:1:2:3:4::1.2.3.4]', '1:2:3:4::102:304'],
    ['[ipv6:::1]', '::1'], // ABNF strings are case-insensitive
  ])('%s → %s', (text, address) => {
    expect(literal(text)).toEqual({ kind: 'ipv6', address, text });
  });

  it('refuses a "::" standing for one group and over-long forms (RFC 5321 §4.1.3)', () => {
    for (const t of [
      '[IPv6:1:2:3:4:5:6::7]',
      '[IPv6:1:2:3:4:5:6:7::]',
      '[IPv6:1:2:3:4:5::1.2.3.4]',
      '[IPv6:1:2:3:4:5:6:7]',
      '[IPv6:1:2:3:4:5:6:7:8:9]',
      '[IPv6:1:2:3:4:5:1.2.3.4]',
      '[IPv6:1::2::3]',
      '[IPv6::1]',
      '[IPv6:1:]',
      '[IPv6:12345::]',
      '[IPv6:g::]',
      '[IPv6:::1.2.3]',
      '[IPv6:::1.2.3.4:5]',
      '[IPv6:]',
      '[IPv6:::256.1.1.1]',
    ]) {
      rejects(t);
    }
  });
});

describe('General-address-literal = Standardized-tag ":" 1*dcontent', () => {
  it('keeps the tag and content', () => {
    expect(literal('[x-tag:some-content]')).toEqual({
      kind: 'general',
      tag: 'x-tag',
      content: 'some-content',
      text: '[x-tag:some-content]',
    });
  });

  it('refuses an empty tag, a tag ending in "-", empty content and non-dcontent', () => {
    for (const t of [
      '[:x]',
      '[tag-:x]',
      '[tag:]',
      '[tag:a b]',
      '[tag:a\\]]',
      '[tag:a[b]',
      '[tag:é]',
    ]) {
      rejects(t);
    }
  });

  it('refuses anything after "]"', () => {
    rejects('[1.2.3.4]x');
    rejects('[1.2.3.4');
  });
});

describe('formatIpv6', () => {
  it('writes RFC 5952 text', () => {
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6([1, 0, 2, 0, 3, 0, 4, 0])).toBe('1:0:2:0:3:0:4:0');
  });
});

describe('parseAddressLiteral (EHLO argument)', () => {
  it('reads a whole literal, nothing before or after', () => {
    expect(parseAddressLiteral('[192.0.2.1]')).toEqual({
      kind: 'ipv4',
      address: '192.0.2.1',
      text: '[192.0.2.1]',
    });
    for (const bad of ['192.0.2.1', '[192.0.2.1] ', ' [192.0.2.1]', '[192.0.2.1', '']) {
      expect(() => parseAddressLiteral(bad), bad).toThrow(AddressError);
    }
  });

  it('answers 501 5.5.4 by default', () => {
    try {
      parseAddressLiteral('[1.2.3]');
      expect.unreachable('accepted');
    } catch (e) {
      expect((e as AddressError).reply).toMatchObject({
        code: 501,
        enhanced: { class: 5, subject: 5, detail: 4 },
      });
    }
  });
});
