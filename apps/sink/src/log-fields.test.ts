import { ReplyException, replies } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { refusalOf, replyFields } from './log-fields.js';

describe('replyFields', () => {
  it('gives the code, the enhanced status as text and the reply text', () => {
    expect(replyFields(replies.R552_5_3_4_MessageTooBig)).toEqual({
      code: 552,
      enhanced: '5.3.4',
      text: replies.R552_5_3_4_MessageTooBig.lines.join(' '),
    });
  });
});

describe('refusalOf', () => {
  it('reads the reply of a ReplyException, or of anything shaped like one', () => {
    const reply = replies.R552_5_3_4_MessageTooBig;
    expect(refusalOf(new ReplyException(reply))).toEqual(reply);
    expect(refusalOf({ reply })).toEqual(reply);
  });

  it.each([new Error('connection closed'), { reply: { code: 'x' } }, undefined, null, 'text'])(
    'is undefined for %j',
    (e) => {
      expect(refusalOf(e)).toBeUndefined();
    },
  );
});
