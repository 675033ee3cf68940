import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EnhancedStatus,
  formatEnhancedStatus,
  parseEnhancedStatus,
  scanEnhancedStatus,
} from './enhanced-status.js';

const statusArb: fc.Arbitrary<EnhancedStatus> = fc.record({
  class: fc.constantFrom(2 as const, 4 as const, 5 as const),
  subject: fc.integer({ min: 0, max: 999 }),
  detail: fc.integer({ min: 0, max: 999 }),
});

/** Strings over the protocol alphabet plus digits and dots, so that near-codes are frequent. */
const alphabet = [...'<>:@.,;="\\\r\n 0123456789aZ.....'];
const protocolString = fc
  .array(fc.constantFrom(...alphabet), { maxLength: 16 })
  .map((cs) => cs.join(''));

describe('enhanced status properties', () => {
  it('parse ∘ format is the identity', () => {
    fc.assert(
      fc.property(statusArb, (s) => {
        expect(parseEnhancedStatus(formatEnhancedStatus(s))).toEqual(s);
      }),
    );
  });

  it('format ∘ parse is the identity on every string parse accepts (one spelling per code)', () => {
    fc.assert(
      fc.property(fc.oneof(protocolString, fc.string()), (text) => {
        const parsed = parseEnhancedStatus(text);
        if (parsed !== undefined) expect(formatEnhancedStatus(parsed)).toBe(text);
      }),
    );
  });

  it('never throws on arbitrary text, and scan agrees with parse on whole strings', () => {
    fc.assert(
      fc.property(fc.oneof(protocolString, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const parsed = parseEnhancedStatus(text);
        const scanned = scanEnhancedStatus(text, 0);
        if (parsed !== undefined) expect(scanned).toEqual({ value: parsed, end: text.length });
        if (scanned !== undefined && scanned.end === text.length)
          expect(parsed).toEqual(scanned.value);
      }),
    );
  });

  it('scan finds a code followed by SP and any text', () => {
    fc.assert(
      fc.property(statusArb, protocolString, (s, rest) => {
        const code = formatEnhancedStatus(s);
        expect(scanEnhancedStatus(`${code} ${rest}`, 0)).toEqual({ value: s, end: code.length });
      }),
    );
  });
});
