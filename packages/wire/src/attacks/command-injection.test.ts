// Attack: SMTP command injection through envelope fields. A client that writes a caller's value
// containing CRLF into a command lets the caller add commands of their own (reported against
// several popular mail libraries). RFC 5321 §2.3.8: CR and LF appear only as the line end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../format-command.js';
import { formatCommand, formatCommandText } from '../format-command.js';
import { WireError } from '../wire-error.js';

const mailbox = (localPart: string, domain = 'example.com') => ({
  localPart,
  domain: { kind: 'domain' as const, ascii: domain, unicode: domain },
});

function injectionError(command: CommandInput): WireError {
  try {
    formatCommand(command);
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
  throw new Error('formatted');
}

const payloads = ['\r\nRCPT TO:<evil@example.net>', '\nDATA', '\rQUIT', 'a\0b'];

describe('attack: command injection through arguments', () => {
  for (const p of payloads) {
    const cases: [string, CommandInput][] = [
      ['EHLO name', { verb: 'EHLO', domain: { kind: 'domain', ascii: `a${p}`, unicode: `a${p}` } }],
      [
        'reverse-path',
        { verb: 'MAIL', reversePath: { kind: 'mailbox', mailbox: mailbox(`a${p}`) }, params: [] },
      ],
      [
        'forward-path domain',
        {
          verb: 'RCPT',
          forwardPath: { kind: 'mailbox', mailbox: mailbox('a', `x${p}`) },
          params: [],
        },
      ],
      [
        'parameter value',
        {
          verb: 'MAIL',
          reversePath: { kind: 'null' },
          params: [{ keyword: 'ENVID', value: `x${p}` }],
        },
      ],
      [
        'parameter keyword',
        {
          verb: 'RCPT',
          forwardPath: { kind: 'postmaster' },
          params: [{ keyword: `X${p}`, value: undefined }],
        },
      ],
      ['AUTH initial response', { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: `AA${p}` }],
      ['AUTH mechanism', { verb: 'AUTH', mechanism: `PLAIN${p}`, initialResponse: undefined }],
      ['VRFY argument', { verb: 'VRFY', argument: `x${p}` }],
      ['HELP argument', { verb: 'HELP', argument: `x${p}` }],
      ['ETRN argument', { verb: 'ETRN', argument: `x${p}` }],
      ['unknown verb argument', { verb: 'UNKNOWN', name: 'XFOO', argument: `x${p}` }],
    ];
    for (const [what, command] of cases) {
      it(`refuses ${JSON.stringify(p)} in the ${what}`, () => {
        const e = injectionError(command);
        expect(e.code).toBe('ERR_WIRE_MISUSE_INJECTION');
        expect(e.misuse).toBe(true);
      });
    }
  }

  it('never writes more than one line, whatever the caller passes', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        const commands: CommandInput[] = [
          {
            verb: 'MAIL',
            reversePath: { kind: 'mailbox', mailbox: mailbox(a, 'example.com') },
            params: [{ keyword: 'ENVID', value: b }],
          },
          { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: c },
          { verb: 'NOOP', argument: a },
          { verb: 'VRFY', argument: b },
        ];
        for (const command of commands) {
          try {
            const text = formatCommandText(command);
            expect(text.indexOf('\n')).toBe(text.length - 1);
            expect(text.indexOf('\r')).toBe(text.length - 2);
            expect(text.includes('\0')).toBe(false);
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
          }
        }
      }),
    );
  });
});
