import { replies } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { formatReply } from './format-reply.js';
import { parseCommand } from './parse-command.js';
import { WireError, type WireErrorCode } from './wire-error.js';

/** Every code and whether it means misuse: renaming or adding a code must change this table. */
const misuseByCode = {
  ERR_WIRE_LINE_TOO_LONG: false,
  ERR_WIRE_BARE_LF: false,
  ERR_WIRE_BARE_CR: false,
  ERR_WIRE_INVALID_UTF8: false,
  ERR_WIRE_COMMAND_SYNTAX: false,
  ERR_WIRE_PARAMETER_SYNTAX: false,
  ERR_WIRE_PARAMETER_DUPLICATE: false,
  ERR_WIRE_ADDRESS: false,
  ERR_WIRE_REPLY_SYNTAX: false,
  ERR_WIRE_REPLY_CODE_MISMATCH: false,
  ERR_WIRE_REPLY_LINE_TOO_LONG: false,
  ERR_WIRE_REPLY_TOO_MANY_LINES: false,
  ERR_WIRE_EHLO_REPLY: false,
  ERR_WIRE_MISUSE_INJECTION: true,
  ERR_WIRE_MISUSE_INVALID_ARGUMENT: true,
} as const satisfies Record<WireErrorCode, boolean>;

function thrown(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('WireError', () => {
  it('is misuse, with no reply, for a value that would break the protocol', () => {
    const e = thrown(() => formatReply({ code: 250, lines: ['ok\r\n250 forged'] }));
    expect(e).toMatchObject({ code: 'ERR_WIRE_MISUSE_INJECTION', misuse: true, reply: undefined });
  });

  it('is a peer fault, with the reply a server sends, for a bad command line', () => {
    const e = thrown(() => parseCommand('MAIL FROM:<a b@example.com>'));
    expect(e).toMatchObject({ code: 'ERR_WIRE_ADDRESS', misuse: false, reply: { code: 501 } });
    expect(e.cause).toMatchObject({ name: 'AddressError', misuse: false });
  });

  it.each(Object.entries(misuseByCode))('%s is a stable string, misuse %s', (code, misuse) => {
    expect(code).toMatch(/^ERR_WIRE_[A-Z0-9_]+$/);
    const e = new WireError(code as WireErrorCode, 'm');
    expect(e.code).toBe(code);
    expect(e.misuse).toBe(misuse);
  });

  it('keeps a reply and a cause given as options', () => {
    const cause = new Error('inner');
    const reply = replies.R500_5_5_2_SyntaxError;
    const e = new WireError('ERR_WIRE_COMMAND_SYNTAX', 'm', { reply, cause });
    expect(e.reply).toBe(reply);
    expect(e.cause).toBe(cause);
    expect('cause' in new WireError('ERR_WIRE_COMMAND_SYNTAX', 'm')).toBe(false);
  });
});
