import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../memory-store.js';
import type { Lease, MessageEnvelope, QueueStore, RecipientResult } from '../queue-store.js';
import type { QueueNotice } from '../settlement-plan.js';
import { createScheduler, type SchedulerOptions } from './scheduler.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const HOUR = 3_600_000;

function env(
  extra: Partial<MessageEnvelope> = {},
  notify?: MessageEnvelope['recipients'][0]['notify'],
): MessageEnvelope {
  return {
    sender: 'a@example.com',
    recipients: [
      { address: 'b@example.net', destination: 'example.net', ...(notify ? { notify } : {}) },
    ],
    receivedAt: T0,
    ...extra,
  };
}

/** A scheduler over a memory store with a clock the test moves. */
function harness(
  deliver: SchedulerOptions['deliver'],
  extra: Partial<SchedulerOptions> = {},
  store: QueueStore = createMemoryStore(),
) {
  const clock = { now: T0 };
  const notices: { notice: QueueNotice; pendingAtNotice: boolean }[] = [];
  const errors: unknown[] = [];
  const scheduler = createScheduler({
    store,
    owner: 'test',
    deliver,
    notify: async (notice) => {
      const m = await store.get(notice.lease.id);
      notices.push({ notice, pendingAtNotice: m !== undefined });
    },
    pollMs: 3_600_000,
    clock: () => clock.now,
    onError: (e) => errors.push(e),
    ...extra,
  });
  /** Moves the clock, wakes the scheduler, waits until it is idle. */
  const step = async (to: number) => {
    clock.now = to;
    scheduler.kick();
    await vi.waitFor(() => expect(scheduler.inFlight()).toBe(0));
    await new Promise((r) => setTimeout(r, 5));
    await vi.waitFor(() => expect(scheduler.inFlight()).toBe(0));
  };
  return { store, clock, scheduler, notices, errors, step };
}

const deferAll = async (lease: Lease): Promise<RecipientResult[]> =>
  lease.recipients.map((r) => ({
    index: r.index,
    outcome: 'deferred',
    reply: { code: 451, enhanced: '4.4.1', text: 'no answer from host' },
  }));

