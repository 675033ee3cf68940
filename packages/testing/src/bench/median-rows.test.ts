import { describe, expect, it } from 'vitest';
import { medianRows } from './median-rows.js';

describe('medianRows', () => {
  it('turns each task p50 latency (ms) into whole nanoseconds, "-" when it did not run', () => {
    expect(
      medianRows([
        { name: 'ran', result: { latency: { p50: 0.0004567 } } },
        { name: 'never ran' },
        { name: 'errored', result: { latency: {} } },
      ]),
    ).toEqual([
      { case: 'ran', 'median ns': 457 },
      { case: 'never ran', 'median ns': '-' },
      { case: 'errored', 'median ns': '-' },
    ]);
  });
});
