// What a queue shared by several processes must do, against a real PostgreSQL: concurrent
// migrations, per-destination limits across stores, the work of a SIGKILLed node taken over,
// commits that survive a crash of the database, and a database that goes away and comes back.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isQueueError, type Lease, type MessageEnvelope } from '@smtpkit/queue';
import { type PostgresServer, postgresSkipReason, startPostgres } from '@smtpkit/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../migrations.js';
import { applyMigrations } from './migrate.js';
import { openPostgresQueue, type PostgresQueue } from './open-postgres-queue.js';

const skip = postgresSkipReason();
let server: PostgresServer | undefined;
let schemas = 0;
const here = dirname(fileURLToPath(import.meta.url));

const envelope = (destination = 'a.example', receivedAt = Date.now()): MessageEnvelope => ({
  sender: 'alice@example.com',
  recipients: [{ address: `bob@${destination}`, destination }],
  receivedAt,
});

async function withQueues<T>(
  count: number,
  body: (queues: PostgresQueue[], schema: string) => Promise<T>,
  options: Partial<Parameters<typeof openPostgresQueue>[0]> = {},
): Promise<T> {
  const pgs = server as PostgresServer;
  const schema = `shared_${++schemas}`;
  const queues = await Promise.all(
    Array.from({ length: count }, () =>
      openPostgresQueue({ url: pgs.url(), schema, poolSize: 4, ...options }),
    ),
  );
  try {
    return await body(queues, schema);
  } finally {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    await pgs.psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  }
}