describe('createScheduler', () => {
  it('delivers due work and settles it', async () => {
    const deliver = vi.fn(async (lease: Lease) =>
      lease.recipients.map((r) => ({ index: r.index, outcome: 'delivered' as const })),
    );
    const h = harness(deliver);
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    await h.step(T0);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(await h.store.get(id)).toBeUndefined();
    expect(h.notices).toEqual([]);
    await h.scheduler.stop();
  });

  it('backs off from min to max, doubling per attempt, and fails past the lifetime with 4.4.7', async () => {
    const h = harness(deferAll, {
      retry: {
        minBackoffMs: MIN,
        maxBackoffMs: 5 * MIN,
        maxLifetimeMs: 30 * MIN,
        delayWarningMs: 1000 * HOUR,
      },
    });
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    let t = T0;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      await h.step(t);
      const m = await h.store.get(id);
      if (m === undefined) break;
      const next = m.recipients[0]?.nextAttemptAt as number;
      waits.push(next - t);
      t = next;
    }
    expect(waits.slice(0, 5)).toEqual([MIN, 2 * MIN, 4 * MIN, 5 * MIN, 5 * MIN]);
    expect(await h.store.get(id)).toBeUndefined();
    const failed = h.notices.find((n) => n.notice.kind === 'failed');
    expect(failed?.pendingAtNotice).toBe(true);
    expect(failed?.notice.recipients[0]?.result.reply).toEqual({
      code: 451,
      enhanced: '4.4.7',
      text: 'no answer from host',
    });
    await h.scheduler.stop();
  });

  it('keeps the retryAt a deferral gives', async () => {
    const h = harness(async (lease) => [
      { index: lease.recipients[0]?.index as number, outcome: 'deferred', retryAt: T0 + 7 * MIN },
    ]);
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    await h.step(T0);
    expect((await h.store.get(id))?.recipients[0]?.nextAttemptAt).toBe(T0 + 7 * MIN);
    await h.scheduler.stop();
  });

  it('a message from <> lives bounceLifetimeMs and gets no notices', async () => {
    const h = harness(deferAll, { retry: { bounceLifetimeMs: HOUR, delayWarningMs: 1 } });
    const id = await h.store.enqueue(env({ sender: '' }), new Uint8Array(3));
    h.scheduler.start();
    await h.step(T0 + 10 * MIN);
    expect((await h.store.get(id))?.recipients[0]?.status).toBe('pending');
    await h.step(T0 + HOUR);
    expect(await h.store.get(id)).toBeUndefined();
    expect(h.notices).toEqual([]);
    await h.scheduler.stop();
  });

  it('sends one delay notice per recipient after delayWarningMs', async () => {
    const h = harness(deferAll, { retry: { delayWarningMs: 4 * HOUR } });
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    await h.step(T0);
    expect(h.notices).toEqual([]);
    await h.step(T0 + 5 * HOUR);
    expect(h.notices.map((n) => n.notice.kind)).toEqual(['delayed']);
    expect((await h.store.get(id))?.recipients[0]?.delayNotified).toBe(true);
    await h.step(T0 + 7 * HOUR);
    expect(h.notices.map((n) => n.notice.kind)).toEqual(['delayed']);
    await h.scheduler.stop();
  });

  it('follows NOTIFY: SUCCESS gets a delivered notice, NEVER no failure notice', async () => {
    const h = harness(async (lease) =>
      lease.recipients.map((r) => ({
        index: r.index,
        outcome: r.index === 0 ? ('delivered' as const) : ('failed' as const),
        ...(r.index === 0 ? { action: 'relayed' as const } : {}),
      })),
    );
    await h.store.enqueue(
      {
        ...env(),
        recipients: [
          { address: 'x@example.net', destination: 'example.net', notify: ['SUCCESS'] },
          { address: 'y@example.net', destination: 'example.net', notify: 'NEVER' },
          { address: 'z@example.net', destination: 'example.net' },
        ],
      },
      new Uint8Array(3),
    );
    h.scheduler.start();
    await h.step(T0);
    const kinds = h.notices.map((n) => [
      n.notice.kind,
      n.notice.recipients.map((r) => r.recipient.address),
    ]);
    expect(kinds).toEqual([
      ['failed', ['z@example.net']],
      ['delivered', ['x@example.net']],
    ]);
    expect(h.notices[1]?.notice.recipients[0]?.result.action).toBe('relayed');
    await h.scheduler.stop();
  });

  it('fails a bounce-requested message without delivering it', async () => {
    const deliver = vi.fn(deferAll);
    const h = harness(deliver);
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    await h.store.requestBounce({ id }, T0);
    h.scheduler.start();
    await h.step(T0);
    expect(deliver).not.toHaveBeenCalled();
    expect(await h.store.get(id)).toBeUndefined();
    expect(h.notices[0]?.notice.kind).toBe('failed');
    expect(h.notices[0]?.notice.recipients[0]?.result.reply?.enhanced).toBe('5.0.0');
    await h.scheduler.stop();
  });

  it('defers every recipient with 451 4.3.0 when deliver throws; a missing result is a deferral', async () => {
    let calls = 0;
    const h = harness(async () => {
      if (calls++ === 0) throw new Error('connection\r\nreset');
      return [];
    });
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    await h.step(T0);
    const r = (await h.store.get(id))?.recipients[0];
    expect(r?.status).toBe('pending');
    expect(r?.attempts).toBe(1);
    expect(r?.lastReply).toEqual({ code: 451, enhanced: '4.3.0', text: 'connection reset' });
    await h.step(r?.nextAttemptAt as number);
    expect((await h.store.get(id))?.recipients[0]?.attempts).toBe(2);
    await h.scheduler.stop();
  });

  it('does not settle a lease it lost', async () => {
    const inner = createMemoryStore();
    const settle = vi.fn(inner.settle.bind(inner));
    const store: QueueStore = {
      ...inner,
      enqueue: inner.enqueue.bind(inner),
      lease: inner.lease.bind(inner),
      get: inner.get.bind(inner),
      renew: async () => false,
      settle,
    };
    let aborted = false;
    const h = harness(
      (_lease, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
      { leaseMs: 30 },
      store,
    );
    await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    await h.step(T0);
    expect(aborted).toBe(true);
    expect(settle).not.toHaveBeenCalled();
    await h.scheduler.stop();
  });

  it('holds total and per-destination concurrency', async () => {
    let running = 0;
    let peak = 0;
    const perDestination = new Map<string, number>();
    let peakPerDestination = 0;
    const h = harness(
      async (lease) => {
        running++;
        const n = (perDestination.get(lease.destination) ?? 0) + 1;
        perDestination.set(lease.destination, n);
        peak = Math.max(peak, running);
        peakPerDestination = Math.max(peakPerDestination, n);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        perDestination.set(lease.destination, (perDestination.get(lease.destination) ?? 1) - 1);
        return lease.recipients.map((r) => ({ index: r.index, outcome: 'delivered' as const }));
      },
      { concurrency: { total: 4, perDestination: 2 } },
    );
    for (let i = 0; i < 30; i++)
      await h.store.enqueue(
        { ...env(), recipients: [{ address: 'x@d', destination: `d${i % 3}` }] },
        new Uint8Array(1),
      );
    h.scheduler.start();
    await vi.waitFor(async () => expect((await h.store.stats()).messages).toBe(0), {
      timeout: 5000,
    });
    expect(peak).toBe(4);
    expect(peakPerDestination).toBe(2);
    await h.scheduler.stop();
  });

  it('stop waits, then aborts the deliveries in flight and settles what they return', async () => {
    const h = harness(
      (lease, signal) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () =>
            resolve(
              lease.recipients.map((r) => ({ index: r.index, outcome: 'deferred' as const })),
            ),
          ),
        ),
    );
    const id = await h.store.enqueue(env(), new Uint8Array(3));
    h.scheduler.start();
    h.scheduler.kick();
    await vi.waitFor(() => expect(h.scheduler.inFlight()).toBe(1));
    await h.scheduler.stop(20);
    expect(h.scheduler.inFlight()).toBe(0);
    expect((await h.store.get(id))?.recipients[0]?.attempts).toBe(1);
    // Stopped: no more leases.
    h.scheduler.kick();
    expect(h.scheduler.inFlight()).toBe(0);
  });
});
