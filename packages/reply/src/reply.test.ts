import { describe, expect, it } from 'vitest';
import { checkedReply, createReply, isReply, MAX_REPLY_LINE_OCTETS, withText } from './reply.js';
import { C250Ok, C354StartMailInput, C550MailboxUnavailable } from './reply-codes.js';
import { ReplyError, type ReplyErrorCode } from './reply-error.js';

function errorCode(f: () => unknown): ReplyErrorCode | 'no error' | 'not a ReplyError' {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof ReplyError ? e.code : 'not a ReplyError';
  }
}

describe('createReply', () => {
  it('builds a frozen value with code, enhanced status and lines', () => {
    const r = createReply(C550MailboxUnavailable, '5.1.1', 'No such user');
    expect(r).toEqual({
      code: 550,
      enhanced: { class: 5, subject: 1, detail: 1 },
      lines: ['No such user'],
    });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.lines)).toBe(true);
    expect(Object.isFrozen(r.enhanced)).toBe(true);
  });

  it('omits the enhanced key when there is none (exactOptionalPropertyTypes)', () => {
    const r = createReply(C354StartMailInput, undefined, 'go ahead');
    expect('enhanced' in r).toBe(false);
  });

  it('accepts a reply with no text at all', () => {
    expect(createReply(C250Ok, undefined).lines).toEqual([]);
  });

  it('copies the enhanced object so later mutation by the caller cannot change the reply', () => {
    const status = { class: 5 as const, subject: 1, detail: 1 };
    const r = createReply(550, status, 'x');
    status.subject = 7;
    expect(r.enhanced).toEqual({ class: 5, subject: 1, detail: 1 });
  });

  // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39
  it.each([
    199,
    100,
    600,
    999,
    0,
    -250,
    260,
    299,
    561,
    250.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ])('refuses %s as a reply code', (code) => {
    expect(errorCode(() => createReply(code, undefined, 'x'))).toBe('ERR_REPLY_MISUSE_CODE');
  });

  it('refuses a code given as a string', () => {
    expect(errorCode(() => createReply('250' as never, undefined, 'x'))).toBe(
      'ERR_REPLY_MISUSE_CODE',
    );
  });

  it.each([200, 259, 354, 421, 459, 500, 555, 559])('accepts %s', (code) => {
    expect(createReply(code, undefined).code).toBe(code);
  });

  it.each(['5.01.1', '5.1', 'x', '', ' 5.1.1', '3.0.0'])('refuses enhanced text %j', (text) => {
    expect(errorCode(() => createReply(550, text))).toBe('ERR_REPLY_MISUSE_ENHANCED_SYNTAX');
  });

  it('refuses an enhanced object out of range', () => {
    expect(errorCode(() => createReply(550, { class: 5, subject: 1000, detail: 0 }))).toBe(
      'ERR_REPLY_MISUSE_ENHANCED_SYNTAX',
    );
  });
});

describe('createReply class agreement (2.x.x with 2yz, 4.x.x with 4yz, 5.x.x with 5yz)', () => {
  const codes = [220, 250, 354, 421, 452, 501, 550];
  const classes = [2, 4, 5] as const;
  for (const code of codes) {
    for (const cls of classes) {
      const agrees = Math.floor(code / 100) === cls;
      it(`${code} with ${cls}.0.0 ${agrees ? 'is accepted' : 'is refused'}`, () => {
        expect(errorCode(() => createReply(code, `${cls}.0.0`, 'x'))).toBe(
          agrees ? 'no error' : 'ERR_REPLY_MISUSE_CLASS_MISMATCH',
        );
      });
    }
  }

  it('a 3yz reply carries no enhanced status at all (RFC 3463 defines classes 2, 4, 5 only)', () => {
    for (const cls of classes) {
      expect(errorCode(() => createReply(334, { class: cls, subject: 0, detail: 0 }))).toBe(
        'ERR_REPLY_MISUSE_CLASS_MISMATCH',
      );
    }
  });
});

