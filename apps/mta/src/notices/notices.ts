import { randomBytes } from 'node:crypto';
import { type ForwardPath, parseForwardPath } from '@smtpkit/address';
import {
  type BuiltDsn,
  buildDoubleBounce,
  buildDsn,
  type DsnAction,
  type DsnRecipient,
  isDsnError,
  planNotification,
} from '@smtpkit/dsn';
import type {
  Lease,
  MessageEnvelope,
  NoticeRecipient,
  QueueNotice,
  QueueStore,
  RecipientResult,
} from '@smtpkit/queue';
import type { MtaConfig } from '../config/config-schema.js';
import type { Metrics } from '../ops/metrics.js';
import { destinationOf } from '../receive/receiver.js';
import type { Router } from '../receive/recipient-router.js';
import {
  diagnosticOf,
  isExpiry,
  mtaNameOf,
  statusOf,
  successNoticeFromHere,
} from './notice-facts.js';

/** The attribute that marks a notice to the postmaster: never notified about in turn. */
const DOUBLE_BOUNCE = 'double-bounce';

/** The largest original read back for a notice; beyond it only the header goes (dsn decides). */
const MAX_RETURNED_READ = 1_048_576;

const ACTION: Readonly<Record<QueueNotice['kind'], DsnAction>> = {
  failed: 'failed',
  delayed: 'delayed',
  delivered: 'delivered',
};

/** What {@link createNotices} needs. */
export interface NoticesOptions {
  readonly queue: QueueStore;
  readonly router: Router;
  readonly config: MtaConfig;
  readonly hostname: string;
  readonly clock: () => number;
  readonly logger: {
    info(obj: unknown, msg?: string): void;
    warn(obj: unknown, msg?: string): void;
    error(obj: unknown, msg?: string): void;
  };
  readonly metrics: Pick<Metrics, 'notices' | 'bounces'>;
}

/** The MTA's delivery status notifications; see {@link createNotices}. */
export interface Notices {
  /**
   * The queue as the scheduler must settle through it: a settle first sends what only the
   * settlement shows, the double bounce of a message from `<>` that failed (the scheduler sends
   * no notice about such a message) and the log line of a lifetime that ran out.
   */
  readonly store: QueueStore;
  /** Called when a notice was queued (wake the scheduler for its destination). */
  onQueued(callback: (destination: string) => void): void;
  /** The scheduler's `notify`: queues the DSN a notice calls for, if NOTIFY and RFC 3461 allow. */
  notify(notice: QueueNotice): Promise<void>;
}

/**
 * Delivery status notifications (RFC 3464) for what the scheduler reports: failures, delay
 * warnings, and success (or "relayed", when the next hop lacked DSN) where NOTIFY asked for it.
 * Each is queued from the null reverse-path before the scheduler records the results, so a crash
 * can repeat a notice but never lose one. A failed message from `<>` is reported to the
 * postmaster (a double bounce); a notice to the postmaster is never reported on. A bounce whose
 * sender cannot be routed goes to the postmaster instead of nowhere. A notice that cannot be
 * written is logged and dropped (trying again would fail again and hold the message).
 *
 * @example
 * ```ts
 * const notices = createNotices({ queue, router, config, hostname, clock: Date.now, logger, metrics });
 * const scheduler = createScheduler({ store: notices.store, notify: notices.notify, owner, deliver });
 * notices.onQueued((destination) => scheduler.kick(destination));
 * ```
 */
