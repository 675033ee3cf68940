// Two copies of @smtpkit/reply in one process (its ESM and CommonJS builds, or a second version
// nested by npm) have two ReplyError classes and two ReplyException classes. What one copy makes
// must be recognised by the other: errors by their Symbol.for brand, replies by their shape.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './index.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./index.js');
});

describe('a second copy of @smtpkit/reply', () => {
  it('has its own classes, which instanceof tells apart', () => {
    expect(other.ReplyException).not.toBe(here.ReplyException);
    expect(new other.ReplyException(other.replies.R550_5_1_1_NoSuchUser)).not.toBeInstanceOf(
      here.ReplyException,
    );
  });

  it('makes a ReplyException that isReplyException and isReplyError recognise', () => {
    const e = new other.ReplyException(other.replies.R550_5_1_1_NoSuchUser);
    expect(here.isReplyException(e)).toBe(true);
    expect(here.isReplyError(e)).toBe(true);
    expect(e.reply.code).toBe(550);
  });

  it('makes a ReplyError that isReplyError recognises, and that is no ReplyException', () => {
    let e: unknown;
    try {
      other.createReply(600 as never, undefined, 'x');
    } catch (thrown) {
      e = thrown;
    }
    expect(e).not.toBeInstanceOf(here.ReplyError);
    expect(here.isReplyError(e)).toBe(true);
    expect(here.isReplyException(e)).toBe(false);
  });

  it('makes replies that this copy accepts as its own', () => {
    const reply = other.withText(other.replies.R550_5_1_1_NoSuchUser, 'no such user here');
    expect(here.isReply(reply)).toBe(true);
    expect(here.checkedReply(reply)).toEqual(reply);
    expect(here.formatReplyLines(reply, { enhanced: true })).toEqual([
      '550 5.1.1 no such user here',
    ]);
    expect(new here.ReplyException(reply).reply).toEqual(reply);
  });
});

describe('the brands', () => {
  it('are Symbol.for keys, so a class defined apart with the same brand is recognised', () => {
    class Elsewhere extends Error {
      static {
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/reply.ReplyError'), {
          value: true,
        });
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/reply.ReplyException'), {
          value: true,
        });
      }
    }
    expect(here.isReplyException(new Elsewhere())).toBe(true);
    expect(here.isReplyError(new Elsewhere())).toBe(true);
  });

  it('are inherited by subclasses', () => {
    class Refusal extends here.ReplyException {}
    expect(here.isReplyException(new Refusal(here.replies.R550_5_1_1_NoSuchUser))).toBe(true);
  });

  it('are absent from anything else', () => {
    for (const value of [new Error('x'), { code: 'ERR_REPLY_THROWN' }, null, undefined, 'x', 550]) {
      expect(here.isReplyException(value)).toBe(false);
      expect(here.isReplyError(value)).toBe(false);
    }
    // On the prototype, not the instance: an error's own properties (logs, toEqual) stay the same.
    const e = new here.ReplyException(here.replies.R550_5_1_1_NoSuchUser);
    expect(Object.getOwnPropertySymbols(e)).toEqual([]);
  });
});
