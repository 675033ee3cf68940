import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { EtrnRequest } from '@smtpkit/extensions';
import type { Lease, QueueStore } from '@smtpkit/queue';
import { createScheduler, type JournalStats } from '@smtpkit/queue/node';
import type { SmtpServer } from '@smtpkit/server';
import type { HostPort, MtaConfig } from './config/config-schema.js';
import { createLocalDelivery } from './deliver/local-delivery.js';
import { createRemoteDelivery } from './deliver/remote-delivery.js';
import { loadUsers, verifyPassword } from './local/users-file.js';
import { MtaError } from './mta-error.js';
import { createNotices } from './notices/notices.js';
import { loadOrCreateCertificate } from './ops/certificate.js';
import { createMetrics } from './ops/metrics.js';
import { describeQueue, openQueue, queueLocation } from './queue/open-queue.js';
import { createReceivers, type ReceiverDeps } from './receive/receiver.js';
import { createRouter } from './receive/recipient-router.js';

/** A logger the MTA writes to (pino fits). */
export type MtaLogger = ReceiverDeps['logger'];

/** The bound addresses of a running MTA, in the order of the configuration. */
export interface MtaAddresses {
  readonly mx: readonly HostPort[];
  readonly submission: readonly HostPort[];
  readonly submissions: readonly HostPort[];
  readonly metrics: HostPort | undefined;
}

/** A running MTA. */
export interface Mta {
  readonly addresses: MtaAddresses;
  readonly queue: QueueStore;
  /** Stops accepting, lets sessions and deliveries in flight finish (bounded), closes the queue. */
  close(timeoutMs?: number): Promise<void>;
}

/** Where the state lives: every path of the configuration resolved against the data directory. */
export function statePaths(config: MtaConfig) {
  const dataDir = resolve(config.dataDir);
  return {
    dataDir,
    spool: resolve(config.queue ?? join(dataDir, 'spool')),
    mailboxes: resolve(config.mailboxes ?? join(dataDir, 'mail')),
    users: resolve(config.users ?? join(dataDir, 'users')),
  };
}

/**
 * Starts the MTA: the queue, the receiving servers (MX, submission with STARTTLS, implicit-TLS
 * submission), the scheduler that delivers (Maildir or LMTP for the local domains, the smarthost
 * or MX for the rest) and sends DSNs, and the metrics endpoint.
 *
 * @example
 * ```ts
 * const mta = await startMta(validateConfig({ localDomains: ['example.org'] }), { logger });
 * await mta.close();
 * ```
 */
