import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchRecipients, parseLimits } from './server-limits.js';

const alphabet = fc
  .array(fc.constantFrom(...'<>:@.,;="\\\r\n +-_0123456789RCPTMAXrcpt'), { maxLength: 16 })
  .map((a) => a.join(''));

describe('LIMITS properties', () => {
  it('parseLimits never throws and every parameter is accounted for once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(alphabet, fc.string({ maxLength: 12 })), { maxLength: 6 }),
        (ps) => {
          const l = parseLimits(ps);
          for (const v of [l.mailMax, l.rcptMax, l.rcptDomainMax]) {
            if (v !== undefined) expect(v).toBeGreaterThanOrEqual(1);
          }
          expect(l.ignored.length).toBeLessThanOrEqual(ps.length);
        },
      ),
    );
  });

  it('parseLimits reads back what the server advertises', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999999999 }),
        fc.integer({ min: 1, max: 999999999 }),
        (m, r) => {
          expect(parseLimits([`MAILMAX=${m}`, `RCPTMAX=${r}`])).toMatchObject({
            mailMax: m,
            rcptMax: r,
          });
        },
      ),
    );
  });

  it('batches respect the limits and keep every recipient exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (domains, rcptMax, rcptDomainMax) => {
          const recipients = domains.map((d, i) => ({ i, d }));
          const batches = batchRecipients(
            recipients,
            { rcptMax, rcptDomainMax, other: new Map(), ignored: [] },
            (r) => r.d,
          );
          for (const b of batches) {
            expect(b.length).toBeLessThanOrEqual(rcptMax);
            expect(new Set(b.map((r) => r.d)).size).toBeLessThanOrEqual(rcptDomainMax);
          }
          expect(
            batches
              .flat()
              .map((r) => r.i)
              .sort((a, b) => a - b),
          ).toEqual(recipients.map((r) => r.i));
        },
      ),
    );
  });
});
