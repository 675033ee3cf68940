/**
 * IPv6 literal canonicalisation against an independent implementation: the WHATWG URL host
 * parser in Node (test-only; the package itself imports nothing from Node).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv6 } from './address-literal.js';
import { parseMailbox } from './mailbox.js';

const words = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constant(0)), {
  minLength: 8,
  maxLength: 8,
});

function oracle(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

function isMapped(w: number[]): boolean {
  return w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff;
}

describe('IPv6 canonical form (RFC 5952)', () => {
  it('agrees with the URL parser on every full-form address, whatever the case and zeros', () => {
    fc.assert(
      fc.property(words, fc.boolean(), (w, upper) => {
        fc.pre(!isMapped(w));
        const full = w.map((x) => x.toString(16).padStart(4, '0')).join(':');
        const written = upper ? full.toUpperCase() : full;
        const lit = parseMailbox(`a@[IPv6:${written}]`).domain;
        expect(lit.kind).toBe('ipv6');
        if (lit.kind !== 'ipv6') return;
        expect(lit.address).toBe(oracle(full));
        expect(lit.address).toBe(formatIpv6(w));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads its own canonical text back to the same address', () => {
    fc.assert(
      fc.property(words, (w) => {
        const text = formatIpv6(w);
        // RFC 5321 allows "::" only for two or more groups, which RFC 5952 also guarantees.
        const lit = parseMailbox(`a@[IPv6:${text}]`).domain;
        expect(lit).toEqual({ kind: 'ipv6', address: text, text: `[IPv6:${text}]` });
      }),
      { numRuns: 3000 },
    );
  });
});
