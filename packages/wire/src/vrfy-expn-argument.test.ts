// RFC 5321 §4.1.1.6 / §4.1.1.7: `vrfy = "VRFY" SP String CRLF`, `expn = "EXPN" SP String CRLF`;
// §4.1.2: `String = Atom / Quoted-string`, `Atom = 1*atext`, `Quoted-string = DQUOTE
// *QcontentSMTP DQUOTE`. §3.5.1 adds that the VRFY string may be "a user name and domain", and
// clients (curl) send `VRFY user@example.com`: a Dot-string or a Mailbox is taken as sent too.
// Anything else (spaces, backslashes or quotes outside a Quoted-string, <a@b>) is a 501 5.5.4.
import { describe, expect, it } from 'vitest';
import { CommandReader } from './command-reader.js';
import { formatCommandText } from './format-command.js';
import { type CommandParseOptions, parseCommand } from './parse-command.js';
import { formatSmtpString } from './smtp-string.js';
import { WireError } from './wire-error.js';
import { wireReplies } from './wire-replies.js';

function refusal(line: string, options?: CommandParseOptions): WireError {
  try {
    parseCommand(line, options);
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
  throw new Error(`${line} parsed`);
}

const utf8: CommandParseOptions = { smtputf8: true };

describe('VRFY / EXPN argument (RFC 5321 §4.1.1.6, §4.1.1.7, §4.1.2)', () => {
  it('accepts an Atom, as sent', () => {
    for (const atom of ['Smith', 'Crispin', 'Example-People', "a!#$%&'*+-/=?^_`{|}~9"]) {
      expect(parseCommand(`VRFY ${atom}`)).toEqual({
        verb: 'VRFY',
        argument: atom,
        raw: `VRFY ${atom}`,
      });
      expect(parseCommand(`EXPN ${atom}`)).toMatchObject({ verb: 'EXPN', argument: atom });
    }
  });

  it('accepts a Quoted-string, decoded, the empty one included', () => {
    expect(parseCommand('VRFY "John Smith"')).toMatchObject({ argument: 'John Smith' });
    expect(parseCommand('EXPN "a \\"b\\" \\\\c"')).toMatchObject({ argument: 'a "b" \\c' });
    expect(parseCommand('VRFY ""')).toMatchObject({ argument: '' });
  });

  // RFC 5321 §3.5.1: "For the VRFY command, the string is a user name or a user name and domain".
  it('accepts a user name (Dot-string) or a Mailbox as sent', () => {
    expect(parseCommand('VRFY john.smith')).toMatchObject({ argument: 'john.smith' });
    expect(parseCommand('VRFY user@example.com')).toMatchObject({ argument: 'user@example.com' });
    expect(parseCommand('VRFY "john smith"@example.com')).toMatchObject({
      argument: '"john smith"@example.com',
    });
  });

  it('refuses an unquoted argument with spaces, backslashes or quotes, with 501 5.5.4', () => {
    for (const line of [
      'VRFY John Smith',
      'EXPN John Smith',
      'VRFY a\\b',
      'VRFY a"b',
      'VRFY "a"b',
      'VRFY "a" "b"',
      'VRFY "unterminated',
      'VRFY  Smith',
    ]) {
      const e = refusal(line);
      expect(e.code, line).toBe('ERR_WIRE_COMMAND_SYNTAX');
      expect(e.reply, line).toBe(wireReplies.R501_5_5_4_SyntaxErrorInParameters);
      expect(e.misuse, line).toBe(false);
    }
  });

  it('refuses what is neither a String nor a Mailbox', () => {
    for (const line of [
      'VRFY <a@b.example>',
      'VRFY a,b',
      'VRFY (x)',
      'VRFY a@b@c',
      'VRFY a.',
      'VRFY a..b',
      'VRFY .a',
    ]) {
      expect(refusal(line).reply?.code, line).toBe(501);
    }
  });

  it('still needs an argument', () => {
    expect(refusal('VRFY').reply?.code).toBe(501);
    expect(refusal('EXPN').reply?.code).toBe(501);
  });

  // RFC 6531 §3.3: atext =/ UTF8-non-ascii, qtextSMTP =/ UTF8-non-ascii, under SMTPUTF8 only.
  it('accepts UTF-8 under SMTPUTF8 only', () => {
    for (const line of ['VRFY Użytkownik', 'VRFY "Jan Kowalski Ż"', 'VRFY δ@example.com']) {
      expect(refusal(line).reply?.code, line).toBe(501);
      expect(parseCommand(line, utf8).verb, line).toBe('VRFY');
    }
  });

  // RFC 6531 §3.7.4.1: `vrfy = "VRFY" SP String [ SP "SMTPUTF8" ] CRLF`, likewise EXPN.
  it('reads the SMTPUTF8 parameter when SMTPUTF8 is offered', () => {
    expect(parseCommand('VRFY Användaren SMTPUTF8', utf8)).toEqual({
      verb: 'VRFY',
      argument: 'Användaren',
      smtputf8: true,
      raw: 'VRFY Användaren SMTPUTF8',
    });
    expect(parseCommand('expn "Friends list" smtputf8', utf8)).toMatchObject({
      argument: 'Friends list',
      smtputf8: true,
    });
    for (const line of ['VRFY x SMTPUTF8', 'VRFY x SMTPUTF8 y', 'VRFY x FOO']) {
      expect(refusal(line).reply?.code, line).toBe(501);
    }
    expect(refusal('VRFY x SMTPUTF8 y', utf8).reply?.code).toBe(501);
  });

  it('answers a bad argument as an error event of the command reader', () => {
    const reader = new CommandReader();
    reader.push(new TextEncoder().encode('VRFY John Smith\r\nVRFY "John Smith"\r\n'));
    expect(reader.next()).toMatchObject({ type: 'error', reply: { code: 501 } });
    expect(reader.next()).toMatchObject({ type: 'command', command: { argument: 'John Smith' } });
  });
});

describe('formatSmtpString / formatCommand for VRFY and EXPN', () => {
  it('writes a String: an Atom as is, anything else quoted', () => {
    expect(formatSmtpString('Smith')).toBe('Smith');
    expect(formatSmtpString('user@example.com')).toBe('"user@example.com"');
    expect(formatSmtpString('john.smith')).toBe('"john.smith"');
  });

  it('writes a user name or a mailbox as is, and quotes anything else, so it parses back', () => {
    for (const value of ['Smith', 'john.smith', 'user@example.com', '"a b"@example.com']) {
      expect(formatCommandText({ verb: 'VRFY', argument: value })).toBe(`VRFY ${value}\r\n`);
      expect(parseCommand(`VRFY ${value}`)).toMatchObject({ argument: value });
    }
    for (const [value, quoted] of [
      ['John Smith', '"John Smith"'],
      ['a<b', '"a<b"'],
      ['a,b', '"a,b"'],
      ['', '""'],
      ['a"b\\c', '"a\\"b\\\\c"'],
    ]) {
      const line = formatCommandText({ verb: 'VRFY', argument: value as string });
      expect(line).toBe(`VRFY ${quoted}\r\n`);
      expect(parseCommand(line.slice(0, -2))).toMatchObject({ argument: value });
    }
  });

  it('writes the SMTPUTF8 parameter when asked', () => {
    expect(formatCommandText({ verb: 'EXPN', argument: 'Freunde', smtputf8: true })).toBe(
      'EXPN Freunde SMTPUTF8\r\n',
    );
  });
});
