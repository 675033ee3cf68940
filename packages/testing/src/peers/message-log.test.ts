import { describe, expect, it } from 'vitest';
import { createMessageLog } from './message-log.js';

describe('createMessageLog', () => {
  it('resolves a wait once enough messages arrived, in arrival order', async () => {
    const log = createMessageLog<string>();
    const waiting = log.waitForMessages(2, 5000);
    log.add('one');
    setTimeout(() => log.add('two'), 10);
    expect(await waiting).toEqual(['one', 'two']);
    expect(await log.waitForMessages(1, 0)).toEqual(['one', 'two']);
  });

  it('rejects with ERR_PEER_TIMEOUT when they do not come', async () => {
    const log = createMessageLog<string>();
    log.add('only');
    await expect(log.waitForMessages(2, 20)).rejects.toMatchObject({
      code: 'ERR_PEER_TIMEOUT',
      message: 'expected 2 messages, got 1',
    });
  });
});