export async function startMta(
  config: MtaConfig,
  options: { readonly logger: MtaLogger; readonly clock?: () => number },
): Promise<Mta> {
  const { logger } = options;
  const clock = options.clock ?? Date.now;
  const hostname = config.hostname ?? osHostname();
  const paths = statePaths(config);
  const users = await loadUsers(paths.users);
  const router = createRouter({
    localDomains: config.localDomains,
    catchAll: config.catchAll,
    aliases: config.aliases,
    users: new Set([...users.keys()].map((u) => u.toLowerCase())),
  });
  const tls = await loadOrCreateCertificate({
    files: config.tls,
    dataDir: paths.dataDir,
    hostname,
  });
  if (tls.generated)
    logger.info({ dir: join(paths.dataDir, 'tls') }, 'self-signed certificate made');

  let queue: QueueStore;
  try {
    queue = await openQueue(config, {
      role: 'owner',
      fsync: !config.unsafeNoFsync,
      onError: (e) => logger.warn({ error: (e as Error).message }, 'queue connection'),
    });
  } catch (e) {
    const where = describeQueue(queueLocation(config));
    throw new MtaError('ERR_MTA_QUEUE', `queue ${where}: ${(e as Error).message}`, {
      cause: e,
    });
  }

  // What recovery found (the spool): torn records and chunks of messages that never got a 250.
  const recovered = (queue as { journalStats?: () => JournalStats }).journalStats?.();
  const stats = await queue.stats();
  logger.info(
    {
      queue: describeQueue(queueLocation(config)),
      messages: stats.messages,
      pendingRecipients: stats.pendingRecipients,
      ...(recovered === undefined ? {} : { discarded: recovered.discarded }),
    },
    'queue opened',
  );

  let servers: { mx: SmtpServer; submission: SmtpServer } | undefined;
  const metrics = createMetrics({
    queueStats: () => queue.stats(),
    connections: () =>
      servers === undefined ? 0 : servers.mx.connections + servers.submission.connections,
  });
  const local =
    config.lmtp === undefined
      ? createLocalDelivery({
          root: paths.mailboxes,
          catchAll: config.catchAll,
          queue,
          fsync: !config.unsafeNoFsync,
        })
      : createRemoteDelivery({
          config,
          hostname,
          queue,
          via: { host: config.lmtp.host, port: config.lmtp.port, lmtp: true },
        });
  const remote = createRemoteDelivery({
    config,
    hostname,
    queue,
    ...(config.delivery.relay === undefined ? {} : { via: config.delivery.relay }),
  });
  const notices = createNotices({ queue, router, config, hostname, clock, logger, metrics });

  const deliver = async (lease: Lease) => {
    const results =
      lease.destination === 'local' ? await local.deliver(lease) : await remote.deliver(lease);
    for (const r of results) {
      const recipient = lease.envelope.recipients[r.index];
      const about = {
        queueId: lease.id,
        to: recipient?.address,
        destination: lease.destination,
        outcome: r.outcome,
        reply:
          r.reply === undefined
            ? undefined
            : `${r.reply.code} ${r.reply.enhanced ?? ''} ${r.reply.text}`,
        remoteMta: r.reply?.remoteMta,
      };
      if (r.outcome === 'delivered') {
        metrics.deliveries.inc({ destination: lease.destination === 'local' ? 'local' : 'remote' });
        logger.info(about, 'delivered');
      } else if (r.outcome === 'deferred') {
        metrics.deferrals.inc();
        logger.info(about, 'deferred');
      } else {
        metrics.bounces.inc();
        logger.info(about, 'failed');
      }
    }
    return results;
  };

  const scheduler = createScheduler({
    // Settles go through the notices: a failed message from <> gets its double bounce first.
    store: notices.store,
    // Unique per process (a shared queue's leases name their node; a pid is reused).
    owner: `${hostname}:${process.pid}:${randomBytes(3).toString('hex')}`,
    leaseMs: config.retry.leaseTime,
    deliver,
    notify: notices.notify,
    retry: {
      minBackoffMs: config.retry.minBackoff,
      maxBackoffMs: config.retry.maxBackoff,
      maxLifetimeMs: config.retry.maxLifetime,
      bounceLifetimeMs: config.retry.bounceLifetime,
      delayWarningMs: config.retry.delayWarning,
    },
    concurrency: config.concurrency,
    pollMs: config.retry.pollInterval,
    clock,
  });
  notices.onQueued((destination) => scheduler.kick(destination));

  const onEtrn = async (request: EtrnRequest): Promise<number> => {
    const node = request.node.toLowerCase();
    let count = 0;
    if (request.kind === 'subdomains') {
      const destinations = new Set<string>();
      for await (const message of queue.list()) {
        for (const state of message.recipients) {
          const d = message.envelope.recipients[state.index]?.destination;
          if (
            state.status === 'pending' &&
            d !== undefined &&
            (d === node || d.endsWith(`.${node}`))
          ) {
            destinations.add(d);
          }
        }
      }
      for (const destination of destinations) {
        count += await queue.reschedule({ destination }, clock());
        scheduler.kick(destination);
      }
    } else {
      count = await queue.reschedule({ destination: node }, clock());
      scheduler.kick(node);
    }
    logger.info({ etrn: request.node, kind: request.kind, messages: count }, 'etrn');
    return count;
  };

  servers = createReceivers({
    config,
    hostname,
    router,
    queue,
    tls,
    verifyUser: async (name, password) => verifyPassword(password, users.get(name)),
    onQueued: (_id, envelope) => {
      metrics.received.inc({ listener: 'smtp' });
      for (const destination of new Set(envelope.recipients.map((r) => r.destination))) {
        scheduler.kick(destination);
      }
    },
    onEtrn,
    logger,
    clock,
  });

  const addresses = {
    mx: [] as HostPort[],
    submission: [] as HostPort[],
    submissions: [] as HostPort[],
    metrics: undefined as HostPort | undefined,
  };
  try {
    for (const a of config.listen.mx) addresses.mx.push(await servers.mx.listen(a));
    for (const a of config.listen.submission) {
      addresses.submission.push(await servers.submission.listen(a));
    }
    for (const a of config.listen.submissions) {
      addresses.submissions.push(await servers.submission.listen({ ...a, tls: 'implicit' }));
    }
    if (config.metrics !== false) addresses.metrics = await metrics.listen(config.metrics);
  } catch (e) {
    await Promise.all([
      servers.mx.close({ graceful: false, timeoutMs: 1000 }),
      servers.submission.close({ graceful: false, timeoutMs: 1000 }),
      metrics.close(),
    ]).catch(() => undefined);
    await queue.close().catch(() => undefined);
    throw new MtaError('ERR_MTA_LISTEN', `cannot listen: ${(e as Error).message}`, { cause: e });
  }
  scheduler.start();

  const running = servers;
  return {
    addresses,
    queue,
    async close(timeoutMs = 10_000) {
      await Promise.all([
        running.mx.close({ graceful: true, timeoutMs }),
        running.submission.close({ graceful: true, timeoutMs }),
        metrics.close(),
      ]);
      await scheduler.stop(timeoutMs);
      await Promise.all([remote.close(), local.close?.()]);
      await queue.close();
    },
  };
}
