import { join, resolve } from 'node:path';
import type { QueueStore } from '@smtpkit/queue';
import { openSpool } from '@smtpkit/queue/node';
import { openPostgresQueue } from '@smtpkit/queue-postgres/node';
import type { MtaConfig } from '../config/config-schema.js';

/** Where the queue lives: the configuration's `queue`, a spool directory or a postgres:// URL. */
export type QueueLocation =
  | { readonly kind: 'spool'; readonly dir: string }
  | { readonly kind: 'postgres'; readonly url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * The queue of a configuration: `queue: postgres://…` is a database shared by every node that
 * names it; anything else is a spool directory (default `DATA_DIR/spool`), this node's alone.
 *
 * @example
 * ```ts
 * queueLocation({ ...config, queue: 'postgres://mta@db/mail' }); // { kind: 'postgres', url: … }
 * ```
 */
export function queueLocation(config: Pick<MtaConfig, 'queue' | 'dataDir'>): QueueLocation {
  if (config.queue !== undefined && POSTGRES_URL.test(config.queue))
    return { kind: 'postgres', url: config.queue };
  return { kind: 'spool', dir: resolve(config.queue ?? join(resolve(config.dataDir), 'spool')) };
}

/** A location for logs and errors: a URL without its password. */
export function describeQueue(location: QueueLocation): string {
  if (location.kind === 'spool') return location.dir;
  try {
    const url = new URL(location.url);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Options of {@link openQueue}. */
export interface OpenQueueOptions {
  /** `owner`: the MTA works the queue; `admin`: the queue CLI acts on it. */
  readonly role: 'owner' | 'admin';
  /** fsync the spool (a database always commits durably). */
  readonly fsync?: boolean;
  /** Errors with nowhere else to go (a database connection the server closed). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Opens the queue of the configuration: the filesystem spool (its owner, or an admin that goes
 * through the owner's control socket) or the PostgreSQL queue, where every node and the CLI act
 * on the database directly.
 *
 * @example
 * ```ts
 * const queue = await openQueue(config, { role: 'admin' });
 * for await (const m of queue.list()) console.log(m.id);
 * ```
 */
export async function openQueue(
  config: Pick<MtaConfig, 'queue' | 'dataDir'>,
  options: OpenQueueOptions,
): Promise<QueueStore> {
  const location = queueLocation(config);
  if (location.kind === 'postgres')
    return openPostgresQueue({
      url: location.url,
      applicationName: options.role === 'owner' ? 'smtpkit-mta' : 'smtpkit-mta-cli',
      poolSize: options.role === 'owner' ? 10 : 2,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  return openSpool({
    dir: location.dir,
    role: options.role,
    ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
  });
}
