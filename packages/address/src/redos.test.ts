/**
 * Attack: catastrophic backtracking / super-linear parsing (ReDoS). The parser is a hand-written
 * one-pass scanner with no regular expression; these inputs are the shapes that make backtracking
 * email regexes explode. Each must be refused with the typed error. (No timing assertions: the
 * benchmark measures time; here a hang would fail by the runner's timeout.)
 */
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { parseDomain } from './domain.js';
import { parseMailbox } from './mailbox.js';
import { parseForwardPath, scanReversePath } from './path.js';

const K100 = 100_000;

export const adversarial: Record<string, string> = {
  dots: `<${'a.'.repeat(K100 / 2)}@x>`,
  backslashes: `<"${'\\\\'.repeat(K100 / 2)}`,
  quotes: `<${'"\\"'.repeat(K100 / 3)}@x>`,
  labels: `<a@${'a-'.repeat(K100 / 2)}>`,
  hyphens: `<a@a${'-'.repeat(K100)}>`,
  route: `<${'@a,'.repeat(K100 / 3)}`,
  ipv6: `<a@[IPv6:${'1:'.repeat(K100 / 2)}]>`,
  nested: `${'<'.repeat(K100 / 2)}${'>'.repeat(K100 / 2)}`,
};

describe('super-linear inputs', () => {
  it.each(Object.entries(adversarial))('refuses 100 KB of %s with AddressError', (_name, input) => {
    expect(input.length).toBeGreaterThan(K100 * 0.9);
    expect(() => parseForwardPath(input)).toThrow(AddressError);
    expect(() => scanReversePath(input)).toThrow(AddressError);
  });

  it('bounds the work handed to IDNA before converting a huge U-label', () => {
    let err: unknown;
    try {
      parseDomain('ü'.repeat(K100), { smtputf8: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AddressError);
    expect((err as AddressError).code).toMatch(/TOO_LONG$/);
  });

  it('refuses a huge but well-formed mailbox by the path limit', () => {
    const local = 'a'.repeat(60);
    const domain = Array.from({ length: 2000 }, () => 'b').join('.');
    expect(() => parseMailbox(`${local}@${domain}`)).toThrow(AddressError);
  });
});
