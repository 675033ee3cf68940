import { describe, expect, it } from 'vitest';
import {
  enhancedStatusEquals,
  formatEnhancedStatus,
  isEnhancedStatus,
  parseEnhancedStatus,
  scanEnhancedStatus,
} from './enhanced-status.js';
import { ReplyError } from './reply-error.js';

describe('parseEnhancedStatus (RFC 3463 §2 status-code)', () => {
  it.each([
    ['2.0.0', { class: 2, subject: 0, detail: 0 }],
    ['4.7.12', { class: 4, subject: 7, detail: 12 }],
    ['5.1.1', { class: 5, subject: 1, detail: 1 }],
    ['5.999.999', { class: 5, subject: 999, detail: 999 }],
    ['5.100.10', { class: 5, subject: 100, detail: 10 }],
  ])('parses %s', (text, expected) => {
    expect(parseEnhancedStatus(text)).toEqual(expected);
  });

  // class = "2"/"4"/"5"
  it.each(['0.0.0', '1.0.0', '3.0.0', '6.0.0', '9.1.1'])(
    'refuses class other than 2, 4, 5: %s',
    (t) => {
      expect(parseEnhancedStatus(t)).toBeUndefined();
    },
  );

  // "Each numeric sub-code within the status-code MUST be expressed without leading zero digits."
  it.each(['5.01.1', '5.1.01', '5.00.0', '5.0.00', '05.1.1'])('refuses leading zeros: %s', (t) => {
    expect(parseEnhancedStatus(t)).toBeUndefined();
  });

  // subject = 1*3digit, detail = 1*3digit
  it.each(['5.1000.1', '5.1.1000', '5..1', '5.1.', '5.1', '5', '', '.1.1', '5.a.1', '5.1.b'])(
    'refuses malformed sub-codes: %j',
    (t) => {
      expect(parseEnhancedStatus(t)).toBeUndefined();
    },
  );

  // "White-space characters and comments are NOT allowed within a status-code."
  it.each([' 5.1.1', '5.1.1 ', '5 .1.1', '5. 1.1', '5.1.1\r\n', '5.1.1(x)', '5.1.1.1', '５.1.1'])(
    'refuses whitespace, comments and trailing bytes: %j',
    (t) => {
      expect(parseEnhancedStatus(t)).toBeUndefined();
    },
  );

  it('gives undefined for every proper prefix of a code that is not itself a code', () => {
    const whole = '4.7.12';
    const verdicts = [...whole].map((_, i) => parseEnhancedStatus(whole.slice(0, i)));
    // '4.7.1' is a complete, different code; every shorter prefix is incomplete.
    expect(verdicts).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { class: 4, subject: 7, detail: 1 },
    ]);
    expect(parseEnhancedStatus(whole)).toEqual({ class: 4, subject: 7, detail: 12 });
  });
});

describe('scanEnhancedStatus', () => {
  it('reads the status in front of reply text (RFC 2034 §4: status-code SP text)', () => {
    expect(scanEnhancedStatus('250 2.1.5 Recipient ok', 4)).toEqual({
      value: { class: 2, subject: 1, detail: 5 },
      end: 9,
    });
  });

  it('stops at the first byte after the detail and leaves it to the caller', () => {
    expect(scanEnhancedStatus('5.1.1x', 0)?.end).toBe(5);
    expect(scanEnhancedStatus('5.1.1', 0)?.end).toBe(5);
  });

  it('refuses a detail of four digits rather than cutting it', () => {
    expect(scanEnhancedStatus('5.1.1234 text', 0)).toBeUndefined();
  });

  it('finds nothing where the text has no status', () => {
    expect(scanEnhancedStatus('250 Recipient ok', 4)).toBeUndefined();
    expect(scanEnhancedStatus('2address.org', 0)).toBeUndefined();
    expect(scanEnhancedStatus('100.address.org', 0)).toBeUndefined();
    expect(scanEnhancedStatus('', 0)).toBeUndefined();
  });
});

describe('formatEnhancedStatus', () => {
  it('writes class.subject.detail without leading zeros', () => {
    expect(formatEnhancedStatus({ class: 5, subject: 1, detail: 10 })).toBe('5.1.10');
    expect(formatEnhancedStatus({ class: 2, subject: 0, detail: 0 })).toBe('2.0.0');
  });

  it.each([
    { class: 3, subject: 0, detail: 0 },
    { class: 5, subject: -1, detail: 0 },
    { class: 5, subject: 1000, detail: 0 },
    { class: 5, subject: 1, detail: 1.5 },
    { class: 5, subject: 1, detail: Number.NaN },
  ])('throws ReplyError for an invalid value %j', (value) => {
    expect(() => formatEnhancedStatus(value as never)).toThrow(ReplyError);
    try {
      formatEnhancedStatus(value as never);
    } catch (e) {
      expect((e as ReplyError).code).toBe('ERR_REPLY_MISUSE_ENHANCED_SYNTAX');
    }
  });
});

describe('isEnhancedStatus / enhancedStatusEquals', () => {
  it('accepts only class 2/4/5 with integer sub-codes 0..999', () => {
    expect(isEnhancedStatus({ class: 4, subject: 999, detail: 0 })).toBe(true);
    expect(isEnhancedStatus({ class: 4, subject: '1', detail: 0 })).toBe(false);
    expect(isEnhancedStatus(null)).toBe(false);
    expect(isEnhancedStatus('5.1.1')).toBe(false);
  });

  it('compares by value', () => {
    const a = { class: 5, subject: 1, detail: 1 } as const;
    expect(enhancedStatusEquals(a, { class: 5, subject: 1, detail: 1 })).toBe(true);
    expect(enhancedStatusEquals(a, { class: 4, subject: 1, detail: 1 })).toBe(false);
    expect(enhancedStatusEquals(a, { class: 5, subject: 1, detail: 2 })).toBe(false);
  });
});
