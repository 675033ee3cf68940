import { describe, expect, it } from 'vitest';
import { type CommandParseOptions, parseCommand } from './parse-command.js';
import { WireError } from './wire-error.js';
import { lineFaultReply, wireReplies } from './wire-replies.js';

function error(line: string, options?: CommandParseOptions): WireError {
  try {
    parseCommand(line, options);
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
  throw new Error(`${line} parsed`);
}

describe('parseCommand: verbs', () => {
  // RFC 5321 §2.4: "Verbs and argument values ... are not case sensitive".
  it('reads verbs case-insensitively', () => {
    for (const verb of ['quit', 'Quit', 'QUIT', 'qUiT'])
      expect(parseCommand(verb).verb).toBe('QUIT');
    const mail = parseCommand('mail from:<a@example.com>');
    expect(mail.verb).toBe('MAIL');
  });

  it('reads every verb of its table in any case, and no other four letters as one', () => {
    const lines: Record<string, string> = {
      hElO: 'hElO client.example',
      eHlO: 'eHlO client.example',
      lHlO: 'lHlO client.example',
      MaIl: 'MaIl FrOm:<a@example.com>',
      rCpT: 'rCpT tO:<b@example.com>',
      DaTa: 'DaTa',
      rSeT: 'rSeT',
      qUiT: 'qUiT',
      NoOp: 'NoOp',
      HeLp: 'HeLp',
      VrFy: 'VrFy user',
      ExPn: 'ExPn list',
      BdAt: 'BdAt 10 LaSt',
      AuTh: 'AuTh plain',
      EtRn: 'EtRn example.com',
      StArTtLs: 'StArTtLs',
    };
    for (const [verb, line] of Object.entries(lines)) {
      expect(parseCommand(line).verb).toBe(verb.toUpperCase());
    }
    // Letters and digits or "-" never fold onto a verb: these are somebody else's.
    for (const name of ['MAI1', 'DAT-', 'QUI7', 'STARTTL5', 'XDATA', 'DAT']) {
      expect(parseCommand(name)).toMatchObject({ verb: 'UNKNOWN', name });
    }
  });

  it('passes unknown verbs on, upper-cased, with their argument', () => {
    expect(parseCommand('xclient ADDR=1.2.3.4')).toEqual({
      verb: 'UNKNOWN',
      name: 'XCLIENT',
      argument: 'ADDR=1.2.3.4',
      raw: 'xclient ADDR=1.2.3.4',
    });
    expect(parseCommand('ATRN')).toMatchObject({
      verb: 'UNKNOWN',
      name: 'ATRN',
      argument: undefined,
    });
  });

  it('refuses a line that is not a command with 500 5.5.2', () => {
    for (const line of ['', ' NOOP', '-X', 'DATA_', '☃', 'GET/ HTTP/1.0']) {
      const e = error(line);
      expect(e.code).toBe('ERR_WIRE_COMMAND_SYNTAX');
      expect(e.reply?.code).toBe(500);
      expect(e.reply?.enhanced).toEqual({ class: 5, subject: 5, detail: 2 });
    }
  });

  // RFC 5321 §4.2.2: 500 when the command is not recognized, 501 when a known command's
  // arguments are wrong.
  it('refuses control characters anywhere in the line: 501 in the argument of a known verb, else 500', () => {
    for (const line of ['NOOP a\0b', 'NOOP \x1b[2J']) {
      expect(error(line).reply).toBe(wireReplies.R501_5_5_4_SyntaxErrorInParameters);
    }
    for (const line of ['HELP\x7f', 'XFOO a\0b']) {
      expect(error(line).reply?.code).toBe(500);
    }
  });

  it('leaves extension verbs unparsed with extensionVerbs: raw', () => {
    for (const verb of ['STARTTLS', 'BDAT', 'AUTH', 'ETRN']) {
      expect(parseCommand(`${verb.toLowerCase()} x y`, { extensionVerbs: 'raw' })).toEqual({
        verb: 'UNKNOWN',
        name: verb,
        argument: 'x y',
        raw: `${verb.toLowerCase()} x y`,
      });
    }
    expect(parseCommand('BDAT 10 LAST')).toMatchObject({ verb: 'BDAT', size: 10, last: true });
  });

  it('names the greeting the client used in its syntax reply', () => {
    expect(error('HELO').reply).toBe(wireReplies.R501_5_5_4_HeloSyntax);
    expect(error('EHLO a b').reply).toBe(wireReplies.R501_5_5_4_EhloSyntax);
    expect(error('LHLO').reply).toBe(wireReplies.R501_5_5_4_LhloSyntax);
  });

  // RFC 5321 §4.1.1: "SMTP receivers SHOULD tolerate trailing white space before the terminating <CRLF>".
  it('tolerates trailing white space and keeps it in raw', () => {
    const c = parseCommand('RSET \t ');
    expect(c).toEqual({ verb: 'RSET', raw: 'RSET \t ' });
    expect(parseCommand('EHLO example.com  ')).toMatchObject({ verb: 'EHLO' });
  });

  it('refuses arguments to DATA, RSET, QUIT and STARTTLS with 501 5.5.4', () => {
    for (const verb of ['DATA', 'RSET', 'QUIT', 'STARTTLS']) {
      const e = error(`${verb} now`);
      expect(e.reply?.code).toBe(501);
      expect(e.reply?.enhanced).toEqual({ class: 5, subject: 5, detail: 4 });
    }
  });
});

describe('parseCommand: HELO / EHLO / LHLO', () => {
  it('reads a domain, lower-casing its ASCII form', () => {
    const c = parseCommand('EHLO Mail.Example.COM');
    expect(c.verb === 'EHLO' && c.domain).toMatchObject({
      kind: 'domain',
      ascii: 'mail.example.com',
    });
  });

  it('reads address literals', () => {
    const v4 = parseCommand('EHLO [192.0.2.1]');
    expect(v4.verb === 'EHLO' && v4.domain).toMatchObject({ kind: 'ipv4', address: '192.0.2.1' });
    const v6 = parseCommand('HELO [IPv6:2001:db8::1]');
    expect(v6.verb === 'HELO' && v6.domain).toMatchObject({ kind: 'ipv6' });
  });

  it('refuses a missing, doubled or malformed name with 501 5.5.4', () => {
    for (const line of [
      'EHLO',
      'EHLO a.example b.example',
      'EHLO bad_name',
      'EHLO [300.1.1.1]',
      'EHLO  a.example',
    ]) {
      const e = error(line);
      expect(e.code).toBe('ERR_WIRE_COMMAND_SYNTAX');
      expect(e.reply?.code).toBe(501);
    }
  });
});

describe('parseCommand: MAIL and RCPT', () => {
  it('reads the reverse-path and parameters, values raw', () => {
    const c = parseCommand(
      'MAIL FROM:<jqp@example.com> SIZE=1000 ENVID=a+2Bb BODY=8BITMIME SMTPUTF8',
    );
    expect(c.verb).toBe('MAIL');
    if (c.verb !== 'MAIL') return;
    expect(c.reversePath).toMatchObject({ kind: 'mailbox', mailbox: { localPart: 'jqp' } });
    expect(c.params).toEqual([
      { keyword: 'SIZE', value: '1000' },
      { keyword: 'ENVID', value: 'a+2Bb' },
      { keyword: 'BODY', value: '8BITMIME' },
      { keyword: 'SMTPUTF8', value: undefined },
    ]);
  });

  it('reads the null reverse-path and <Postmaster>', () => {
    expect(parseCommand('MAIL FROM:<>')).toMatchObject({
      reversePath: { kind: 'null' },
      params: [],
    });
    expect(parseCommand('RCPT TO:<postmaster>')).toMatchObject({
      forwardPath: { kind: 'postmaster' },
    });
  });

  it('refuses a space after the colon by default, and accepts it when asked', () => {
    const e = error('MAIL FROM: <a@example.com>');
    expect(e.reply?.code).toBe(501);
    expect(parseCommand('MAIL FROM: <a@example.com>', { spaceAfterColon: 'accept' }).verb).toBe(
      'MAIL',
    );
    expect(parseCommand('RCPT TO:  <a@example.com>', { spaceAfterColon: 'accept' }).verb).toBe(
      'RCPT',
    );
  });

  it('refuses a missing FROM: or TO:', () => {
    for (const line of [
      'MAIL',
      'MAIL <a@b.example>',
      'MAIL TO:<a@b.example>',
      'RCPT FROM:<a@b.example>',
    ]) {
      expect(error(line).code).toBe('ERR_WIRE_COMMAND_SYNTAX');
    }
  });

  it('carries the address error reply: 501 5.1.7 sender, 501 5.1.3 recipient, 553 5.6.7 UTF-8', () => {
    const sender = error('MAIL FROM:<a..b@example.com>');
    expect(sender.code).toBe('ERR_WIRE_ADDRESS');
    expect(sender.reply).toMatchObject({
      code: 501,
      enhanced: { class: 5, subject: 1, detail: 7 },
    });
    const rcpt = error('RCPT TO:<a..b@example.com>');
    expect(rcpt.reply).toMatchObject({ code: 501, enhanced: { class: 5, subject: 1, detail: 3 } });
    const utf8 = error('RCPT TO:<δοκιμή@example.com>');
    expect(utf8.reply).toMatchObject({ code: 553, enhanced: { class: 5, subject: 6, detail: 7 } });
    expect(parseCommand('RCPT TO:<δοκιμή@example.com>', { smtputf8: true }).verb).toBe('RCPT');
    // Options change between calls (the address options are kept from the last call's): each
    // call is parsed with its own.
    expect(() => parseCommand('RCPT TO:<δοκιμή@example.com>', {})).toThrow(WireError);
    expect(parseCommand('RCPT TO:<δοκιμή@example.com>', { smtputf8: true }).verb).toBe('RCPT');
    expect(() =>
      parseCommand('RCPT TO:<ab@example.com>', {
        smtputf8: true,
        addressLimits: { localPart: 1 },
      }),
    ).toThrow(WireError);
    expect(parseCommand('RCPT TO:<ab@example.com>', { smtputf8: true }).verb).toBe('RCPT');
  });

  it('refuses text glued to the path', () => {
    for (const line of [
      'MAIL FROM:<a@b.example>SIZE=1',
      'MAIL FROM:<a@b.example>>',
      'RCPT TO:<a@b.example> ',
    ]) {
      if (line.endsWith(' ')) expect(parseCommand(line).verb).toBe('RCPT');
      else expect(error(line).code).toBe('ERR_WIRE_COMMAND_SYNTAX');
    }
  });

  it('refuses duplicate parameters case-insensitively with 501 5.5.4', () => {
    const e = error('MAIL FROM:<> SIZE=1 size=2');
    expect(e.code).toBe('ERR_WIRE_PARAMETER_DUPLICATE');
    expect(e.reply).toMatchObject({ code: 501, enhanced: { class: 5, subject: 5, detail: 4 } });
  });

  it('refuses malformed keywords and values with 501 5.5.4', () => {
    for (const p of [
      'SIZE=',
      '=1',
      '-X=1',
      'A_B=1',
      'X=a=b',
      'X=\u00e9',
      'BODY=8BIT MIME=',
      'A  B',
    ]) {
      const e = error(`MAIL FROM:<> ${p}`);
      expect(['ERR_WIRE_PARAMETER_SYNTAX', 'ERR_WIRE_COMMAND_SYNTAX']).toContain(e.code);
      expect(e.reply?.code).toBe(501);
    }
  });

  // RFC 6531 §3.3: esmtp-value =/ UTF8-non-ascii
  it('accepts UTF-8 in values under SMTPUTF8 only', () => {
    const c = parseCommand('RCPT TO:<a@example.com> ORCPT=utf-8;δ@example.com', { smtputf8: true });
    expect(c.verb === 'RCPT' && c.params[0]?.value).toBe('utf-8;δ@example.com');
  });
});

describe('parseCommand: other verbs', () => {
  it('reads VRFY and EXPN, decoding a Quoted-string', () => {
    expect(parseCommand('VRFY Smith')).toMatchObject({ verb: 'VRFY', argument: 'Smith' });
    expect(parseCommand('EXPN "Example \\"People\\""')).toMatchObject({
      argument: 'Example "People"',
    });
    expect(error('VRFY "unterminated').reply?.code).toBe(501);
    expect(error('VRFY').reply?.code).toBe(501);
  });

  it('reads NOOP and HELP with or without an argument', () => {
    expect(parseCommand('NOOP')).toEqual({ verb: 'NOOP', argument: undefined, raw: 'NOOP' });
    expect(parseCommand('HELP MAIL')).toMatchObject({ verb: 'HELP', argument: 'MAIL' });
  });

  // RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF
  it('reads BDAT size and LAST', () => {
    expect(parseCommand('BDAT 0 LAST')).toEqual({
      verb: 'BDAT',
      size: 0,
      last: true,
      raw: 'BDAT 0 LAST',
    });
    expect(parseCommand('bdat 42 last')).toMatchObject({ size: 42, last: true });
    for (const line of [
      'BDAT',
      'BDAT -1',
      'BDAT 1 FIRST',
      'BDAT 1 LAST x',
      'BDAT 1234567890123456',
      'BDAT 1e3',
    ]) {
      expect(error(line).reply?.code).toBe(501);
    }
  });

  // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]
  it('reads AUTH mechanism and initial response', () => {
    expect(parseCommand('AUTH plain dGVzdAB0ZXN0AHRlc3Q=')).toMatchObject({
      verb: 'AUTH',
      mechanism: 'PLAIN',
      initialResponse: 'dGVzdAB0ZXN0AHRlc3Q=',
    });
    expect(parseCommand('AUTH EXTERNAL =')).toMatchObject({ initialResponse: '=' });
    for (const line of ['AUTH', 'AUTH PL@IN', 'AUTH PLAIN a b'])
      expect(error(line).reply?.code).toBe(501);
  });

  it('reads ETRN as sent', () => {
    expect(parseCommand('ETRN @example.com')).toMatchObject({
      verb: 'ETRN',
      argument: '@example.com',
    });
    expect(error('ETRN').reply?.code).toBe(501);
  });
});

describe('lineFaultReply', () => {
  it('answers each line fault with its 500 5.5.2', () => {
    expect(lineFaultReply('too-long')).toBe(wireReplies.R500_5_5_2_LineTooLong);
    expect(lineFaultReply('bare-lf')).toBe(wireReplies.R500_5_5_2_BareLf);
    expect(lineFaultReply('bare-cr')).toBe(wireReplies.R500_5_5_2_BareCr);
  });
});