describe('createReply text', () => {
  it('keeps HT, printable ASCII and UTF-8 (RFC 5321 textstring, RFC 6531 §3.3)', () => {
    const lines = ['tab\there', '~!@#$%^&*()_+', 'Grüße, 日本語, 😀'];
    expect(createReply(250, undefined, ...lines).lines).toEqual(lines);
  });

  it.each([
    ['\u0001', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['\u001b[31m', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['\u007f', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['\u000b', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['\u000c', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['\ud800', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['\udc00x', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
    ['x\ud83d', 'ERR_REPLY_MISUSE_TEXT_INVALID'],
  ])('refuses %j outside textstring', (text, code) => {
    expect(errorCode(() => createReply(250, undefined, text))).toBe(code);
  });

  it('refuses a non-string line', () => {
    expect(errorCode(() => createReply(250, undefined, 42 as never))).toBe(
      'ERR_REPLY_MISUSE_TEXT_INVALID',
    );
  });
});

// RFC 5321 §4.5.3.1.5: "The maximum total length of a reply line including the reply code and
// the <CRLF> is 512 octets."
describe('createReply line length', () => {
  const plain = MAX_REPLY_LINE_OCTETS - 6; // "250" + SP/"-" + CRLF
  it('accepts a line that makes exactly 512 octets and refuses one more', () => {
    expect(createReply(250, undefined, 'a'.repeat(plain)).lines[0]).toHaveLength(plain);
    expect(errorCode(() => createReply(250, undefined, 'a'.repeat(plain + 1)))).toBe(
      'ERR_REPLY_MISUSE_LINE_TOO_LONG',
    );
  });

  it('counts the enhanced prefix "5.1.10 " against the limit', () => {
    const budget = plain - '5.1.10 '.length;
    expect(errorCode(() => createReply(550, '5.1.10', 'a'.repeat(budget)))).toBe('no error');
    expect(errorCode(() => createReply(550, '5.1.10', 'a'.repeat(budget + 1)))).toBe(
      'ERR_REPLY_MISUSE_LINE_TOO_LONG',
    );
  });

  it('counts octets of UTF-8, not UTF-16 units', () => {
    // 'é' is 2 octets, '😀' is 4 octets in 2 UTF-16 units.
    expect(errorCode(() => createReply(250, undefined, 'é'.repeat(plain / 2)))).toBe('no error');
    expect(errorCode(() => createReply(250, undefined, `${'é'.repeat(plain / 2)}x`))).toBe(
      'ERR_REPLY_MISUSE_LINE_TOO_LONG',
    );
    // 126 × 4 + 2 = 506 octets.
    expect(errorCode(() => createReply(250, undefined, `${'😀'.repeat(126)}ab`))).toBe('no error');
    expect(errorCode(() => createReply(250, undefined, `${'😀'.repeat(126)}abc`))).toBe(
      'ERR_REPLY_MISUSE_LINE_TOO_LONG',
    );
  });
});

describe('withText, isReply, checkedReply', () => {
  it('withText keeps code and enhanced status and replaces the lines', () => {
    const base = createReply(250, '2.0.0', 'Message accepted');
    const r = withText(base, 'Ok: queued as ABC', 'second');
    expect(r).toEqual({
      code: 250,
      enhanced: base.enhanced,
      lines: ['Ok: queued as ABC', 'second'],
    });
    expect(base.lines).toEqual(['Message accepted']);
  });

  it('withText checks the new lines', () => {
    expect(errorCode(() => withText(createReply(250, '2.0.0'), 'a\nb'))).toBe(
      'ERR_REPLY_MISUSE_LINE_INJECTION',
    );
  });

  it('isReply tells valid reply values from others without throwing', () => {
    expect(isReply(createReply(250, '2.0.0', 'ok'))).toBe(true);
    expect(isReply({ code: 250, lines: ['ok'] })).toBe(true);
    expect(isReply({ code: 250, enhanced: '2.0.0', lines: ['ok'] })).toBe(false);
    expect(isReply({ code: 250, lines: 'ok' })).toBe(false);
    expect(isReply({ code: 250, enhanced: { class: 5, subject: 0, detail: 0 }, lines: [] })).toBe(
      false,
    );
    expect(isReply(null)).toBe(false);
    expect(isReply(250)).toBe(false);
  });

  it('checkedReply returns a reply built by createReply as is and checks a hand-made one', () => {
    const built = createReply(250, '2.0.0', 'ok');
    expect(checkedReply(built)).toBe(built);
    const hand = { code: 250, lines: ['ok'] };
    const copy = checkedReply(hand);
    expect(copy).toEqual(hand);
    expect(copy).not.toBe(hand);
    expect(Object.isFrozen(copy)).toBe(true);
    expect(errorCode(() => checkedReply({ code: 250 } as never))).toBe(
      'ERR_REPLY_MISUSE_TEXT_INVALID',
    );
    expect(errorCode(() => checkedReply(null as never))).toBe('ERR_REPLY_MISUSE_TEXT_INVALID');
  });
});
