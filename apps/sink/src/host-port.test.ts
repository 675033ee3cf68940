import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from './host-port.js';
import { SinkError } from './sink-error.js';

function usageError(text: string): SinkError {
  try {
    parseHostPort(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SinkError);
    return e as SinkError;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
}

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:2525', '127.0.0.1', 2525],
    ['0.0.0.0:0', '0.0.0.0', 0],
    ['localhost:25', 'localhost', 25],
    ['mx-1.example.org:65535', 'mx-1.example.org', 65535],
    ['[::1]:2525', '::1', 2525],
    ['[::]:0', '::', 0],
    ['[2001:db8::1]:587', '2001:db8::1', 587],
    ['[::ffff:127.0.0.1]:2525', '::ffff:127.0.0.1', 2525],
  ])('reads %s', (text, host, port) => {
    expect(parseHostPort(text)).toEqual({ host, port });
  });

  it.each([
    '',
    '2525',
    '127.0.0.1',
    '127.0.0.1:',
    '127.0.0.1:65536',
    '127.0.0.1:123456',
    '127.0.0.1:-1',
    '127.0.0.1:+25',
    '127.0.0.1:25 ',
    '127.0.0.1:0x19',
    '256.0.0.1:25',
    '1.2.3:25',
    ':25',
    '::1:2525',
    '[::1]2525',
    '[::1]:',
    '[::1',
    '[127.0.0.1]:25',
    '[not-ip]:25',
    '-bad.example:25',
    'bad-.example:25',
    'a..b:25',
    'under_score:25',
    'spa ce:25',
    `${'a'.repeat(64)}.example:25`,
  ])('refuses %j with a usage error', (text) => {
    expect(usageError(text).code).toBe('ERR_SINK_USAGE');
  });

  it('round-trips through formatHostPort', () => {
    for (const text of ['127.0.0.1:2525', '[::1]:2525', 'localhost:0', '[2001:db8::1]:25']) {
      expect(formatHostPort(parseHostPort(text))).toBe(text);
    }
  });
});
