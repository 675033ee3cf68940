import { QueueError } from '../queue-error.js';
import type { Lease, QueueStore, RecipientResult } from '../queue-store.js';
import { type RetryPolicy, retryPolicy } from '../retry-policy.js';
import {
  bounceResults,
  crashedReply,
  planSettlement,
  type QueueNotice,
} from '../settlement-plan.js';

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  readonly store: QueueStore;
  /** This node's name, stored with its leases. */
  readonly owner: string;
  /**
   * Delivers the leased recipients and returns a result for each (a missing one counts as a
   * deferral). A `deferred` result without `retryAt` waits the policy's backoff. The signal aborts
   * when the lease is lost or the scheduler stops; a throw defers every recipient with 451 4.3.0.
   */
  deliver(lease: Lease, signal: AbortSignal): Promise<readonly RecipientResult[]>;
  /**
   * Sends what a notice calls for (a DSN, a delay warning); awaited before the results are
   * settled, so a crash in between may send it twice but never loses it. A throw leaves the lease
   * unsettled: the work is tried again when it expires.
   */
  notify?(notice: QueueNotice): Promise<void>;
  /** Retry policy (Postfix's defaults). */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Deliveries at once, in all and per destination (default 100 and 20: Postfix's
   * `default_process_limit` and `default_destination_concurrency_limit`).
   */
  readonly concurrency?: { readonly total?: number; readonly perDestination?: number };
  /** How long a lease holds (default 300000 ms); it is renewed every third of it while delivering. */
  readonly leaseMs?: number;
  /** How often to look for due work when not woken (default 1000 ms). */
  readonly pollMs?: number;
  /** The clock (default `Date.now`). */
  readonly clock?: () => number;
  /** Errors with nowhere else to go (a store that failed, a notify that threw). */
  onError?(error: unknown, lease?: Lease): void;
}

/** A running delivery loop; see {@link createScheduler}. */
export interface Scheduler {
  /** Starts taking leases. */
  start(): void;
  /** Looks for due work now (after an enqueue, after ETRN for one destination). */
  kick(destination?: string): void;
  /**
   * Stops taking leases, waits up to `timeoutMs` (default 30000) for the deliveries in flight,
   * then aborts them (their signal) and settles what they return.
   */
  stop(timeoutMs?: number): Promise<void>;
  /** Deliveries in flight. */
  inFlight(): number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new QueueError('ERR_QUEUE_MISUSE_OPTION', `${name} must be an integer >= 1`);
  return value;
}

/**
 * The delivery loop of an MTA: leases due work from the store (at most `total` in flight, at
 * most `perDestination` per destination across every node sharing the store), calls `deliver`,
 * renews each lease while it runs, turns the results into notices and a settlement by the retry
 * policy (backoff, lifetime, delay warnings; see `planSettlement`), awaits `notify`, then
 * settles. A lease an administrator asked to bounce fails without a delivery. A lease lost to
 * another worker is not settled.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler({
 *   store, owner: 'mx1',
 *   deliver: async (lease, signal) => deliverByMx(lease, signal),
 *   notify: async (notice) => { await sendDsn(notice); },
 * });
 * scheduler.start();
 * // after each enqueue: scheduler.kick();
 * ```
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, owner } = options;
  const policy = retryPolicy(options.retry);
  const total = positiveInteger('concurrency.total', options.concurrency?.total ?? 100);
  const perDestination = positiveInteger(
    'concurrency.perDestination',
    options.concurrency?.perDestination ?? 20,
  );
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 300_000);
  const pollMs = positiveInteger('pollMs', options.pollMs ?? 1000);
  const clock = options.clock ?? Date.now;
  const onError = (error: unknown, lease?: Lease) => {
    try {
      options.onError?.(error, lease);
    } catch {}
  };

  const active = new Map<
    string,
    { readonly controller: AbortController; readonly done: Promise<void> }
  >();
  const kicked = new Set<string>();
  let running = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const wake = () => {
    if (!running) return;
    if (pumping !== undefined) {
      again = true;
      return;
    }
    pumping = pump().finally(() => {
      pumping = undefined;
      if (again) {
        again = false;
        wake();
      }
    });
  };

  const take = async (destination?: string): Promise<number> => {
    const room = total - active.size;
    if (room <= 0 || !running) return 0;
    const leases = await store.lease({
      owner,
      limit: room,
      leaseMs,
      now: clock(),
      maxPerDestination: perDestination,
      ...(destination !== undefined ? { destination } : {}),
    });
    for (const lease of leases) run(lease);
    return leases.length;
  };

  async function pump(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    try {
      const destinations = [...kicked];
      kicked.clear();
      for (const d of destinations) await take(d);
      // Bounded: each round fills the free slots; a round that leaves room means nothing is due.
      for (let round = 0; round < 64 && running; round++) {
        const room = total - active.size;
        if (room <= 0 || (await take()) < room) break;
      }
    } catch (error) {
      onError(error);
    }
    if (running && active.size < total) {
      timer = setTimeout(wake, pollMs);
      timer.unref?.();
    }
  }

  function run(lease: Lease): void {
    const controller = new AbortController();
    let lost = false;
    const renewal = setInterval(
      () => {
        store.renew(lease, clock(), leaseMs).then(
          (held) => {
            if (held) return;
            lost = true;
            controller.abort(new QueueError('ERR_QUEUE_CONTROL', 'lease lost'));
          },
          (error: unknown) => onError(error, lease),
        );
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    renewal.unref?.();
    const done = (async () => {
      try {
        let results: readonly RecipientResult[];
        if (lease.bounceRequested) results = bounceResults(lease);
        else
          try {
            results = await options.deliver(lease, controller.signal);
          } catch (error) {
            const reply = crashedReply(error);
            results = lease.recipients.map((s) => ({
              index: s.index,
              outcome: 'deferred' as const,
              reply,
            }));
          }
        clearInterval(renewal);
        if (lost) return;
        const plan = planSettlement(lease, results, clock(), policy);
        if (options.notify !== undefined)
          for (const notice of plan.notices) await options.notify(notice);
        await store.settle(lease, plan.results);
      } catch (error) {
        onError(error, lease);
      } finally {
        clearInterval(renewal);
        active.delete(lease.leaseId);
        wake();
      }
    })();
    active.set(lease.leaseId, { controller, done });
  }

  return {
    start() {
      if (running) return;
      running = true;
      wake();
    },
    kick(destination?: string) {
      if (destination !== undefined) kicked.add(destination);
      wake();
    },
    async stop(timeoutMs = 30_000) {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await pumping;
      const all = () => Promise.all([...active.values()].map((a) => a.done));
      const wait = (ms: number) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          t.unref?.();
        });
      if (active.size > 0) await Promise.race([all(), wait(timeoutMs)]);
      if (active.size > 0) {
        for (const a of active.values())
          a.controller.abort(new QueueError('ERR_QUEUE_CONTROL', 'the scheduler stopped'));
        await Promise.race([all(), wait(timeoutMs)]);
      }
    },
    inFlight() {
      return active.size;
    },
  };
}
