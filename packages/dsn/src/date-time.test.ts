import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime, parseDateTime, toDate } from './date-time.js';

describe('formatDateTime (RFC 5322 §3.3, numeric zone as RFC 3464 §2.3.7 requires)', () => {
  it('writes UTC with +0000', () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe(
      'Fri, 2 Jan 2026 03:04:05 +0000',
    );
  });
});

describe('parseDateTime', () => {
  it('reads numeric and named zones, comments, no day name, no seconds, two-digit years', () => {
    const at = (t: string) => parseDateTime(t)?.toISOString();
    expect(at('Thu, 7 Jan 2026 17:16:05 -0400')).toBe('2026-01-07T21:16:05.000Z');
    expect(at('Fri,  2 Jan 2026 03:04:01 +0000 (UTC)')).toBe('2026-01-02T03:04:01.000Z');
    expect(at('9 Jan 2026 18:30 EST')).toBe('2026-01-09T23:30:00.000Z');
    expect(at('Sat, 10 Jan 26 09:00:00 GMT')).toBe('2026-01-10T09:00:00.000Z');
    expect(at('Sat, 10 Jan 99 09:00:00 +0100')).toBe('1999-01-10T08:00:00.000Z');
  });

  it('gives undefined for what is not a date-time', () => {
    for (const t of [
      '',
      'yesterday',
      '32 Jan 2026 00:00 +0000',
      '1 Foo 2026 00:00',
      '1 Jan 2026 25:00',
    ]) {
      expect(parseDateTime(t)).toBeUndefined();
    }
  });

  it('round trip: parse ∘ format is the identity to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799 }), (seconds) => {
        const date = new Date(seconds * 1000);
        expect(parseDateTime(formatDateTime(date))?.getTime()).toBe(date.getTime());
      }),
    );
  });

  it('toDate refuses an invalid time', () => {
    expect(() => toDate(Number.NaN, 'now')).toThrow(/now is not a valid time/);
    expect(toDate(0, 'now').getTime()).toBe(0);
  });
});
