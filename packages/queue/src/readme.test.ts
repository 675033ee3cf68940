/** The README snippet, as a test: its printed values are the asserted ones. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScheduler, openSpool } from './node/index.js';

describe('README', () => {
  it('enqueues to a spool and delivers with the scheduler as documented', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-'));
    try {
      const spool = await openSpool({ dir });
      const id = await spool.enqueue(
        {
          sender: 'alice@example.com',
          recipients: [{ address: 'bob@example.net', destination: 'example.net' }],
          receivedAt: Date.now(),
        },
        new TextEncoder().encode('Subject: hello\r\n\r\nHi Bob.\r\n'),
      );
      const sent: Uint8Array[] = [];
      const scheduler = createScheduler({
        store: spool,
        owner: 'mx1',
        async deliver(lease) {
          for await (const chunk of spool.read(lease.id)) sent.push(chunk);
          return lease.recipients.map((r) => ({
            index: r.index,
            outcome: 'delivered' as const,
            reply: { code: 250, text: 'ok' },
          }));
        },
      });
      scheduler.start();
      for (let i = 0; i < 200 && (await spool.stats()).messages > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      await scheduler.stop();
      expect(JSON.stringify(Buffer.concat(sent).toString())).toBe(
        '"Subject: hello\\r\\n\\r\\nHi Bob.\\r\\n"',
      );
      expect(await spool.get(id)).toBeUndefined();
      await spool.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
