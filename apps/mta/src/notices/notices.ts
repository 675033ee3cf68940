import { randomBytes } from 'node:crypto';
import { type ForwardPath, parseForwardPath } from '@smtpkit/address';
import {
  type BuiltDsn,
  buildDoubleBounce,
  buildDsn,
  type DsnAction,
  type DsnRecipient,
  planNotification,
} from '@smtpkit/dsn';
import type { MessageEnvelope, QueueNotice, QueueStore } from '@smtpkit/queue';
import type { MtaConfig } from '../config/config-schema.js';
import type { Metrics } from '../ops/metrics.js';
import { destinationOf } from '../receive/receiver.js';
import type { Router } from '../receive/recipient-router.js';

/** The attribute that marks a notice to the postmaster: never notified about in turn. */
const DOUBLE_BOUNCE = 'double-bounce';

/** The largest original read back for a notice; beyond it only the header goes (dsn decides). */
const MAX_RETURNED_READ = 1_048_576;

async function readOriginal(queue: QueueStore, id: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of queue.read(id)) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RETURNED_READ) break;
  }
  return Buffer.concat(chunks);
}

const ACTION: Readonly<Record<QueueNotice['kind'], DsnAction>> = {
  failed: 'failed',
  delayed: 'delayed',
  delivered: 'delivered',
};

/**
 * Delivery status notifications (RFC 3464) for what the scheduler reports: failures, delay
 * warnings, and success (or "relayed", when the next hop lacked DSN) where NOTIFY asked for it.
 * Each is queued from the null reverse-path before the scheduler records the results, so a crash
 * can repeat a notice but never lose one. A failed message from `<>` is reported to the
 * postmaster (a double bounce); a notice to the postmaster is never reported on.
 */
export function createNotices(options: {
  readonly queue: QueueStore;
  readonly router: Router;
  readonly config: MtaConfig;
  readonly hostname: string;
  readonly clock: () => number;
  readonly logger: {
    info(obj: unknown, msg?: string): void;
    warn(obj: unknown, msg?: string): void;
  };
  readonly metrics: Metrics;
}) {
  const { queue, router, config, hostname, clock, logger, metrics } = options;
  let queued: (destination: string) => void = () => undefined;
  const messageId = () => `<${clock().toString(36)}.${randomBytes(8).toString('hex')}@${hostname}>`;

  const enqueue = async (
    built: BuiltDsn,
    about: { id: string; kind: string },
    attrs: Record<string, string>,
  ): Promise<void> => {
    let path: ForwardPath;
    try {
      path = parseForwardPath(`<${built.recipient}>`, { smtputf8: true });
    } catch {
      logger.warn({ queueId: about.id, to: built.recipient }, 'notice not sent: bad address');
      return;
    }
    const routes = router.route(path);
    if (routes === undefined || routes.length === 0) {
      logger.warn({ queueId: about.id, to: built.recipient }, 'notice not sent: no route');
      return;
    }
    const envelope: MessageEnvelope = {
      sender: '',
      recipients: routes.map((route) => ({
        address: route.address,
        destination: destinationOf(route, config),
      })),
      receivedAt: clock(),
      smtputf8: built.smtputf8,
      body: built.body,
      attrs: { notice: about.kind, about: about.id, ...attrs },
    };
    const id = await queue.enqueue(envelope, built.message);
    metrics.notices.inc({ kind: about.kind });
    logger.info(
      { queueId: id, about: about.id, kind: about.kind, to: built.recipient },
      'notice queued',
    );
    for (const r of envelope.recipients) queued(r.destination);
  };

  return {
    /** Called when a notice was queued (wake the scheduler for its destination). */
    onQueued(callback: (destination: string) => void): void {
      queued = callback;
    },
    async notify(notice: QueueNotice): Promise<void> {
      const env = notice.lease.envelope;
      if (env.attrs?.['notice'] === DOUBLE_BOUNCE) {
        logger.warn(
          { queueId: notice.lease.id, kind: notice.kind },
          'notice to the postmaster not delivered; dropped',
        );
        return;
      }
      const action = ACTION[notice.kind];
      const recipients: DsnRecipient[] = notice.recipients.map(({ recipient, result }) => ({
        ...recipient,
        action: result.action ?? action,
        ...(result.reply === undefined ? {} : { reply: result.reply }),
        lastAttemptAt: clock(),
        ...(notice.kind === 'delayed'
          ? {
              willRetryUntil:
                env.receivedAt +
                (env.sender === '' ? config.retry.bounceLifetime : config.retry.maxLifetime),
            }
          : {}),
      }));
      const plan = planNotification(action, env, recipients);
      if (plan.send === 'none') return;
      const common = {
        reportingMta: hostname,
        envelope: env,
        recipients: plan.recipients,
        now: clock(),
        messageId,
        original: await readOriginal(queue, notice.lease.id),
      };
      const postmaster = `postmaster@${config.localDomains[0] ?? 'localhost'}`;
      const built =
        plan.send === 'double-bounce'
          ? buildDoubleBounce({ ...common, postmaster })
          : buildDsn(common);
      await enqueue(
        built,
        { id: notice.lease.id, kind: plan.send === 'double-bounce' ? DOUBLE_BOUNCE : notice.kind },
        {},
      );
    },
  };
}
