import { describe, expect, it } from 'vitest';
import { SegmentLedger } from './segment-ledger.js';

function ledger(...segments: number[]) {
  const l = new SegmentLedger();
  for (const s of segments) l.addSegment(s, 1000);
  return l;
}

describe('SegmentLedger', () => {
  it('keeps a segment while a live message has data or state in it', () => {
    const l = ledger(1, 2, 3);
    l.place('a', [{ segment: 1, offset: 0, length: 100 }], 1);
    expect(l.deletable(3)).toEqual([2]);
    l.moveState('a', 2);
    expect(l.deletable(3)).toEqual([]);
    l.forget('a', 2);
    // 2 holds a's D record: it goes after 1, which holds a's M record.
    expect(l.deletable(3)).toEqual([1]);
    l.deleted(1);
    expect(l.deletable(3)).toEqual([2]);
  });

  it('keeps the segment of the M record that commits bytes lying elsewhere', () => {
    // A message whose bytes are all in B records of segment 1, committed by its M in segment 2;
    // its state moving on must not free segment 2 (recovery would find chunks and no message).
    const l = ledger(1, 2, 3, 4);
    l.place('a', [{ segment: 1, offset: 0, length: 4096 }], 2);
    l.moveState('a', 3);
    expect(l.deletable(4)).toEqual([]);
    expect(l.referrers(2)).toEqual([{ id: 'a', data: true }]);
    expect(l.referrers(3)).toEqual([{ id: 'a', data: false }]);
  });

  it('deletes a segment with D records only after the segments holding those messages', () => {
    const l = ledger(1, 2, 3);
    l.place('a', [{ segment: 1, offset: 0, length: 10 }], 1);
    l.place('b', [{ segment: 1, offset: 10, length: 10 }], 1);
    l.forget('a', 2);
    // 2 holds a's D record; 1 still holds a's M (b is live): deleting 2 first would revive a.
    expect(l.deletable(3)).toEqual([]);
    l.forget('b', 3);
    expect(l.deletable(3)).toEqual([1]);
    l.deleted(1);
    expect(l.deletable(4)).toEqual([2, 3]);
  });

  it('offers sparse segments, and those holding dead ones back, for compaction', () => {
    const l = ledger(1, 2, 3);
    l.place('a', [{ segment: 1, offset: 0, length: 900 }], 1);
    l.place('b', [{ segment: 2, offset: 0, length: 100 }], 2);
    expect(l.compactable(3)).toEqual([2]);
    expect(l.account(1)).toEqual({ size: 1000, liveBytes: 900, refs: 1 });
  });
});
