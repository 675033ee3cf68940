import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from './host-port.js';
import { SinkError } from './sink-error.js';

const alphabet = fc.constantFrom(
  ...'<>:@.,;="\\\r\n []-_/'.split(''),
  ...'abcxyzABCXYZ0123456789'.split(''),
);
const protocolText = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();
const port = fc.integer({ min: 0, max: 65_535 });

describe('parseHostPort properties', () => {
  it('reads back what formatHostPort writes (IPv4 and IPv6)', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), port, (host, p) => {
        const parsed = parseHostPort(formatHostPort({ host, port: p }));
        expect(parsed).toEqual({ host, port: p });
      }),
    );
  });

  it('throws nothing but a usage SinkError on protocol-alphabet and arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(protocolText, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        try {
          const parsed = parseHostPort(text);
          expect(parsed.port).toBeGreaterThanOrEqual(0);
          expect(parsed.port).toBeLessThanOrEqual(65_535);
        } catch (e) {
          expect(e).toBeInstanceOf(SinkError);
          expect((e as SinkError).code).toBe('ERR_SINK_USAGE');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