describe.skipIf(skip !== undefined)('a queue shared through PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.remove();
  });

  it('migrations: eight nodes starting at once apply each version once; a reopen applies none', async () => {
    await withQueues(8, async (_queues, schema) => {
      const rows = await (server as PostgresServer).psql(
        `SELECT version FROM ${schema}.schema_migrations`,
      );
      expect(rows.trim().split('\n')).toEqual(migrations(schema).map((m) => String(m.version)));
      const pool = new pg.Pool({ connectionString: (server as PostgresServer).url(), max: 1 });
      try {
        expect(await applyMigrations(pool, schema)).toEqual({ applied: [], version: 3 });
        // A schema from a newer release is refused, not altered.
        await pool.query(`INSERT INTO ${schema}.schema_migrations VALUES (999, 'future')`);
        const err = await applyMigrations(pool, schema).catch((e: unknown) => e);
        expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_IO');
        expect((err as Error).message).toMatch(/version 999/);
      } finally {
        await pool.end();
      }
    });
  });

  it('maxPerDestination holds across two stores leasing at once', async () => {
    await withQueues(2, async ([a, b]) => {
      for (let i = 0; i < 40; i++) await (i % 2 ? a : b)?.enqueue(envelope(), new Uint8Array(1));
      const now = Date.now();
      const calls = Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b)?.lease({
          owner: `n${i % 2}`,
          limit: 5,
          leaseMs: 60_000,
          now,
          maxPerDestination: 3,
        }),
      );
      const leases = (await Promise.all(calls)).flat() as Lease[];
      expect(leases.length).toBe(3);
      expect(new Set(leases.map((l) => l.id)).size).toBe(3);
      expect((await a?.stats())?.leased).toBe(3);
      // Settling one frees one slot, for either store.
      await a?.settle(leases[0] as Lease, [{ index: 0, outcome: 'delivered' }]);
      const again = (
        await Promise.all([
          a?.lease({ owner: 'n0', limit: 5, leaseMs: 60_000, now, maxPerDestination: 3 }),
          b?.lease({ owner: 'n1', limit: 5, leaseMs: 60_000, now, maxPerDestination: 3 }),
        ])
      ).flat();
      expect(again.length).toBe(1);
    });
  });

  it('the leases of a node killed with SIGKILL are taken over once they expire', async () => {
    await withQueues(1, async ([queue], schema) => {
      for (let i = 0; i < 3; i++)
        await queue?.enqueue(envelope(`d${i}.example`), new Uint8Array(10));
      const leaseMs = 1500;
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(here, 'test-support', 'lease-holder.ts'),
          (server as PostgresServer).url(),
          schema,
          'doomed',
          String(leaseMs),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const held = await new Promise<string[]>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out) as string[]);
        });
        child.on('exit', (code) => reject(new Error(`lease holder exited ${code}`)));
      });
      const killedAt = Date.now();
      child.kill('SIGKILL');
      expect(held.length).toBe(3);
      const req = () => ({ owner: 'survivor', limit: 10, leaseMs: 60_000, now: Date.now() });
      expect(await queue?.lease(req())).toEqual([]);
      let taken: Lease[] = [];
      // Bounded: about leaseMs, polled every 100 ms.
      for (let i = 0; i < 100 && taken.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        taken = (await queue?.lease(req())) ?? [];
      }
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(leaseMs - 200);
      expect(Date.now() - killedAt).toBeLessThan(leaseMs + 2000);
      expect(taken.map((l) => l.destination).sort()).toEqual([
        'd0.example',
        'd1.example',
        'd2.example',
      ]);
      for (const l of taken) await queue?.settle(l, [{ index: 0, outcome: 'delivered' }]);
      expect(await queue?.stats()).toEqual({ messages: 0, pendingRecipients: 0, leased: 0 });
    });
  });

  it('concurrent enqueues share commits, and each resolves with its own message stored', async () => {
    await withQueues(1, async ([queue]) => {
      const q = queue as PostgresQueue;
      const before = q.counters();
      const ids = await Promise.all(
        Array.from({ length: 200 }, (_, i) => q.enqueue(envelope(), Buffer.from(`message ${i}`))),
      );
      const after = q.counters();
      expect(new Set(ids).size).toBe(200);
      expect(after.enqueuedMessages - before.enqueuedMessages).toBe(200);
      expect(after.enqueueBatches - before.enqueueBatches).toBeLessThan(200);
      const chunks: Uint8Array[] = [];
      for await (const c of q.read(ids[123] as string)) chunks.push(c);
      expect(Buffer.concat(chunks).toString()).toBe('message 123');
    });
  });

  it('concurrent settles share transactions; two leases of one message settled at once by two stores remove it', async () => {
    await withQueues(2, async ([a, b]) => {
      const qa = a as PostgresQueue;
      const qb = b as PostgresQueue;
      for (let i = 0; i < 60; i++)
        await qa.enqueue(envelope(`d${i % 6}.example`), Buffer.from('x'));
      const split = await qa.enqueue(
        {
          sender: '',
          recipients: [
            { address: 'x@one.example', destination: 'one.example' },
            { address: 'y@two.example', destination: 'two.example' },
          ],
          receivedAt: Date.now(),
        },
        Buffer.from('two destinations'),
      );
      const now = Date.now();
      const leases = await qa.lease({ owner: 'a', limit: 100, leaseMs: 60_000, now });
      expect(leases.length).toBe(62);
      const before = qa.counters();
      const one = leases.find((l) => l.destination === 'one.example') as Lease;
      const two = leases.find((l) => l.destination === 'two.example') as Lease;
      const rest = leases.filter((l) => l.id !== split);
      await Promise.all([
        ...rest.map((l) => qa.settle(l, [{ index: 0, outcome: 'delivered' }])),
        qa.settle(one, [{ index: 0, outcome: 'delivered' }]),
        qb.settle(two, [{ index: 1, outcome: 'failed', reply: { code: 550, text: 'no' } }]),
      ]);
      const after = qa.counters();
      expect(after.settledLeases - before.settledLeases).toBe(61);
      expect(after.settleBatches - before.settleBatches).toBeLessThan(61);
      expect(await qa.get(split)).toBeUndefined();
      expect(await qb.stats()).toEqual({ messages: 0, pendingRecipients: 0, leased: 0 });
    });
  });

  it('a small body comes with its lease: reading it costs no round trip; a big one is read', async () => {
    await withQueues(1, async ([queue]) => {
      const q = queue as PostgresQueue;
      const small = await q.enqueue(envelope('s.example'), Buffer.from('small body'));
      const empty = await q.enqueue(envelope('e.example'), new Uint8Array(0));
      const big = await q.enqueue(envelope('b.example'), new Uint8Array(200_000).fill(7));
      const leases = await q.lease({ owner: 'x', limit: 10, leaseMs: 60_000, now: Date.now() });
      expect(leases.length).toBe(3);
      const readCounted = async (id: string) => {
        const before = q.counters().roundTrips;
        const chunks: Uint8Array[] = [];
        for await (const c of q.read(id)) chunks.push(c);
        return { bytes: Buffer.concat(chunks), trips: q.counters().roundTrips - before };
      };
      expect(await readCounted(small)).toEqual({ bytes: Buffer.from('small body'), trips: 0 });
      expect(await readCounted(empty)).toEqual({ bytes: Buffer.alloc(0), trips: 0 });
      const read = await readCounted(big);
      expect(read.bytes.length).toBe(200_000);
      expect(read.trips).toBe(1);
      for (const l of leases) await q.settle(l, [{ index: 0, outcome: 'delivered' }]);
      // Settled and gone: the kept body went with the lease.
      const err = await readCounted(small).catch((e: unknown) => e);
      expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_NOT_FOUND');
    });
  });

  it('one refused envelope in a grouped commit fails alone', async () => {
    await withQueues(1, async ([queue]) => {
      const q = queue as PostgresQueue;
      const bad = { ...envelope(), attrs: { helo: 'nul\u0000here' } };
      const results = await Promise.allSettled([
        q.enqueue(envelope(), Buffer.from('a')),
        q.enqueue(bad, Buffer.from('b')),
        q.enqueue(envelope(), Buffer.from('c')),
        q.enqueue(envelope(), Buffer.from('d')),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect((await q.stats()).messages).toBe(3);
    });
  });

  it('a resolved enqueue survives a crash of the database (pg_ctl stop -m immediate)', async () => {
    const pgs = server as PostgresServer;
    await withQueues(1, async ([queue]) => {
      const q = queue as PostgresQueue;
      const ids = await Promise.all(
        Array.from({ length: 50 }, (_, i) => q.enqueue(envelope(), Buffer.from(`durable ${i}`))),
      );
      await pgs.stop('immediate');
      await pgs.start();
      // The pool's connections died with the server: the first call may fail, later ones reconnect.
      const deadline = Date.now() + 10_000;
      let count = -1;
      while (count < 0 && Date.now() < deadline)
        count = await q.stats().then(
          (s) => s.messages,
          () => -1,
        );
      expect(count).toBe(50);
      for (const id of ids) expect((await q.get(id))?.id).toBe(id);
    });
  });

  it('a database that goes away: operations fail at once with ERR_QUEUE_IO, then work again by themselves', async () => {
    const pgs = server as PostgresServer;
    await withQueues(1, async ([queue]) => {
      const q = queue as PostgresQueue;
      await q.enqueue(envelope(), Buffer.from('before'));
      await pgs.stop('fast');
      const started = Date.now();
      const err = await q.enqueue(envelope(), Buffer.from('during')).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_IO');
      const leaseErr = await q
        .lease({ owner: 'x', limit: 1, leaseMs: 1000, now: Date.now() })
        .catch((e: unknown) => e);
      expect(isQueueError(leaseErr) && leaseErr.code).toBe('ERR_QUEUE_IO');
      await pgs.start();
      const id = await q.enqueue(envelope(), Buffer.from('after'));
      expect((await q.get(id))?.size).toBe(5);
      expect((await q.stats()).messages).toBe(2);
    });
  });
});
