import { describe, expect, it } from 'vitest';
import {
  diagnosticOf,
  isExpiry,
  LOCAL_DIAGNOSTIC_TYPE,
  mtaNameOf,
  statusOf,
  successNoticeFromHere,
} from './notice-facts.js';

const remote = (code: number, enhanced: string | undefined, text: string) => ({
  code,
  ...(enhanced === undefined ? {} : { enhanced }),
  text,
  remoteMta: 'mx.example.net',
});

describe('statusOf', () => {
  it.each([
    ['failed', remote(550, '5.1.1', 'x'), '5.1.1'],
    ['failed', remote(451, '4.4.7', 'x'), '4.4.7'],
    ['delayed', remote(451, '4.7.1', 'x'), '4.7.1'],
    ['delivered', remote(250, '2.0.0', 'x'), '2.0.0'],
    ['relayed', remote(250, '2.6.0', 'x'), '2.6.0'],
    // RFC 3463 §3.1: no enhanced code, the class with .0.0.
    ['failed', remote(550, undefined, 'x'), '5.0.0'],
    ['delayed', remote(421, undefined, 'x'), '4.0.0'],
    // RFC 2034 §4: an enhanced code of another class than the reply is not believed.
    ['delayed', remote(450, '5.1.1', 'x'), '4.0.0'],
    ['failed', remote(550, '2.0.0', 'x'), '5.0.0'],
    // Not an RFC 3463 code at all.
    ['failed', remote(550, '5.1', 'x'), '5.0.0'],
    ['failed', remote(550, '5.1.1000', 'x'), '5.0.0'],
    ['failed', remote(550, '5.01.1', 'x'), '5.0.0'],
    // A class the action cannot carry (RFC 3464 §2.3.4): the action's own.
    ['delayed', remote(250, '2.0.0', 'x'), '4.0.0'],
    ['delivered', remote(451, '4.3.0', 'x'), '2.0.0'],
    ['failed', remote(250, '2.0.0', 'x'), '5.0.0'],
  ] as const)('%s with %o gives %s', (action, reply, status) => {
    expect(statusOf(action, reply)).toBe(status);
  });

  it('without a reply gives the action’s undefined status', () => {
    expect(statusOf('failed', undefined)).toBe('5.0.0');
    expect(statusOf('delayed', undefined)).toBe('4.0.0');
    expect(statusOf('delivered', undefined)).toBe('2.0.0');
  });
});

describe('isExpiry', () => {
  it('is a failure with a temporary reply, nothing else', () => {
    expect(isExpiry({ outcome: 'failed', reply: remote(451, '4.4.7', 'x') })).toBe(true);
    expect(isExpiry({ outcome: 'failed', reply: remote(550, '5.1.1', 'x') })).toBe(false);
    expect(isExpiry({ outcome: 'deferred', reply: remote(451, '4.4.7', 'x') })).toBe(false);
    expect(isExpiry({ outcome: 'failed' })).toBe(false);
  });
});

describe('diagnosticOf', () => {
  it('an SMTP server’s reply: smtp; code, enhanced code and text (RFC 3461 §9.2)', () => {
    expect(
      diagnosticOf({ outcome: 'failed', reply: remote(550, '5.1.1', 'No such user') }),
    ).toEqual({ type: 'smtp', text: '550 5.1.1 No such user' });
    expect(diagnosticOf({ outcome: 'failed', reply: remote(550, undefined, 'No') })).toEqual({
      type: 'smtp',
      text: '550 No',
    });
    expect(diagnosticOf({ outcome: 'failed', reply: remote(550, '5.1.1', '') })).toEqual({
      type: 'smtp',
      text: '550 5.1.1',
    });
  });

  it('the lines of a multi-line reply on one line', () => {
    expect(
      diagnosticOf({ outcome: 'failed', reply: remote(550, '5.1.1', 'one\r\ntwo\nthree') }),
    ).toEqual({ type: 'smtp', text: '550 5.1.1 one two three' });
  });

  it('an expired recipient: the last reply as the server sent it, without our 4.4.7', () => {
    expect(diagnosticOf({ outcome: 'failed', reply: remote(451, '4.4.7', 'Greylisted') })).toEqual({
      type: 'smtp',
      text: '451 Greylisted',
    });
  });

  it('the MTA’s own results (no Remote-MTA) under its own type', () => {
    expect(
      diagnosticOf({
        outcome: 'failed',
        reply: { code: 554, enhanced: '5.0.0', text: 'cancelled' },
      }),
    ).toEqual({ type: LOCAL_DIAGNOSTIC_TYPE, text: 'cancelled' });
    expect(
      diagnosticOf({
        outcome: 'failed',
        reply: { code: 451, enhanced: '4.4.7', text: 'connect ECONNREFUSED 192.0.2.1:25' },
      }),
    ).toEqual({
      type: LOCAL_DIAGNOSTIC_TYPE,
      text: 'delivery time expired; last attempt: connect ECONNREFUSED 192.0.2.1:25',
    });
    expect(diagnosticOf({ outcome: 'failed', reply: { code: 554, text: '' } })).toEqual({
      type: LOCAL_DIAGNOSTIC_TYPE,
      text: '554',
    });
  });

  it('no reply, no diagnostic', () => {
    expect(diagnosticOf({ outcome: 'failed' })).toBeUndefined();
  });
});

describe('mtaNameOf', () => {
  it('names as they are, addresses as domain literals (RFC 3461 §9.3)', () => {
    expect(mtaNameOf('mx.example.net')).toBe('mx.example.net');
    expect(mtaNameOf('192.0.2.7')).toBe('[192.0.2.7]');
    expect(mtaNameOf('2001:db8::7')).toBe('[IPv6:2001:db8::7]');
  });
});

describe('successNoticeFromHere', () => {
  it('for local delivery and for a hop without DSN only (RFC 3461 §5.2)', () => {
    expect(successNoticeFromHere('local', {})).toBe(true);
    expect(successNoticeFromHere('example.net', { action: 'relayed' })).toBe(true);
    expect(successNoticeFromHere('relay', { action: 'relayed' })).toBe(true);
    expect(successNoticeFromHere('example.net', {})).toBe(false);
    expect(successNoticeFromHere('relay', {})).toBe(false);
  });
});
