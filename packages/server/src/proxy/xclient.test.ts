import { createRegistry, type SessionContext } from '@smtpkit/extensions';
import { greetedSession } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../server-error.js';
import { decodeXtext, parseXclientArguments, xclientReplies } from './xclient.js';
import { xclient } from './xclient-extension.js';

describe('XCLIENT (Postfix XCLIENT_README)', () => {
  it('parses the README example', () => {
    // "XCLIENT NAME=spike.porcupine.org ADDR=168.100.189.2"
    expect(parseXclientArguments('NAME=spike.porcupine.org ADDR=168.100.189.2')).toEqual({
      name: { kind: 'value', value: 'spike.porcupine.org' },
      addr: { kind: 'value', value: '168.100.189.2' },
    });
  });
  it('parses every attribute, case-insensitively, with xtext and IPV6:', () => {
    expect(
      parseXclientArguments(
        'name=[TEMPUNAVAIL] Addr=ipv6:2001:DB8::1 PORT=4711 PROTO=esmtp HELO=client+2Eexample LOGIN=[unavailable] DESTADDR=192.0.2.25 DESTPORT=587',
      ),
    ).toEqual({
      name: { kind: 'tempunavail' },
      addr: { kind: 'value', value: '2001:db8::1' },
      port: { kind: 'value', value: 4711 },
      proto: { kind: 'value', value: 'ESMTP' },
      helo: { kind: 'value', value: 'client.example' },
      login: { kind: 'unavailable' },
      destaddr: { kind: 'value', value: '192.0.2.25' },
      destport: { kind: 'value', value: 587 },
    });
  });
  it.each([
    ['empty', ''],
    ['unknown attribute', 'FOO=bar'],
    ['no value separator', 'NAME'],
    ['bad IPv4', 'ADDR=1.2.3.04'],
    ['IPv6 without prefix', 'ADDR=::1'],
    ['port out of range', 'PORT=65536'],
    ['bad proto', 'PROTO=LMTP'],
    ['[TEMPUNAVAIL] outside NAME', 'ADDR=[TEMPUNAVAIL]'],
    ['bad xtext', 'HELO=a+2x'],
    ['lower-case xtext hex', 'HELO=a+2e'],
    ['xtext NUL', 'LOGIN=a+00b'],
    ['xtext CRLF', 'HELO=a+0D+0AMAIL'],
    ['double space', 'NAME=a  ADDR=1.2.3.4'],
    ['NAME not a host', 'NAME=bad_host!'],
    ['value over 255', `HELO=${'a'.repeat(256)}`],
  ])('refuses %s with 501 5.5.4', (_n, argument) => {
    expect(() => parseXclientArguments(argument)).toThrowError(
      expect.objectContaining({
        code: 'ERR_SERVER_XCLIENT_SYNTAX',
        reply: xclientReplies.R501_5_5_4_XclientBadAttribute,
      }),
    );
  });
  it('decodes xtext (RFC 3461 §4)', () => {
    expect(decodeXtext('e+3Dmc2@example.com')).toBe('e=mc2@example.com');
    expect(decodeXtext('a=b')).toBeUndefined();
    expect(decodeXtext('a b')).toBeUndefined();
  });
  it('the extension refuses during a transaction with 503 5.5.1, and accepts otherwise', () => {
    const registry = createRegistry([xclient({ allowFrom: ['127.0.0.0/8'] })]);
    const ctx: SessionContext = { ...greetedSession(), peerAddress: '127.0.0.1' };
    for (const phase of ['mail', 'rcpt', 'bdat'] as const) {
      expect(registry.dispatch('XCLIENT', 'ADDR=192.0.2.1', { ...ctx, phase })).toEqual({
        kind: 'reply',
        reply: xclientReplies.R503_5_5_1_XclientInTransaction,
      });
    }
    expect(registry.dispatch('XCLIENT', 'ADDR=192.0.2.1', ctx)).toEqual({
      kind: 'restart',
      client: {
        source: 'XCLIENT',
        heloName: undefined,
        user: undefined,
        attributes: { addr: { kind: 'value', value: '192.0.2.1' } },
      },
    });
    expect(registry.dispatch('XCLIENT', 'ADDR=x', ctx)).toMatchObject({
      kind: 'reply',
      reply: { code: 501 },
    });
  });
  it('arbitrary protocol-alphabet arguments only ever throw ServerError', () => {
    const token = fc.constantFrom(
      'NAME',
      'ADDR',
      'PORT',
      'PROTO',
      'HELO',
      'LOGIN',
      'DESTADDR',
      '=',
      ' ',
      '+',
      '2E',
      '[UNAVAILABLE]',
      'IPV6:',
      '::1',
      '1.2.3.4',
      '25',
      'x',
      '\0',
      '\r\n',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(token, { maxLength: 20 }).map((t) => t.join('')),
        ),
        (argument) => {
          try {
            parseXclientArguments(argument);
          } catch (e) {
            expect(e).toBeInstanceOf(ServerError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
