import { concat, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../server-error.js';
import { formatIPv6 } from './ip-address.js';
import type { ProxyAddresses } from './proxy-header.js';
import { createProxyHeaderParser, type ProxyParseResult } from './proxy-header-parser.js';
import { encodeProxyV1 } from './proxy-v1.js';
import { encodeProxyV2, PROXY_V2_SIGNATURE } from './proxy-v2.js';

function feedAll(chunks: Uint8Array[]): ProxyParseResult | ServerError {
  const parser = createProxyHeaderParser();
  try {
    for (let i = 0; i < chunks.length; i++) {
      const r = parser.push(chunks[i] ?? new Uint8Array(0));
      if (r.kind === 'header') return { ...r, rest: concat([r.rest, ...chunks.slice(i + 1)]) };
    }
    return { kind: 'need-more' };
  } catch (e) {
    if (e instanceof ServerError) return e;
    throw e;
  }
}

const ipv4 = fc.ipV4();
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIPv6);
const tcpAddresses: fc.Arbitrary<ProxyAddresses> = fc.oneof(
  fc.record({
    family: fc.constant('ipv4' as const),
    protocol: fc.constant('stream' as const),
    sourceAddress: ipv4,
    destinationAddress: ipv4,
    sourcePort: fc.integer({ min: 0, max: 65535 }),
    destinationPort: fc.integer({ min: 0, max: 65535 }),
  }),
  fc.record({
    family: fc.constant('ipv6' as const),
    protocol: fc.constantFrom('stream' as const),
    sourceAddress: ipv6,
    destinationAddress: ipv6,
    sourcePort: fc.integer({ min: 0, max: 65535 }),
    destinationPort: fc.integer({ min: 0, max: 65535 }),
  }),
);
const tlv = fc.record({
  type: fc.constantFrom(0x04, 0xe0, 0xe5, 0xf0),
  value: fc.uint8Array({ maxLength: 40 }),
});
const header = fc.oneof(
  tcpAddresses.map((a) => ({
    bytes: encodeProxyV1(a),
    addresses: a as ProxyAddresses | undefined,
  })),
  fc
    .record({
      a: fc.option(tcpAddresses, { nil: undefined }),
      tlvs: fc.array(tlv, { maxLength: 4 }),
      crc: fc.boolean(),
    })
    .map(({ a, tlvs, crc }) => ({
      bytes: encodeProxyV2({
        command: a === undefined ? 'local' : 'proxy',
        ...(a === undefined ? {} : { addresses: a }),
        tlvs,
        crc32c: crc,
      }),
      addresses: a,
    })),
);
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

describe('PROXY header parser properties', () => {
  it('encode then parse gives the addresses back, and the trailing bytes untouched', () => {
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 30 }), ({ bytes, addresses }, tail) => {
        const r = feedAll([concat([bytes, tail])]);
        expect(r).not.toBeInstanceOf(ServerError);
        if (r instanceof ServerError || r.kind !== 'header') return;
        expect(r.header.addresses).toEqual(addresses);
        expect(r.rest).toEqual(tail);
      }),
    );
  });
  it('any chunking gives the same result as one chunk', () => {
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 20 }), cuts, ({ bytes }, tail, offsets) => {
        const input = concat([bytes, tail]);
        expect(feedAll(splitAt(input, offsets))).toEqual(feedAll([input]));
      }),
    );
  });
  it('arbitrary bytes, and mutated headers, only ever give need-more, a header or a ServerError', () => {
    const mutated = fc
      .tuple(header, fc.nat(), fc.integer({ min: 0, max: 255 }))
      .map(([{ bytes }, at, value]) => {
        const copy = Uint8Array.from(bytes);
        copy[at % copy.length] = value;
        return copy;
      });
    const v2ish = fc.uint8Array({ maxLength: 80 }).map((b) => concat([PROXY_V2_SIGNATURE, b]));
    const v1Alphabet = fc
      .array(
        fc.constantFrom(
          'PROXY',
          ' ',
          'TCP4',
          'TCP6',
          'UNKNOWN',
          '1',
          '0',
          '255',
          '.',
          ':',
          'ffff',
          '\r',
          '\n',
          '\r\n',
        ),
        { maxLength: 30 },
      )
      .map((parts) => new TextEncoder().encode(parts.join('')));
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated, v2ish, v1Alphabet),
        cuts,
        (input, offsets) => {
          const whole = feedAll([input]);
          expect(feedAll(splitAt(input, offsets))).toEqual(whole);
        },
      ),
      { numRuns: 500 },
    );
  });
});
