import { readVectorJson } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { describeReplyCode } from './describe-reply-code.js';
import {
  isIntermediate,
  isNegative,
  isPermanent,
  isPositive,
  isTransient,
  replyClass,
} from './reply-class.js';
import { ReplyError } from './reply-error.js';
import { createReply } from './reply.js';

interface Rfc5321Codes {
  first_digit: Record<string, string>;
  second_digit: Record<string, string>;
  reply_codes_numeric_order_4_2_3: { code: number; class: string; category: string }[];
}
const rfc = readVectorJson<Rfc5321Codes>('status', 'rfc5321-reply-codes.json');

/** RFC 5321 §4.2.1 first-digit names → our classes. */
const CLASS_OF: Record<string, string> = {
  'Positive Completion reply': 'positive',
  'Positive Intermediate reply': 'intermediate',
  'Transient Negative Completion reply': 'transient',
  'Permanent Negative Completion reply': 'permanent',
};

describe('replyClass (RFC 5321 §4.2.1 first digit)', () => {
  it('covers the four first digits of the vector with the right meaning', () => {
    expect(Object.keys(rfc.first_digit).sort()).toEqual(['2', '3', '4', '5']);
    for (const [digit, meaning] of Object.entries(rfc.first_digit)) {
      for (const rest of [0, 1, 50, 99]) {
        expect(replyClass(Number(digit) * 100 + rest)).toBe(CLASS_OF[meaning]);
      }
    }
  });

  it('agrees with the class of every §4.2.3 code in the vector', () => {
    for (const c of rfc.reply_codes_numeric_order_4_2_3) {
      expect(CLASS_OF[`${c.class} reply`]).toBe(replyClass(c.code));
    }
  });

  it.each([199, 600, 0, 25, 2500, 250.5, Number.NaN])('throws ReplyError for %s', (code) => {
    expect(() => replyClass(code)).toThrow(ReplyError);
  });
});

describe('second digit (RFC 5321 §4.2.1)', () => {
  it('describeReplyCode gives the category the vector names for each second digit', () => {
    for (const [digit, meaning] of Object.entries(rfc.second_digit)) {
      expect(describeReplyCode(500 + Number(digit) * 10).category).toBe(meaning.toLowerCase());
    }
  });

  it('agrees with the category of every §4.2.3 code', () => {
    for (const c of rfc.reply_codes_numeric_order_4_2_3) {
      expect(describeReplyCode(c.code).category).toBe(c.category.toLowerCase());
    }
  });
});

describe('isPositive / isIntermediate / isTransient / isPermanent / isNegative', () => {
  const table = [
    [250, [true, false, false, false, false]],
    [354, [false, true, false, false, false]],
    [421, [false, false, true, false, true]],
    [550, [false, false, false, true, true]],
  ] as const;
  it.each(table)('classify %s from a number and from a Reply', (code, expected) => {
    const r = createReply(code, undefined, 'x');
    for (const x of [code, r]) {
      expect([
        isPositive(x),
        isIntermediate(x),
        isTransient(x),
        isPermanent(x),
        isNegative(x),
      ]).toEqual(expected);
    }
  });
});
