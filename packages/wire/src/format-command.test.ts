import { parseDomain, parseMailbox } from '@smtpkit/address';
import { latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { formatCommand, formatCommandText } from './format-command.js';
import { WireError } from './wire-error.js';

function misuse(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof WireError && e.misuse) return e.code;
    throw e;
  }
  throw new Error('no error');
}

describe('formatCommand', () => {
  it('writes each verb with CRLF', () => {
    const m = parseMailbox('jqp@example.com');
    expect(formatCommandText({ verb: 'EHLO', domain: parseDomain('Client.Example') })).toBe(
      'EHLO client.example\r\n',
    );
    expect(
      formatCommandText({
        verb: 'MAIL',
        reversePath: { kind: 'null' },
        params: [{ keyword: 'SIZE', value: '10' }],
      }),
    ).toBe('MAIL FROM:<> SIZE=10\r\n');
    expect(
      formatCommandText({
        verb: 'RCPT',
        forwardPath: { kind: 'mailbox', mailbox: m },
        params: [{ keyword: 'NOTIFY', value: 'NEVER' }],
      }),
    ).toBe('RCPT TO:<jqp@example.com> NOTIFY=NEVER\r\n');
    expect(
      formatCommandText({ verb: 'RCPT', forwardPath: { kind: 'postmaster' }, params: [] }),
    ).toBe('RCPT TO:<Postmaster>\r\n');
    expect(formatCommandText({ verb: 'DATA' })).toBe('DATA\r\n');
    expect(formatCommandText({ verb: 'VRFY', argument: 'John Smith' })).toBe(
      'VRFY "John Smith"\r\n',
    );
    expect(formatCommandText({ verb: 'BDAT', size: 86, last: true })).toBe('BDAT 86 LAST\r\n');
    expect(formatCommandText({ verb: 'AUTH', mechanism: 'plain', initialResponse: '=' })).toBe(
      'AUTH PLAIN =\r\n',
    );
    expect(formatCommandText({ verb: 'UNKNOWN', name: 'xclient', argument: 'NAME=x' })).toBe(
      'XCLIENT NAME=x\r\n',
    );
    expect(latin1(formatCommand({ verb: 'QUIT' }))).toBe('QUIT\r\n');
  });

  it('writes U-labels and UTF-8 only in the unicode form', () => {
    const m = parseMailbox('δ@παράδειγμα.example', { smtputf8: true });
    const rcpt = {
      verb: 'RCPT' as const,
      forwardPath: { kind: 'mailbox' as const, mailbox: m },
      params: [],
    };
    expect(formatCommandText(rcpt, { form: 'unicode' })).toBe('RCPT TO:<δ@παράδειγμα.example>\r\n');
  });

  it('refuses values the grammar does not allow, as API misuse', () => {
    expect(
      misuse(() =>
        formatCommand({
          verb: 'MAIL',
          reversePath: { kind: 'null' },
          params: [{ keyword: 'A_B', value: undefined }],
        }),
      ),
    ).toBe('ERR_WIRE_MISUSE_INVALID_ARGUMENT');
    expect(
      misuse(() =>
        formatCommand({
          verb: 'MAIL',
          reversePath: { kind: 'null' },
          params: [{ keyword: 'X', value: 'a b' }],
        }),
      ),
    ).toBe('ERR_WIRE_MISUSE_INVALID_ARGUMENT');
    expect(
      misuse(() =>
        formatCommand({
          verb: 'MAIL',
          reversePath: { kind: 'null' },
          params: [
            { keyword: 'SIZE', value: '1' },
            { keyword: 'size', value: '2' },
          ],
        }),
      ),
    ).toBe('ERR_WIRE_MISUSE_INVALID_ARGUMENT');
    expect(misuse(() => formatCommand({ verb: 'BDAT', size: -1, last: false }))).toBe(
      'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
    );
    expect(misuse(() => formatCommand({ verb: 'BDAT', size: 1.5, last: false }))).toBe(
      'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
    );
    expect(
      misuse(() =>
        formatCommand({ verb: 'AUTH', mechanism: 'PL AIN', initialResponse: undefined }),
      ),
    ).toBe('ERR_WIRE_MISUSE_INVALID_ARGUMENT');
    expect(misuse(() => formatCommand({ verb: 'NOOP', argument: '' }))).toBe(
      'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
    );
    expect(misuse(() => formatCommand({ verb: 'NOOP', argument: 'x ' }))).toBe(
      'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
    );
    expect(
      misuse(() => formatCommand({ verb: 'UNKNOWN', name: 'DATA', argument: undefined })),
    ).toBe('ERR_WIRE_MISUSE_INVALID_ARGUMENT');
    expect(misuse(() => formatCommand({ verb: 'ETRN', argument: 'a\tb' }))).toBe(
      'ERR_WIRE_MISUSE_INVALID_ARGUMENT',
    );
  });

  it('refuses UTF-8 parameter values in the ASCII form (RFC 6531 §3.3)', () => {
    expect(
      misuse(() =>
        formatCommand({
          verb: 'MAIL',
          reversePath: { kind: 'null' },
          params: [{ keyword: 'X', value: 'é' }],
        }),
      ),
    ).toBe('ERR_WIRE_MISUSE_INVALID_ARGUMENT');
  });
});