export function createNotices(options: NoticesOptions): Notices {
  const { queue, router, config, hostname, clock, logger, metrics } = options;
  let queued: (destination: string) => void = () => undefined;
  /** Leases the scheduler already sent a failure notice for (settle must not send another). */
  const failureNotified = new WeakSet<Lease>();
  const messageId = () => `<${clock().toString(36)}.${randomBytes(8).toString('hex')}@${hostname}>`;
  const postmaster = `postmaster@${config.localDomains[0] ?? 'localhost'}`;

  const readOriginal = async (id: string): Promise<Uint8Array | undefined> => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of queue.read(id)) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_RETURNED_READ) break;
      }
    } catch (e) {
      // A notice without the returned message is better than none.
      logger.warn({ queueId: id, error: (e as Error).message }, 'notice without the message');
      return undefined;
    }
    return Buffer.concat(chunks);
  };

  const routesTo = (address: string) => {
    let path: ForwardPath;
    try {
      path = parseForwardPath(`<${address}>`, { smtputf8: true });
    } catch {
      return undefined;
    }
    const routes = router.route(path);
    return routes === undefined || routes.length === 0 ? undefined : routes;
  };

  const enqueue = async (
    built: BuiltDsn,
    about: { id: string; kind: string },
    to: string = built.recipient,
  ): Promise<boolean> => {
    const routes = routesTo(to);
    if (routes === undefined) return false;
    const envelope: MessageEnvelope = {
      sender: '',
      recipients: routes.map((route) => ({
        address: route.address,
        destination: destinationOf(route, config),
      })),
      receivedAt: clock(),
      smtputf8: built.smtputf8,
      body: built.body,
      attrs: { notice: about.kind, about: about.id },
    };
    const id = await queue.enqueue(envelope, built.message);
    metrics.notices.inc({ kind: about.kind });
    logger.info({ queueId: id, about: about.id, kind: about.kind, to }, 'notice queued');
    for (const r of envelope.recipients) queued(r.destination);
    return true;
  };

  const report = async (
    kind: QueueNotice['kind'],
    lease: Lease,
    noticed: readonly NoticeRecipient[],
  ): Promise<void> => {
    const env = lease.envelope;
    if (env.attrs?.['notice'] === DOUBLE_BOUNCE) {
      logger.warn({ queueId: lease.id, kind }, 'notice to the postmaster not delivered; dropped');
      return;
    }
    const now = clock();
    const action = ACTION[kind];
    const recipients: DsnRecipient[] = noticed.map(({ recipient, result }) => {
      const own = result.action ?? action;
      const diagnostic = diagnosticOf(result);
      return {
        address: recipient.address,
        ...(recipient.notify === undefined ? {} : { notify: recipient.notify }),
        ...(recipient.orcpt === undefined ? {} : { orcpt: recipient.orcpt }),
        action: own,
        status: statusOf(own, result.reply),
        ...(diagnostic === undefined ? {} : { diagnostic }),
        ...(result.reply?.remoteMta === undefined
          ? {}
          : { remoteMta: mtaNameOf(result.reply.remoteMta) }),
        // RFC 3464 §2.3.7: the last attempt; an administrator's bounce made none.
        ...(lease.bounceRequested ? {} : { lastAttemptAt: now }),
        // RFC 3464 §2.3.9: when the MTA gives up, for delay notices only.
        ...(kind === 'delayed'
          ? {
              willRetryUntil:
                env.receivedAt +
                (env.sender === '' ? config.retry.bounceLifetime : config.retry.maxLifetime),
            }
          : {}),
      };
    });
    const plan = planNotification(action, env, recipients);
    if (plan.send === 'none') return;
    const original = await readOriginal(lease.id);
    const common = {
      reportingMta: hostname,
      envelope: env,
      recipients: plan.recipients,
      now,
      messageId,
      ...(original === undefined ? {} : { original }),
    };
    let built: BuiltDsn;
    try {
      built =
        plan.send === 'double-bounce'
          ? buildDoubleBounce({ ...common, postmaster })
          : buildDsn(common);
    } catch (e) {
      // Deterministic: trying again would fail again and hold the message's settlement.
      if (!isDsnError(e)) throw e;
      logger.error({ queueId: lease.id, kind, error: e.message }, 'notice not written; dropped');
      return;
    }
    const about = { id: lease.id, kind: plan.send === 'double-bounce' ? DOUBLE_BOUNCE : kind };
    if (await enqueue(built, about)) return;
    if (plan.send === 'dsn' && kind === 'failed') {
      // RFC 5321 §6.1: a failure must be reported; one that cannot be returned goes to the
      // postmaster, who sees the same report.
      logger.warn({ queueId: lease.id, to: built.recipient }, 'bounce has no route; to postmaster');
      if (await enqueue(built, { id: lease.id, kind: DOUBLE_BOUNCE }, postmaster)) return;
    }
    logger.warn({ queueId: lease.id, kind, to: built.recipient }, 'notice not sent: no route');
  };

  /** What only the settlement shows, sent before it is recorded (a crash repeats, never loses). */
  const beforeSettle = async (lease: Lease, results: readonly RecipientResult[]) => {
    const failed: NoticeRecipient[] = [];
    for (const result of results) {
      const recipient = lease.envelope.recipients[result.index];
      const state = lease.recipients.find((s) => s.index === result.index);
      if (recipient === undefined || state === undefined || result.outcome !== 'failed') continue;
      if (lease.bounceRequested) {
        // An administrator's bounce: the scheduler fails the recipients without a delivery.
        metrics.bounces.inc();
        logger.info(
          { queueId: lease.id, to: recipient.address, destination: lease.destination },
          'bounced by administrator',
        );
      } else if (isExpiry(result)) {
        // Delivery never failed outright; the lifetime ran out (RFC 3463 X.4.7).
        metrics.bounces.inc();
        logger.info(
          {
            queueId: lease.id,
            to: recipient.address,
            destination: lease.destination,
            reply: `${result.reply?.code} ${result.reply?.enhanced ?? ''} ${result.reply?.text}`,
          },
          'expired',
        );
      }
      failed.push({ state, recipient, result });
    }
    // RFC 5321 §4.5.5: nothing goes back to <>; the postmaster hears of the failure instead.
    if (lease.envelope.sender === '' && failed.length > 0 && !failureNotified.has(lease)) {
      await report('failed', lease, failed);
    }
  };

  const store: QueueStore = {
    enqueue: (envelope, message) => queue.enqueue(envelope, message),
    lease: (request) => queue.lease(request),
    read: (id) => queue.read(id),
    renew: (lease, now, leaseMs) => queue.renew(lease, now, leaseMs),
    async settle(lease, results) {
      await beforeSettle(lease, results);
      await queue.settle(lease, results);
    },
    list: (selector) => queue.list(selector),
    get: (id) => queue.get(id),
    reschedule: (selector, at) => queue.reschedule(selector, at),
    remove: (selector) => queue.remove(selector),
    requestBounce: (selector, at) => queue.requestBounce(selector, at),
    stats: () => queue.stats(),
    close: () => queue.close(),
  };

  return {
    store,
    onQueued(callback) {
      queued = callback;
    },
    async notify(notice) {
      if (notice.kind === 'failed') failureNotified.add(notice.lease);
      const recipients =
        notice.kind === 'delivered'
          ? notice.recipients.filter((r) =>
              successNoticeFromHere(notice.lease.destination, r.result),
            )
          : notice.recipients;
      if (recipients.length > 0) await report(notice.kind, notice.lease, recipients);
    },
  };
}
