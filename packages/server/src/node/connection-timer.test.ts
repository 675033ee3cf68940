import { describe, expect, it, vi } from 'vitest';
import type { ServerSession } from '../session/index.js';
import { ConnectionTimer } from './connection-timer.js';

/** The three things the timer reads of a session. */
function sessionWaiting(ms: number, phase = 'mail'): ServerSession {
  return { timeoutFor: () => ms, state: { phase }, bufferedLength: 0 } as unknown as ServerSession;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ConnectionTimer', () => {
  it('fires once the current wait is over', async () => {
    const fired: number[] = [];
    const start = performance.now();
    const timer = new ConnectionTimer(60_000, () => fired.push(performance.now() - start));
    timer.arm(sessionWaiting(40));
    await sleep(120);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(38);
  });

  it('a later deadline is honoured: the early timer re-checks and waits for the rest', async () => {
    const fired: number[] = [];
    const start = performance.now();
    const timer = new ConnectionTimer(60_000, () => fired.push(performance.now() - start));
    timer.arm(sessionWaiting(40));
    await sleep(20);
    // Activity at 20 ms with a longer timeout: the wait now ends at about 20 + 100 ms.
    timer.arm(sessionWaiting(100));
    await sleep(60);
    expect(fired).toEqual([]);
    await sleep(120);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(115);
  });

  it('an earlier deadline moves the timer forward', async () => {
    const fired: number[] = [];
    const start = performance.now();
    const timer = new ConnectionTimer(60_000, () => fired.push(performance.now() - start));
    timer.arm(sessionWaiting(5000));
    timer.arm(sessionWaiting(30, 'data'));
    await sleep(150);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeLessThan(1000);
    timer.clear();
  });

  it('clear() stops it, after() replaces the action', async () => {
    const fired: string[] = [];
    const timer = new ConnectionTimer(60_000, () => fired.push('timeout'));
    timer.arm(sessionWaiting(20));
    timer.clear();
    await sleep(60);
    expect(fired).toEqual([]);
    timer.after(20, () => fired.push('after'));
    await sleep(80);
    expect(fired).toEqual(['after']);
  });

  it('a whole DATA transfer is bounded by messageTransfer however often blocks arrive', async () => {
    const fired: number[] = [];
    const start = performance.now();
    const timer = new ConnectionTimer(80, () => fired.push(performance.now() - start));
    // Each block re-arms (as the connection does after every batch) until the timer fires.
    for (let i = 0; i < 8 && fired.length === 0; i++) {
      timer.arm(sessionWaiting(60, 'data'));
      await sleep(20);
    }
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeLessThan(140);
  });

  it('with a step, a shorter wait within the timer already set sets no new Node timer', async () => {
    const fired: number[] = [];
    const start = performance.now();
    const set = vi.spyOn(globalThis, 'setTimeout');
    try {
      const timer = new ConnectionTimer(60_000, () => fired.push(performance.now() - start), 40);
      timer.arm(sessionWaiting(300));
      expect(set).toHaveBeenCalledTimes(1);
      // A DATA block's shorter timeout: its deadline is after the step the timer was set for.
      timer.arm(sessionWaiting(120, 'data'));
      expect(set).toHaveBeenCalledTimes(1);
      await sleep(60);
      expect(fired).toEqual([]);
      await sleep(160);
      expect(fired).toHaveLength(1);
      expect(fired[0]).toBeGreaterThanOrEqual(115);
      timer.clear();
    } finally {
      set.mockRestore();
    }
  });
});
