import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueStore } from '../queue-store.js';
import { queueStoreContract } from '../queue-store-contract.test-support.js';
import { openSpool } from './open-spool.js';

for (const options of [
  { title: 'openSpool', extra: {} },
  // Tiny segments and chunks: rotation, chunk records and compaction on every test.
  {
    title: 'openSpool (64 KiB segments, 1 KiB chunks)',
    extra: { segmentBytes: 65_536, chunkBytes: 1024 },
  },
]) {
  queueStoreContract(options.title, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtpkit-queue-'));
    let store: QueueStore = await openSpool({ dir, control: false, ...options.extra });
    return {
      store,
      async reopen() {
        await store.close();
        store = await openSpool({ dir, control: false, ...options.extra });
        return store;
      },
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}
