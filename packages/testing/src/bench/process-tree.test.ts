import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../peers/run-process.js';
import {
  measureProcessMemory,
  measureProcessTreeCpuMs,
  parseSmapsRollup,
  processTree,
  sampleProcessTreeMemory,
} from './process-tree.js';

const ROLLUP = `55660d013000-7ffc7cc3f000 ---p 00000000 00:00 0                          [rollup]
Rss:                4012 kB
Pss:                 828 kB
Pss_Dirty:           607 kB
Pss_Anon:            607 kB
`;

describe('parseSmapsRollup', () => {
  it('reads Rss and Pss, not the Pss_* breakdown', () => {
    expect(parseSmapsRollup(ROLLUP)).toEqual({ rssKb: 4012, pssKb: 828 });
  });

  it('gives NaN for absent fields (a zombie)', () => {
    const m = parseSmapsRollup('');
    expect(Number.isNaN(m.rssKb) && Number.isNaN(m.pssKb)).toBe(true);
  });

  it('property: never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...'RsPs_: 0123456789kB\n'.split('')) }),
          fc.string(),
        ),
        (text) => {
          const m = parseSmapsRollup(text);
          expect(typeof m.rssKb).toBe('number');
          expect(typeof m.pssKb).toBe('number');
        },
      ),
    );
  });
});

/** A child may end by itself once its own child is killed (the subshell after its sleep). */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

describe('process tree', () => {
  it('finds children and grandchildren; empty once the root is gone', async () => {
    // sh starts a sleeping subshell that starts a sleep: root → subshell → sleep.
    const root = startProcess('/bin/sh', ['-c', '(sleep 30; true) & wait']);
    try {
      const deadline = performance.now() + 5000;
      let tree = processTree(root.pid);
      while (tree.length < 3 && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        tree = processTree(root.pid);
      }
      expect(tree[0]).toBe(root.pid);
      expect(tree.length).toBe(3);
      expect(measureProcessTreeCpuMs(root.pid)).toBeGreaterThanOrEqual(0);
    } finally {
      for (const pid of processTree(root.pid).reverse()) killIfAlive(pid);
      await root.exited;
    }
    expect(processTree(root.pid)).toEqual([]);
  });

  it('measures this process, and samples peaks over time', async () => {
    const m = measureProcessMemory(process.pid);
    expect(m?.rssKb).toBeGreaterThan(1000);
    expect(m?.pssKb).toBeGreaterThan(0);
    const sampler = sampleProcessTreeMemory(process.pid, { intervalMs: 10 });
    await new Promise((r) => setTimeout(r, 60));
    const peak = sampler.stop();
    expect(peak.samples).toBeGreaterThanOrEqual(2);
    expect(peak.processes).toBeGreaterThanOrEqual(1);
    expect(peak.pssKb).toBeLessThanOrEqual(peak.rssKb);
  });

  it('a missing process has no memory and an empty tree', () => {
    expect(measureProcessMemory(2 ** 22 + 1)).toBeUndefined();
    expect(processTree(2 ** 22 + 1)).toEqual([]);
  });
});
