// CommitGroup under any arrival pattern: each caller's promise follows its own batch's outcome,
// batches respect their limits and never more than maxInFlight are written at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitGroup } from './commit-group.js';

interface Item {
  readonly n: number;
  readonly size: number;
  /** This item makes its batch fail (a database outage during its commit). */
  readonly poison: boolean;
}

describe('CommitGroup', () => {
  it('resolves each item with its own batch, within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            size: fc.integer({ min: 0, max: 100 }),
            // About one item in ten fails its batch.
            poison: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
            delay: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 250 }),
        fc.integer({ min: 1, max: 3 }),
        async (arrivals, maxMessages, maxBytes, maxInFlight) => {
          let inFlight = 0;
          let most = 0;
          const batches: Item[][] = [];
          const group = new CommitGroup<Item>(
            async (items) => {
              inFlight++;
              most = Math.max(most, inFlight);
              batches.push([...items]);
              await new Promise((r) => setTimeout(r, 0));
              inFlight--;
              if (items.some((i) => i.poison)) throw new Error('batch failed');
              return undefined;
            },
            { maxMessages, maxBytes, maxInFlight },
            (i) => i.size,
          );
          const outcomes: Promise<string>[] = [];
          for (const [n, a] of arrivals.entries()) {
            outcomes.push(
              group.add({ n, size: a.size, poison: a.poison }).then(
                () => 'ok',
                () => 'failed',
              ),
            );
            for (let d = 0; d < a.delay; d++) await Promise.resolve();
          }
          const results = await Promise.all(outcomes);
          await group.drained();
          expect(most).toBeLessThanOrEqual(maxInFlight);
          // Every item was written exactly once, in arrival order.
          expect(batches.flat().map((i) => i.n)).toEqual(arrivals.map((_, n) => n));
          for (const batch of batches) {
            expect(batch.length).toBeLessThanOrEqual(maxMessages);
            const bytes = batch.reduce((s, i) => s + i.size, 0);
            if (batch.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
            const failed = batch.some((i) => i.poison);
            for (const i of batch) expect(results[i.n]).toBe(failed ? 'failed' : 'ok');
          }
          expect(group.messages).toBe(arrivals.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an error list from the writer fails only the items it names', async () => {
    const group = new CommitGroup<number>(
      async (items) => items.map((i) => (i === 2 ? new Error('refused') : undefined)),
      { maxMessages: 10, maxBytes: 10, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => group.add(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
