/**
 * Attack: IDN spoofing and label-separator tricks. A domain must mean the same thing to every
 * component: only "." separates labels on the wire (U+3002 and friends are UTS #46 input
 * conveniences, not wire syntax), the ASCII form is what policy compares, and the two forms are
 * never swapped silently.
 */
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { domainsEqual, parseDomain } from './domain.js';
import { formatMailbox, parseMailbox } from './mailbox.js';

const utf8 = { smtputf8: true } as const;

describe('IDN spoofing', () => {
  it('refuses ideographic and fullwidth full stops as separators', () => {
    for (const d of ['good\u3002example', 'good\uff0eexample', 'good\uff61example']) {
      expect(() => parseMailbox(`a@${d}`, utf8), d).toThrow(AddressError);
    }
  });

  it('refuses RTL/LTR mixes that break the Bidi rule (RFC 5893)', () => {
    expect(() => parseDomain('\u05d0a.example', utf8)).toThrow(AddressError);
  });

  it('refuses invisible joiners outside their ContextJ contexts (RFC 5892)', () => {
    expect(() => parseDomain('pay\u200cpal.example', utf8)).toThrow(AddressError);
    expect(() => parseDomain('pay\u200dpal.example', utf8)).toThrow(AddressError);
  });

  it('compares on the ASCII form: a U-label name equals its A-label name and nothing else', () => {
    const u = parseDomain('bücher.example', utf8);
    expect(domainsEqual(u, parseDomain('xn--bcher-kva.example'))).toBe(true);
    expect(domainsEqual(u, parseDomain('bucher.example'))).toBe(false);
  });

  it('writes A-labels unless U-labels are asked for', () => {
    const m = parseMailbox('a@bücher.example', utf8);
    expect(formatMailbox(m)).toBe('a@xn--bcher-kva.example');
    expect(formatMailbox(m, 'unicode')).toBe('a@bücher.example');
  });
});
