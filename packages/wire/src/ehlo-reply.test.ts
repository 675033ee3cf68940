import { describe, expect, it } from 'vitest';
import { parseEhloReply } from './ehlo-reply.js';
import { WireError } from './wire-error.js';

describe('parseEhloReply', () => {
  it('reads the domain, the greeting and the capabilities (RFC 5321 App. D.1)', () => {
    const ehlo = parseEhloReply({
      code: 250,
      lines: ['foo.com greets bar.com', '8BITMIME', 'SIZE', 'DSN', 'HELP'],
    });
    expect(ehlo.domain).toBe('foo.com');
    expect(ehlo.greeting).toBe('greets bar.com');
    expect([...ehlo.capabilities]).toEqual([
      ['8BITMIME', []],
      ['SIZE', []],
      ['DSN', []],
      ['HELP', []],
    ]);
  });

  it('upper-cases keywords and keeps parameters in order', () => {
    const ehlo = parseEhloReply({
      code: 250,
      lines: ['mx', 'size 35882577', 'Auth LOGIN PLAIN XOAUTH2'],
    });
    expect(ehlo.capabilities.get('SIZE')).toEqual(['35882577']);
    expect(ehlo.capabilities.get('AUTH')).toEqual(['LOGIN', 'PLAIN', 'XOAUTH2']);
  });

  // RFC 4954 §8 / RFC 2554 era servers: "250-AUTH=LOGIN PLAIN" next to or instead of "250-AUTH".
  it('tolerates the old AUTH= form and merges it with AUTH', () => {
    const ehlo = parseEhloReply({
      code: 250,
      lines: ['mx', 'AUTH=LOGIN PLAIN', 'AUTH PLAIN CRAM-MD5'],
    });
    expect(ehlo.capabilities.get('AUTH')).toEqual(['LOGIN', 'PLAIN', 'CRAM-MD5']);
    const only = parseEhloReply({ code: 250, lines: ['mx', 'AUTH=LOGIN'] });
    expect(only.capabilities.get('AUTH')).toEqual(['LOGIN']);
  });

  it('reads a one-line reply with no capabilities', () => {
    const ehlo = parseEhloReply({ code: 250, lines: ['mx.example'] });
    expect(ehlo).toEqual({ domain: 'mx.example', greeting: '', capabilities: new Map() });
  });

  it('skips lines that are not ehlo-lines instead of failing', () => {
    const ehlo = parseEhloReply({ code: 250, lines: ['mx', '-BAD', '', 'X_Y 1', 'PIPELINING'] });
    expect([...ehlo.capabilities.keys()]).toEqual(['PIPELINING']);
  });

  it('refuses a reply other than 250', () => {
    expect(() => parseEhloReply({ code: 502, lines: ['EHLO not implemented'] })).toThrow(WireError);
  });
});
