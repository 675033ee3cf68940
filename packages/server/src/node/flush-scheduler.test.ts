import { describe, expect, it } from 'vitest';
import { FlushScheduler } from './flush-scheduler.js';

function connection(log: string[], name: string) {
  return { flushNow: () => log.push(name) };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('FlushScheduler', () => {
  it('writes at once while fewer than two sessions are in a transaction', () => {
    const log: string[] = [];
    const flushes = new FlushScheduler();
    flushes.soon(connection(log, 'idle'));
    flushes.transacting(1);
    flushes.soon(connection(log, 'one busy'));
    expect(log).toEqual(['idle', 'one busy']);
  });

  it('with two or more, writes every connection of the turn together after its reads', async () => {
    const log: string[] = [];
    const flushes = new FlushScheduler();
    flushes.transacting(1);
    flushes.transacting(1);
    flushes.soon(connection(log, 'a'));
    flushes.soon(connection(log, 'b'));
    expect(log).toEqual([]);
    await turn();
    expect(log).toEqual(['a', 'b']);
    flushes.soon(connection(log, 'c'));
    await turn();
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('goes back to writing at once when the transactions end', async () => {
    const log: string[] = [];
    const flushes = new FlushScheduler();
    flushes.transacting(1);
    flushes.transacting(1);
    flushes.transacting(-1);
    flushes.soon(connection(log, 'now'));
    expect(log).toEqual(['now']);
  });
});
