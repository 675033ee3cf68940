import { describe, expect, it } from 'vitest';
import { replies } from './replies.js';
import { withText } from './reply.js';
import { ReplyError } from './reply-error.js';
import { ReplyException } from './reply-exception.js';

describe('ReplyException', () => {
  it('carries the reply a hook wants sent, and is a ReplyError with code ERR_REPLY_THROWN', () => {
    const reply = withText(replies.R550_5_1_1_NoSuchUser, 'No such user here');
    const e = new ReplyException(reply);
    expect(e.reply).toBe(reply);
    expect(e).toBeInstanceOf(ReplyError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('ERR_REPLY_THROWN');
    expect(e.name).toBe('ReplyException');
    expect(e.message).toBe('550 5.1.1 No such user here');
  });

  it('keeps a cause', () => {
    const cause = new Error('db down');
    expect(new ReplyException(replies.R451_4_3_0_LocalError, { cause }).cause).toBe(cause);
  });

  it('checks a hand-made reply and keeps a frozen copy', () => {
    const e = new ReplyException({ code: 452, lines: ['later'] });
    expect(e.reply).toEqual({ code: 452, lines: ['later'] });
    expect(Object.isFrozen(e.reply)).toBe(true);
  });
});
