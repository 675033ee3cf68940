import { describe, expect, it } from 'vitest';
import { newQueueId, nodeOwnerId } from './queue-ids.js';

describe('queue ids and owner names', () => {
  it('queue ids are distinct, made of [0-9a-z], and sort by time across milliseconds', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newQueueId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{21}$/);
    expect(newQueueId(1_700_000_000_000) < newQueueId(1_700_000_000_001 + 36 ** 2)).toBe(true);
  });

  it('owner names differ between two calls of one process', () => {
    expect(nodeOwnerId('mx1')).toMatch(new RegExp(`^mx1:${process.pid}:[0-9a-f]{6}$`));
    expect(nodeOwnerId('mx1')).not.toBe(nodeOwnerId('mx1'));
  });
});
