import { describe, expect, it } from 'vitest';
import { InlineBodies } from './inline-bodies.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('InlineBodies', () => {
  it('keeps a body while any lease that brought it is held', () => {
    const bodies = new InlineBodies(10);
    bodies.hold('l1', 'm1', bytes('one'));
    bodies.hold('l2', 'm1', bytes('one')); // the same message, another destination
    bodies.release('l1');
    expect(bodies.get('m1')).toEqual(bytes('one'));
    bodies.release('l2');
    expect(bodies.get('m1')).toBeUndefined();
    bodies.release('l2'); // twice, or never held: nothing happens
    bodies.release('nope');
    expect(bodies.size).toBe(0);
  });

  it('drops the oldest body past its bound', () => {
    const bodies = new InlineBodies(2);
    bodies.hold('a', 'm1', bytes('1'));
    bodies.hold('b', 'm2', bytes('2'));
    bodies.hold('c', 'm3', bytes('3'));
    expect([bodies.get('m1'), bodies.get('m2'), bodies.get('m3')]).toEqual([
      undefined,
      bytes('2'),
      bytes('3'),
    ]);
    bodies.release('a');
    expect(bodies.size).toBe(2);
    bodies.clear();
    expect(bodies.size).toBe(0);
  });
});
