import { describe, expect, it } from 'vitest';
import { backoffMs, defaultRetryPolicy, lifetimeEnd, retryPolicy } from './retry-policy.js';

describe('retry policy', () => {
  it("has Postfix's defaults", () => {
    expect(defaultRetryPolicy).toEqual({
      minBackoffMs: 300_000,
      maxBackoffMs: 4_000_000,
      maxLifetimeMs: 432_000_000,
      bounceLifetimeMs: 432_000_000,
      delayWarningMs: 14_400_000,
    });
  });

  it('doubles the backoff per attempt up to the maximum', () => {
    const p = defaultRetryPolicy;
    expect([1, 2, 3, 4, 5, 1000].map((a) => backoffMs(p, a))).toEqual([
      300_000, 600_000, 1_200_000, 2_400_000, 4_000_000, 4_000_000,
    ]);
    expect(backoffMs(p, 0)).toBe(300_000);
  });

  it('measures the lifetime from receivedAt, shorter for bounces when configured', () => {
    const p = retryPolicy({ bounceLifetimeMs: 1000 });
    const base = { recipients: [], receivedAt: 5 };
    expect(lifetimeEnd(p, { ...base, sender: 'a@b' })).toBe(5 + p.maxLifetimeMs);
    expect(lifetimeEnd(p, { ...base, sender: '' })).toBe(1005);
  });
});
