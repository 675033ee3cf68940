/**
 * The contract of {@link QueueStore} as tests, run against every store: the memory store (its
 * reference), the filesystem spool and, later, the database backend. Call it from a test file
 * with a function that opens a fresh store.
 */
import { describe, expect, it } from 'vitest';
import { isQueueError } from './queue-error.js';
import type { Lease, MessageEnvelope, QueueStore } from './queue-store.js';

/** A store under test, and how to reopen it on the same data (durable stores only). */
export interface ContractSubject {
  readonly store: QueueStore;
  /** Closes the store and opens it again on the same data; absent for a store that forgets. */
  reopen?(): Promise<QueueStore>;
  /** Closes whatever is open and removes the data. */
  dispose(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const text = new TextEncoder();

export function envelope(
  destinations: readonly string[] = ['example.net'],
  extra: Partial<MessageEnvelope> = {},
): MessageEnvelope {
  return {
    sender: 'alice@example.com',
    recipients: destinations.map((destination, i) => ({
      address: `r${i}@${destination}`,
      destination,
    })),
    receivedAt: T0,
    ...extra,
  };
}

export async function readAll(store: QueueStore, id: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of store.read(id)) chunks.push(c);
  return Buffer.concat(chunks);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const i of items) out.push(i);
  return out;
}

const req = (now: number, extra: object = {}) => ({
  owner: 'w1',
  limit: 100,
  leaseMs: MIN,
  now,
  ...extra,
});

/**
 * Registers the contract's tests under `describe(name)`. `open` gives a fresh, empty store each
 * time.
 *
 * @example
 * ```ts
 * queueStoreContract('memory store', async () => {
 *   const store = createMemoryStore();
 *   return { store, dispose: () => store.close() };
 * });
 * ```
 */
