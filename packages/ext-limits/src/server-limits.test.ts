import { parseServerCapabilities } from '@smtpkit/extensions';
import { describe, expect, it } from 'vitest';
import { batchRecipients, parseLimits, serverLimits } from './server-limits.js';

describe('parseLimits (RFC 9422 client side)', () => {
  it('reads the defined limits, case-insensitively', () => {
    expect(parseLimits(['rcptmax=20', 'MAILMAX=5', 'RCPTDOMAINMAX=2'])).toEqual({
      rcptMax: 20,
      mailMax: 5,
      rcptDomainMax: 2,
      other: new Map(),
      ignored: [],
    });
  });

  it('keeps unknown limits aside and ignores malformed ones', () => {
    const l = parseLimits(['FOO=bar', 'RCPTMAX=abc', 'RCPTMAX=0', '=5', 'MAILMAX', 'RCPTMAX=7']);
    expect(l.rcptMax).toBe(7);
    expect(l.mailMax).toBeUndefined();
    expect(l.other).toEqual(new Map([['FOO', 'bar']]));
    expect(l.ignored).toEqual(['RCPTMAX=abc', 'RCPTMAX=0', '=5', 'MAILMAX']);
  });

  // RFC 9422 §3: limit-name-value = limit-name ["=" limit-value]; limit-value is any VCHAR but ";".
  it('keeps an unknown limit without a value, and refuses values with ";" or control characters', () => {
    const l = parseLimits(['X-FLAG', 'X-LIST=a,b:c', 'X-BAD=a;b', 'X-CTL=a\tb', 'x_under=1']);
    expect(l.other).toEqual(
      new Map([
        ['X-FLAG', undefined],
        ['X-LIST', 'a,b:c'],
        ['X_UNDER', '1'],
      ]),
    );
    expect(l.ignored).toEqual(['X-BAD=a;b', 'X-CTL=a\tb']);
  });

  it('the first occurrence of a limit wins', () => {
    expect(parseLimits(['RCPTMAX=3', 'RCPTMAX=9']).rcptMax).toBe(3);
  });

  it('reads LIMITS from EHLO capabilities', () => {
    const caps = parseServerCapabilities([
      'mx.example',
      'PIPELINING',
      'LIMITS RCPTMAX=10 MAILMAX=2',
    ]);
    expect(serverLimits(caps)).toMatchObject({ rcptMax: 10, mailMax: 2 });
    expect(serverLimits(parseServerCapabilities(['mx.example']))).toBeUndefined();
  });
});

describe('batchRecipients', () => {
  const domain = (r: string) => r.slice(r.indexOf('@') + 1);
  const base = { other: new Map<string, string>(), ignored: [] };

  it('splits by RCPTMAX', () => {
    expect(batchRecipients(['a@x', 'b@x', 'c@x'], { ...base, rcptMax: 2 }, domain)).toEqual([
      ['a@x', 'b@x'],
      ['c@x'],
    ]);
  });

  it('splits by RCPTDOMAINMAX, filling earlier transactions with known domains', () => {
    expect(
      batchRecipients(['a@x', 'b@y', 'c@x', 'd@z'], { ...base, rcptDomainMax: 1 }, domain),
    ).toEqual([['a@x', 'c@x'], ['b@y'], ['d@z']]);
  });

  it('keeps everything together without limits', () => {
    expect(batchRecipients(['a@x', 'b@y'], base, domain)).toEqual([['a@x', 'b@y']]);
    expect(batchRecipients([], base, domain)).toEqual([]);
  });
});
