// The QueueStore contract (the suite every backend passes) against a real PostgreSQL started by
// this file: one private cluster, one fresh schema per test.
import { type PostgresServer, postgresSkipReason, startPostgres } from '@smtpkit/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { queueStoreContract } from '../../../queue/src/queue-store-contract.test-support.js';
import { openPostgresQueue, type PostgresQueue } from './open-postgres-queue.js';

const skip = postgresSkipReason();
let pg: PostgresServer | undefined;
let schemas = 0;

describe.skipIf(skip !== undefined)('PostgreSQL store', () => {
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.remove();
  });

  for (const [title, extra] of [
    ['PostgreSQL store', {}],
    [
      'PostgreSQL store (1000-byte chunks, no grouped commits)',
      { chunkBytes: 1000, groupCommit: { maxMessages: 1 } },
    ],
  ] as const) {
    queueStoreContract(title, async () => {
      const server = pg as PostgresServer;
      const schema = `contract_${++schemas}`;
      const open = () => openPostgresQueue({ url: server.url(), schema, poolSize: 4, ...extra });
      let store: PostgresQueue = await open();
      return {
        store,
        async reopen() {
          await store.close();
          store = await open();
          // Leases live in the database and outlast a process: a node that comes back under
          // the same owner name gives back those of its previous run (others wait for expiry).
          await store.releaseLeases('w1');
          return store;
        },
        async dispose() {
          await store.close().catch(() => undefined);
          await server.psql(`DROP SCHEMA ${schema} CASCADE`);
        },
      };
    });
  }
});
