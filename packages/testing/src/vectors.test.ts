import { describe, expect, it } from 'vitest';
import { allTwoWaySplits, byteByByte, bytes, concat, latin1, splitAt } from './chunks.js';
import { readJsonl, vectorsDir } from './vectors.js';

describe('vectors', () => {
  it('finds the shared corpus beside the repository', () => {
    expect(vectorsDir()).toMatch(/shared[\\/]vectors$/);
    expect(readJsonl('xtext', 'xtext.jsonl').length).toBeGreaterThan(0);
  });
});

describe('chunks', () => {
  it('splits and reassembles', () => {
    const b = bytes('hello\r\n');
    expect(byteByByte(b)).toHaveLength(7);
    expect(latin1(concat(splitAt(b, [5, 2, 9])))).toBe('hello\r\n');
    expect(splitAt(b, [2, 5]).map(latin1)).toEqual(['he', 'llo', '\r\n']);
    expect(allTwoWaySplits(b)).toHaveLength(8);
  });
});
