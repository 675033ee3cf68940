import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { enc, fullExtensions, testOptions, written } from './session-driver.test-support.js';

// The code, enhanced code and text of error replies the session writes itself.
const EHLO = 'EHLO client.example\r\n';

function lastLine(text: string): string {
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  return lines.at(-1) ?? '';
}

function replyTo(lines: string, options = testOptions()): string {
  const s = new ServerSession(options);
  s.start();
  return lastLine(written(s.receive(enc(lines))));
}

describe('RFC 3463 §3.6 enhanced codes of syntax errors', () => {
  // RFC 3463 X.5.2 "Syntax error": "A mail transaction protocol command was issued which could
  // not be interpreted, either because the syntax was wrong or the command is unrecognized."
  it('an unknown command: 500 5.5.2', () => {
    expect(replyTo(`${EHLO}FOOBAR\r\n`)).toMatch(/^500 5\.5\.2 /);
  });

  it('LHLO on an SMTP server is an unknown command: 500 5.5.2', () => {
    expect(replyTo(`${EHLO}LHLO x.example\r\n`)).toMatch(/^500 5\.5\.2 /);
  });

  // RFC 5321 §4.2.2: 501 "Syntax error in parameters or arguments"; RFC 3463 X.5.4 "Invalid
  // command arguments". The verb is known: the arguments are what is wrong.
  for (const line of ['MAIL FROM:<a@b.test>\tSIZE=10', 'MAIL FROM:<a@b.test> ENVID=a\x01b']) {
    it(`a known verb with bad arguments: 501 5.5.4 (${JSON.stringify(line)})`, () => {
      expect(replyTo(`${EHLO}${line}\r\n`)).toMatch(/^501 5\.5\.4 /);
    });
  }

  it('an unreadable verb stays 500 5.5.2', () => {
    expect(replyTo(`${EHLO}NOOP\x01\r\n`)).toMatch(/^500 5\.5\.2 /);
  });
});

describe('error texts name the command the client used', () => {
  it('HELO without a domain: the syntax says HELO', () => {
    expect(replyTo('HELO\r\n')).toBe('501 Syntax: HELO domain-or-address-literal');
    expect(replyTo('EHLO\r\n')).toBe('501 Syntax: EHLO domain-or-address-literal');
  });

  it('LMTP: LHLO without a domain says LHLO, MAIL before LHLO says LHLO', () => {
    const lmtp = testOptions({ lmtp: true });
    expect(replyTo('LHLO\r\n', lmtp)).toBe('501 Syntax: LHLO domain-or-address-literal');
    for (const line of ['MAIL FROM:<a@b.test>', 'RCPT TO:<a@b.test>', 'DATA']) {
      expect(replyTo(`${line}\r\n`, lmtp)).toBe('503 Send LHLO first');
    }
  });

  it('the LMTP banner says LMTP', () => {
    const s = new ServerSession(testOptions({ lmtp: true }));
    expect(written(s.start())).toBe('220 mx.example LMTP Service ready\r\n');
  });

  it('BDAT before MAIL: 503 5.5.1 asks for MAIL; after MAIL, for RCPT', () => {
    expect(replyTo(`${EHLO}BDAT 0 LAST\r\n`)).toBe('503 5.5.1 Need MAIL command');
    expect(replyTo(`${EHLO}MAIL FROM:<a@b.test>\r\nBDAT 0 LAST\r\n`)).toBe(
      '503 5.5.1 Need RCPT command',
    );
  });
});

describe('AUTH while not in effect (RFC 4954)', () => {
  it('before EHLO, with allowWithoutTls: 503 5.5.1, not 538', () => {
    expect(replyTo('AUTH PLAIN\r\n')).toMatch(/^503 /);
    expect(replyTo('HELO c.example\r\nAUTH PLAIN\r\n')).toMatch(/^503 /);
  });

  it('the registry in use has AUTH', () => {
    expect(createRegistry(fullExtensions()).hasVerb('AUTH')).toBe(true);
    expect(createRegistry(defaultExtensions()).hasVerb('AUTH')).toBe(false);
  });
});
