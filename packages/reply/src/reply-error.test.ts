import { describe, expect, it } from 'vitest';
import { replies } from './replies.js';
import { createReply } from './reply.js';
import { ReplyError, type ReplyErrorCode } from './reply-error.js';
import { ReplyException } from './reply-exception.js';

/** Every code and whether it means misuse: renaming or adding a code must change this table. */
const misuseByCode = {
  ERR_REPLY_MISUSE_CODE: true,
  ERR_REPLY_MISUSE_ENHANCED_SYNTAX: true,
  ERR_REPLY_MISUSE_CLASS_MISMATCH: true,
  ERR_REPLY_MISUSE_LINE_INJECTION: true,
  ERR_REPLY_MISUSE_TEXT_INVALID: true,
  ERR_REPLY_MISUSE_LINE_TOO_LONG: true,
  ERR_REPLY_THROWN: false,
} as const satisfies Record<ReplyErrorCode, boolean>;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('ReplyError', () => {
  it('is misuse for a reply that must not reach the wire', () => {
    const e = thrown(() => createReply(600 as never, undefined, 'x'));
    expect(e).toBeInstanceOf(ReplyError);
    expect(e).toMatchObject({ code: 'ERR_REPLY_MISUSE_CODE', misuse: true, name: 'ReplyError' });
  });

  it('is not misuse for a ReplyException, which carries the reply to send', () => {
    const e = new ReplyException(replies.R550_5_1_1_NoSuchUser);
    expect(e).toMatchObject({ code: 'ERR_REPLY_THROWN', misuse: false });
    expect(e.reply.code).toBe(550);
  });

  it.each(Object.entries(misuseByCode))('%s is a stable string, misuse %s', (code, misuse) => {
    expect(code).toMatch(/^ERR_REPLY_[A-Z0-9_]+$/);
    const e = new ReplyError(code as ReplyErrorCode, 'm');
    expect(e.code).toBe(code);
    expect(e.misuse).toBe(misuse);
  });

  it('keeps a cause given as an ES2022 error option', () => {
    const cause = new Error('inner');
    expect(new ReplyError('ERR_REPLY_MISUSE_CODE', 'm', { cause }).cause).toBe(cause);
    expect('cause' in new ReplyError('ERR_REPLY_MISUSE_CODE', 'm')).toBe(false);
  });
});
