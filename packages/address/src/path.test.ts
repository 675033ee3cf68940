import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import {
  formatPath,
  parseForwardPath,
  parseReversePath,
  scanForwardPath,
  scanReversePath,
} from './path.js';

const bob = {
  kind: 'mailbox',
  mailbox: {
    localPart: 'bob',
    domain: { kind: 'domain', ascii: 'example.org', unicode: 'example.org' },
  },
} as const;

function error(f: () => unknown): AddressError {
  try {
    f();
  } catch (e) {
    if (e instanceof AddressError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('Reverse-path = Path / "<>"', () => {
  it('reads the null path and a mailbox', () => {
    expect(parseReversePath('<>')).toEqual({ kind: 'null' });
    expect(parseReversePath('<bob@example.org>')).toEqual(bob);
  });

  it('scans from `start` and ends exactly past ">"', () => {
    const line = 'MAIL FROM:<bob@example.org> SIZE=10';
    expect(scanReversePath(line, 10)).toEqual({ value: bob, end: 27 });
    expect(line[26]).toBe('>');
    expect(scanReversePath('MAIL FROM:<>', 10)).toEqual({ value: { kind: 'null' }, end: 12 });
    expect(scanReversePath('<"a>b"@x.y> z').end).toBe(11);
  });

  it('gives the same value whatever follows the path', () => {
    for (const tail of ['', ' ', ' BODY=8BITMIME', '\r\n', '>', 'x']) {
      expect(scanReversePath(`<bob@example.org>${tail}`)).toEqual({ value: bob, end: 17 });
    }
  });

  it('refuses every proper prefix of a path (a cut line is never a path)', () => {
    const whole = '<@a.example,@b.example:"x y"@[IPv6:::1]>';
    expect(scanReversePath(whole).end).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) {
      expect(() => scanReversePath(whole.slice(0, i)), whole.slice(0, i)).toThrow(AddressError);
    }
  });

  it('drops a source route after checking its syntax (RFC 5321 §4.1.1.3, Appendix C)', () => {
    expect(parseReversePath('<@relay.example:bob@example.org>')).toEqual(bob);
    expect(parseReversePath('<@a.example,@b.example:bob@example.org>')).toEqual(bob);
    // At-domain = "@" Domain: an address literal is not a Domain.
    for (const bad of [
      '<@[192.0.2.1]:bob@example.org>',
      '<@:bob@example.org>',
      '<@a.example bob@example.org>',
      '<@a.example,b.example:bob@example.org>',
      '<@a.example,:bob@example.org>',
      '<@a.example:>',
    ]) {
      expect(() => parseReversePath(bad), bad).toThrow(AddressError);
    }
  });

  it('refuses missing brackets, spaces and junk', () => {
    for (const bad of [
      'bob@example.org',
      '<bob@example.org',
      ' <bob@example.org>',
      '< bob@example.org>',
      '<bob@example.org >',
      '<<bob@example.org>>',
      '<bob@example.org>x',
      '',
    ]) {
      expect(() => parseReversePath(bad), bad).toThrow(AddressError);
    }
  });

  it('applies the 256-octet path limit, counting the brackets', () => {
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const p = `<${local}@${domain}>`;
    expect(p.length).toBe(256);
    expect(parseReversePath(p).kind).toBe('mailbox');
    expect(error(() => parseReversePath(`<${local}@${domain}e>`)).code).toBe(
      'ERR_ADDRESS_PATH_TOO_LONG',
    );
    expect(parseReversePath(`<${local}@${domain}e>`, { limits: { path: 257 } }).kind).toBe(
      'mailbox',
    );
  });
});

describe('Forward-path = Path, and "<Postmaster>"', () => {
  it('reads <Postmaster> in any case, without a domain', () => {
    for (const p of ['<Postmaster>', '<postmaster>', '<POSTMASTER>']) {
      expect(parseForwardPath(p)).toEqual({ kind: 'postmaster' });
    }
    expect(scanForwardPath('RCPT TO:<Postmaster> x', 8)).toEqual({
      value: { kind: 'postmaster' },
      end: 20,
    });
  });

  it('reads Postmaster@domain as an ordinary mailbox', () => {
    const p = parseForwardPath('<Postmaster@example.org>');
    expect(p.kind).toBe('mailbox');
  });

  it('refuses the null path and a source-routed Postmaster', () => {
    expect(() => parseForwardPath('<>')).toThrow(AddressError);
    expect(() => parseForwardPath('<@a.example:Postmaster>')).toThrow(AddressError);
    expect(() => parseForwardPath('<Postmaster')).toThrow(AddressError);
  });

  it('scans from `start` and ends exactly past ">"', () => {
    expect(scanForwardPath('RCPT TO:<@relay.example:bob@example.org> NOTIFY=NEVER', 8)).toEqual({
      value: bob,
      end: 40,
    });
  });
});

describe('errors carry the reply of their command (RFC 3463)', () => {
  it('MAIL: 501 5.1.7; RCPT: 501 5.1.3; UTF-8 without SMTPUTF8: 553 5.6.7', () => {
    const mail = error(() => scanReversePath('<a b@c>'));
    expect(mail.reply).toMatchObject({ code: 501, enhanced: { class: 5, subject: 1, detail: 7 } });
    expect(mail.role).toBe('sender');
    expect(mail.position).toBe(2);
    const rcpt = error(() => scanForwardPath('<a b@c>'));
    expect(rcpt.reply).toMatchObject({ code: 501, enhanced: { class: 5, subject: 1, detail: 3 } });
    const utf = error(() => scanForwardPath('<pelé@example.com>'));
    expect(utf.code).toBe('ERR_ADDRESS_UTF8_NOT_PERMITTED');
    expect(utf.reply).toMatchObject({ code: 553, enhanced: { class: 5, subject: 6, detail: 7 } });
    expect(utf.position).toBe(4);
    const long = error(() => scanReversePath(`<${'a'.repeat(65)}@b>`));
    expect(long.code).toBe('ERR_ADDRESS_LOCAL_PART_TOO_LONG');
    expect(long.reply?.code).toBe(501);
    expect(long.reply?.lines[0]).toMatch(/local part too long/);
  });

  it('API misuse is a misuse code with no reply, so the peer is never blamed', () => {
    const misuse = expect.objectContaining({
      code: 'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT',
      misuse: true,
      reply: undefined,
    });
    expect(() => scanReversePath('<>', -1)).toThrow(misuse);
    expect(() => scanReversePath('<>', 3)).toThrow(misuse);
    expect(() => scanReversePath('<>', 1.5)).toThrow(misuse);
    expect(() => scanReversePath(undefined as unknown as string)).toThrow(misuse);
    expect(error(() => scanReversePath('<>', 2))).toMatchObject({
      misuse: false,
      reply: { code: 501 },
    });
  });
});

describe('formatPath', () => {
  it('writes the three forms', () => {
    expect(formatPath({ kind: 'null' })).toBe('<>');
    expect(formatPath({ kind: 'postmaster' })).toBe('<Postmaster>');
    expect(formatPath(parseForwardPath('<"joe"@EXAMPLE.org>'))).toBe('<joe@example.org>');
    expect(formatPath(parseForwardPath('<@r.example:"a b"@x.example>'))).toBe('<"a b"@x.example>');
  });

  it('writes the requested domain form and never mixes them up', () => {
    const p = parseForwardPath('<δοκιμή@παράδειγμα.δοκιμή>', { smtputf8: true });
    expect(formatPath(p, 'unicode')).toBe('<δοκιμή@παράδειγμα.δοκιμή>');
    expect(formatPath(p)).toBe('<δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp>');
  });
});

describe('work bounded by the path limit', () => {
  const junk = 'x'.repeat(20_000);

  it('scans a path at the limit followed by a long tail exactly as without it', () => {
    const local = 'a'.repeat(64);
    const p = `<${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}>`;
    expect(p.length).toBe(256);
    const alone = scanReversePath(p);
    expect(scanReversePath(`${p} ${junk}`)).toEqual(alone);
    expect(scanForwardPath(`${p}${junk}`)).toEqual(alone);
  });

  it('reports a path running past the limit as a length error, not as whatever the cut looks like', () => {
    for (const text of [`<"${junk}`, `<a@${junk}`, `<${'a.'.repeat(10_000)}`, `<a@[${junk}`]) {
      expect(error(() => scanReversePath(text)).code, text.slice(0, 8)).toMatch(/_TOO_LONG$/);
      expect(error(() => parseForwardPath(text)).code).toBe('ERR_ADDRESS_PATH_TOO_LONG');
      expect(error(() => scanForwardPath(`${text.slice(0, 300)}>`)).code).toMatch(/_TOO_LONG$/);
    }
  });

  it('keeps the special forms within the limit too', () => {
    expect(error(() => parseForwardPath('<Postmaster>', { limits: { path: 11 } })).code).toBe(
      'ERR_ADDRESS_PATH_TOO_LONG',
    );
    expect(parseForwardPath('<Postmaster>', { limits: { path: 12 } })).toEqual({
      kind: 'postmaster',
    });
  });
});