export function queueStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  const withStore = (title: string, body: (s: ContractSubject) => Promise<void>) =>
    it(title, async () => {
      const subject = await open();
      try {
        await body(subject);
      } finally {
        await subject.dispose();
      }
    });

  describe(`${name}: QueueStore contract`, () => {
    withStore(
      'enqueue stores the envelope, the bytes and pending recipients',
      async ({ store }) => {
        const env = envelope(['a.example', 'b.example'], {
          envid: 'E1',
          ret: 'HDRS',
          body: '8BITMIME',
          smtputf8: true,
          attrs: { client: '192.0.2.1' },
        });
        const id = await store.enqueue(env, text.encode('Subject: x\r\n\r\nhello\r\n'));
        const m = await store.get(id);
        expect(m?.envelope).toEqual(env);
        expect(m?.size).toBe(21);
        expect(m?.bounceRequested ?? false).toBe(false);
        expect(m?.recipients).toEqual([
          { index: 0, status: 'pending', attempts: 0, nextAttemptAt: T0 },
          { index: 1, status: 'pending', attempts: 0, nextAttemptAt: T0 },
        ]);
        expect(new TextDecoder().decode(await readAll(store, id))).toBe(
          'Subject: x\r\n\r\nhello\r\n',
        );
      },
    );

    withStore('enqueue takes chunks, sync or async, and gives distinct ids', async ({ store }) => {
      const parts = [text.encode('a'), text.encode('bc'), new Uint8Array(0), text.encode('d')];
      const a = await store.enqueue(envelope(), parts);
      const b = await store.enqueue(
        envelope(),
        (async function* () {
          yield* parts;
        })(),
      );
      expect(a).not.toBe(b);
      expect(new TextDecoder().decode(await readAll(store, a))).toBe('abcd');
      expect(new TextDecoder().decode(await readAll(store, b))).toBe('abcd');
    });

    withStore('a big message reads back intact', async ({ store }) => {
      const big = new Uint8Array(1_200_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
      const id = await store.enqueue(envelope(), big);
      expect((await store.get(id))?.size).toBe(big.length);
      expect(Buffer.compare(await readAll(store, id), big)).toBe(0);
    });

    withStore('enqueue refuses an envelope without recipients', async ({ store }) => {
      const err = await store
        .enqueue({ sender: '', recipients: [], receivedAt: T0 }, new Uint8Array(1))
        .catch((e: unknown) => e);
      expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_MISUSE_ENVELOPE');
    });

    withStore('read of an unknown id fails with ERR_QUEUE_NOT_FOUND', async ({ store }) => {
      const err = await readAll(store, 'nope').catch((e: unknown) => e);
      expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_NOT_FOUND');
      expect(await store.get('nope')).toBeUndefined();
    });

    withStore(
      'lease hands out due work, one lease per message and destination',
      async ({ store }) => {
        const id = await store.enqueue(
          envelope(['a.example', 'b.example', 'a.example']),
          new Uint8Array(3),
        );
        expect(await store.lease(req(T0 - 1))).toEqual([]);
        const leases = await store.lease(req(T0));
        expect(
          leases.map((l) => [l.id, l.destination, l.recipients.map((r) => r.index)]).sort(),
        ).toEqual([
          [id, 'a.example', [0, 2]],
          [id, 'b.example', [1]],
        ]);
        for (const l of leases) {
          expect(l.expiresAt).toBe(T0 + MIN);
          expect(l.size).toBe(3);
          expect(l.bounceRequested).toBe(false);
        }
        // Leased work is not handed out again while the lease holds.
        expect(await store.lease(req(T0 + MIN - 1))).toEqual([]);
      },
    );

    withStore('lease respects limit and the destination filter', async ({ store }) => {
      for (let i = 0; i < 3; i++) await store.enqueue(envelope(['a.example']), new Uint8Array(1));
      await store.enqueue(envelope(['b.example']), new Uint8Array(1));
      expect(await store.lease(req(T0, { limit: 0 }))).toEqual([]);
      const only = await store.lease(req(T0, { destination: 'b.example' }));
      expect(only.map((l) => l.destination)).toEqual(['b.example']);
      expect((await store.lease(req(T0, { limit: 2 }))).length).toBe(2);
      expect((await store.lease(req(T0))).length).toBe(1);
    });

    withStore('an expired lease is void: the work is leased again', async ({ store }) => {
      await store.enqueue(envelope(), new Uint8Array(1));
      const [first] = await store.lease(req(T0));
      const [second] = await store.lease(req(T0 + MIN));
      expect(second?.leaseId).toBeDefined();
      expect(second?.leaseId).not.toBe(first?.leaseId);
      expect(await store.renew(first as Lease, T0 + MIN + 1, MIN)).toBe(false);
      // A settle of the stale lease is dropped; the new holder's counts.
      await store.settle(first as Lease, [{ index: 0, outcome: 'delivered' }]);
      const m = await store.get((second as Lease).id);
      expect(m?.recipients[0]?.status).toBe('pending');
      await store.settle(second as Lease, [{ index: 0, outcome: 'delivered' }]);
      expect(await store.get((second as Lease).id)).toBeUndefined();
    });

    withStore('renew extends a held lease', async ({ store }) => {
      await store.enqueue(envelope(), new Uint8Array(1));
      const [lease] = (await store.lease(req(T0))) as [Lease];
      expect(await store.renew(lease, T0 + MIN / 2, MIN)).toBe(true);
      expect(await store.lease(req(T0 + MIN))).toEqual([]);
      expect((await store.lease(req(T0 + MIN + MIN / 2))).length).toBe(1);
      expect(await store.renew(lease, T0 + 2 * MIN, MIN)).toBe(false);
    });

    withStore('settle records each result; a final message leaves the queue', async ({ store }) => {
      const id = await store.enqueue(
        envelope(['a.example', 'a.example', 'a.example']),
        new Uint8Array(1),
      );
      const [lease] = (await store.lease(req(T0))) as [Lease];
      const reply = { code: 451, enhanced: '4.4.1', text: 'try later', remoteMta: 'mx.a.example' };
      await store.settle(lease, [
        { index: 0, outcome: 'delivered', reply: { code: 250, text: 'ok' } },
        { index: 1, outcome: 'deferred', reply, retryAt: T0 + 5 * MIN, delayNotified: true },
      ]);
      const m = await store.get(id);
      expect(m?.recipients).toEqual([
        {
          index: 0,
          status: 'delivered',
          attempts: 1,
          nextAttemptAt: T0,
          lastReply: { code: 250, text: 'ok' },
        },
        {
          index: 1,
          status: 'pending',
          attempts: 1,
          nextAttemptAt: T0 + 5 * MIN,
          lastReply: reply,
          delayNotified: true,
        },
        // No result: pending as it was, and due again.
        { index: 2, status: 'pending', attempts: 0, nextAttemptAt: T0 },
      ]);
      const [again] = (await store.lease(req(T0 + 1))) as [Lease];
      expect(again.recipients.map((r) => r.index)).toEqual([2]);
      await store.settle(again, [
        { index: 2, outcome: 'failed', reply: { code: 550, text: 'no' } },
      ]);
      expect(await store.lease(req(T0 + 5 * MIN - 1))).toEqual([]);
      const [last] = (await store.lease(req(T0 + 5 * MIN))) as [Lease];
      expect(last.recipients).toEqual([m?.recipients[1]]);
      await store.settle(last, [{ index: 1, outcome: 'delivered' }]);
      expect(await store.get(id)).toBeUndefined();
      expect(await collect(store.list())).toEqual([]);
      const err = await readAll(store, id).catch((e: unknown) => e);
      expect(isQueueError(err) && err.code).toBe('ERR_QUEUE_NOT_FOUND');
    });

    withStore(
      'settle refuses a result for a recipient the lease does not hold',
      async ({ store }) => {
        await store.enqueue(envelope(['a.example', 'b.example']), new Uint8Array(1));
        const leases = await store.lease(req(T0));
        const a = leases.find((l) => l.destination === 'a.example') as Lease;
        const err = await store
          .settle(a, [{ index: 1, outcome: 'delivered' }])
          .catch((e: unknown) => e);
        expect(isQueueError(err) && err.misuse && err.code).toBe('ERR_QUEUE_MISUSE_RESULT');
      },
    );

    withStore('maxPerDestination counts unexpired leases', async ({ store }) => {
      for (let i = 0; i < 5; i++) await store.enqueue(envelope(['a.example']), new Uint8Array(1));
      await store.enqueue(envelope(['b.example']), new Uint8Array(1));
      const first = await store.lease(req(T0, { maxPerDestination: 2 }));
      expect(first.map((l) => l.destination).sort()).toEqual([
        'a.example',
        'a.example',
        'b.example',
      ]);
      expect(await store.lease(req(T0, { maxPerDestination: 2 }))).toEqual([]);
      const done = first.find((l) => l.destination === 'a.example') as Lease;
      await store.settle(done, [{ index: 0, outcome: 'delivered' }]);
      expect((await store.lease(req(T0, { maxPerDestination: 2 }))).length).toBe(1);
      // At expiry the leases no longer count (and their work is due again).
      const later = await store.lease(req(T0 + MIN, { maxPerDestination: 2 }));
      expect(later.filter((l) => l.destination === 'a.example').length).toBe(2);
    });

    withStore('admin: list, get, stats', async ({ store }) => {
      const a = await store.enqueue(envelope(['a.example']), new Uint8Array(5));
      const b = await store.enqueue(envelope(['a.example', 'b.example']), new Uint8Array(7));
      expect((await collect(store.list())).map((m) => m.id).sort()).toEqual([a, b].sort());
      expect((await collect(store.list({ destination: 'b.example' }))).map((m) => m.id)).toEqual([
        b,
      ]);
      expect((await collect(store.list({ id: a }))).map((m) => m.size)).toEqual([5]);
      expect(await collect(store.list({ id: a, destination: 'b.example' }))).toEqual([]);
      const leases = await store.lease(req(T0, { destination: 'a.example' }));
      expect(leases.length).toBe(2);
      expect(await store.stats()).toEqual({ messages: 2, pendingRecipients: 3, leased: 2 });
    });

    withStore('admin: reschedule makes pending recipients due', async ({ store }) => {
      const id = await store.enqueue(envelope(['a.example', 'b.example']), new Uint8Array(1));
      for (const l of await store.lease(req(T0)))
        await store.settle(l, [
          { index: l.recipients[0]?.index as number, outcome: 'deferred', retryAt: T0 + 60 * MIN },
        ]);
      expect(await store.lease(req(T0 + MIN))).toEqual([]);
      expect(await store.reschedule({ destination: 'b.example' }, T0 + MIN)).toBe(1);
      expect((await store.lease(req(T0 + MIN))).map((l) => l.destination)).toEqual(['b.example']);
      expect(await store.reschedule({ id }, T0 + 2 * MIN)).toBe(1);
      expect((await store.get(id))?.recipients.map((r) => r.nextAttemptAt)).toEqual([
        T0 + 2 * MIN,
        T0 + 2 * MIN,
      ]);
      expect(await store.reschedule({ id: 'nope' }, T0)).toBe(0);
    });

    withStore('admin: remove takes messages out without notice', async ({ store }) => {
      const a = await store.enqueue(envelope(['a.example']), new Uint8Array(1));
      const b = await store.enqueue(envelope(['b.example']), new Uint8Array(1));
      const [lease] = (await store.lease(req(T0, { destination: 'a.example' }))) as [Lease];
      expect(await store.remove({ id: a })).toBe(1);
      expect(await store.get(a)).toBeUndefined();
      expect(await store.renew(lease, T0 + 1, MIN)).toBe(false);
      await store.settle(lease, [{ index: 0, outcome: 'deferred', retryAt: T0 + MIN }]);
      expect(await store.get(a)).toBeUndefined();
      expect(await store.remove({})).toBe(1);
      expect(await store.get(b)).toBeUndefined();
      expect(await store.stats()).toEqual({ messages: 0, pendingRecipients: 0, leased: 0 });
    });

    withStore('admin: requestBounce marks messages and makes them due', async ({ store }) => {
      const id = await store.enqueue(envelope(['a.example']), new Uint8Array(1));
      const [l] = (await store.lease(req(T0))) as [Lease];
      await store.settle(l, [{ index: 0, outcome: 'deferred', retryAt: T0 + 60 * MIN }]);
      expect(await store.requestBounce({ id }, T0 + MIN)).toBe(1);
      expect((await store.get(id))?.bounceRequested).toBe(true);
      const [b] = (await store.lease(req(T0 + MIN))) as [Lease];
      expect(b.bounceRequested).toBe(true);
    });

    it('recovery: a reopened store has every message and state; leases are void', async () => {
      const subject = await open();
      let store = subject.store;
      try {
        if (subject.reopen === undefined) return;
        const a = await store.enqueue(envelope(['a.example', 'b.example']), text.encode('AAA'));
        const b = await store.enqueue(envelope(['a.example']), text.encode('BBBB'));
        const c = await store.enqueue(envelope(['c.example']), text.encode('C'));
        for (const l of await store.lease(req(T0, { destination: 'a.example' })))
          await store.settle(l, [
            l.id === a
              ? { index: 0, outcome: 'delivered', reply: { code: 250, text: 'ok' } }
              : { index: 0, outcome: 'deferred', retryAt: T0 + 10 * MIN, delayNotified: true },
          ]);
        await store.requestBounce({ id: c }, T0 + MIN);
        await store.lease(req(T0 + MIN, { destination: 'b.example' }));
        const before = await collect(store.list());
        store = await subject.reopen();
        const after = await collect(store.list());
        const byId = (ms: typeof before) => [...ms].sort((x, y) => (x.id < y.id ? -1 : 1));
        expect(byId(after)).toEqual(byId(before));
        expect(new TextDecoder().decode(await readAll(store, b))).toBe('BBBB');
        // The b.example lease of the old process is gone: its work is due now.
        expect((await store.lease(req(T0 + MIN, { destination: 'b.example' }))).length).toBe(1);
        const [l] = (await store.lease(req(T0 + 10 * MIN, { destination: 'a.example' }))) as [
          Lease,
        ];
        await store.settle(l, [{ index: 0, outcome: 'failed' }]);
        store = await subject.reopen();
        expect(await store.get(b)).toBeUndefined();
        expect((await collect(store.list())).map((m) => m.id).sort()).toEqual([a, c].sort());
      } finally {
        await subject.dispose();
      }
    });
  });
}
