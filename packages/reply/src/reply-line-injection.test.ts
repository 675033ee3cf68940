/**
 * Attack: reply-line injection. Text that reaches a reply line (an address echoed back, a hook's
 * message, a SASL challenge) could hold CR or LF and so end the reply early and forge another
 * reply line or a whole reply; NUL truncates text in some peers. RFC 5321 §4.2 allows only
 * `textstring = 1*(%d09 / %d32-126)` in reply text. No path through this package may put any of
 * them on the wire.
 */
import { describe, expect, it } from 'vitest';
import { formatReplyLines } from './format-reply-lines.js';
import { replies } from './replies.js';
import { createReply, type Reply, withText } from './reply.js';
import { ReplyError } from './reply-error.js';
import { ReplyException } from './reply-exception.js';

const FORBIDDEN = ['\r', '\n', '\0', '\r\n'];
const PAYLOADS = FORBIDDEN.flatMap((f) => [
  `${f}`,
  `ok${f}`,
  `${f}250 2.0.0 forged`,
  `Recipient <a@b>${f}250-injected`,
  `x${f}y`,
]);

function injectionCode(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof ReplyError ? e.code : 'not a ReplyError';
  }
}

describe('reply-line injection', () => {
  it.each(PAYLOADS)('createReply refuses %j in a one-line reply', (payload) => {
    expect(injectionCode(() => createReply(550, '5.1.1', payload))).toBe(
      'ERR_REPLY_MISUSE_LINE_INJECTION',
    );
  });

  it('createReply refuses CR, LF or NUL in every position of a multi-line reply', () => {
    for (const payload of PAYLOADS) {
      for (let at = 0; at < 4; at++) {
        const lines = ['first', 'second', 'third', 'last'];
        lines[at] = payload;
        expect(injectionCode(() => createReply(250, '2.0.0', ...lines))).toBe(
          'ERR_REPLY_MISUSE_LINE_INJECTION',
        );
      }
    }
  });

  it('withText refuses them when changing the text of a catalogue reply', () => {
    for (const payload of PAYLOADS) {
      expect(injectionCode(() => withText(replies.R250_2_0_0_MessageAccepted, 'ok', payload))).toBe(
        'ERR_REPLY_MISUSE_LINE_INJECTION',
      );
    }
  });

  it('formatReplyLines refuses a hand-made reply object that carries them', () => {
    for (const payload of PAYLOADS) {
      const forged: Reply = { code: 250, lines: ['ok', payload] };
      expect(injectionCode(() => formatReplyLines(forged, { enhanced: true }))).toBe(
        'ERR_REPLY_MISUSE_LINE_INJECTION',
      );
    }
  });

  it('formatReplyLines refuses a reply whose lines array was mutated after a check', () => {
    const lines = ['ok'];
    const forged = { code: 250, lines };
    expect(formatReplyLines(forged, { enhanced: false })).toEqual(['250 ok']);
    lines.push('x\r\n250 forged');
    expect(injectionCode(() => formatReplyLines(forged, { enhanced: false }))).toBe(
      'ERR_REPLY_MISUSE_LINE_INJECTION',
    );
  });

  it('a ReplyException cannot carry them: its constructor throws a plain ReplyError', () => {
    const forged: Reply = { code: 550, lines: ['no\r\n250 2.0.0 ok'] };
    let thrown: unknown;
    try {
      new ReplyException(forged);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ReplyError);
    expect(thrown).not.toBeInstanceOf(ReplyException);
    expect((thrown as ReplyError).code).toBe('ERR_REPLY_MISUSE_LINE_INJECTION');
  });

  it('catalogue replies are frozen, so their lines cannot be changed in place', () => {
    const r = replies.R550_5_1_1_NoSuchUser;
    expect(() => {
      (r.lines as string[]).push('x\r\n');
    }).toThrow(TypeError);
    expect(() => {
      (r as { code: number }).code = 250;
    }).toThrow(TypeError);
  });
});
