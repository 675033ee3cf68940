import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueError } from '../queue-error.js';
import type { QueueStore } from '../queue-store.js';
import { ControlClient, connectControl } from './control-client.js';
import { CONTROL_SOCKET } from './control-server.js';
import { spoolOwner } from './spool-lock.js';
import { LocalSpool } from './spool-store.js';

/** Options of {@link openSpool}. */
export interface SpoolOptions {
  /** The spool directory (created if missing). Its permissions guard the queue and its socket. */
  readonly dir: string;
  /**
   * fdatasync the journal before an enqueue or a settle resolves (default true). Off, a crash of
   * the machine (not of the process) may lose acknowledged messages: for tests only.
   */
  readonly fsync?: boolean;
  /**
   * `owner` (default): this process works the queue: it takes the lock (`owner.pid`), replays the
   * journal and serves admin requests on `control.sock`. `admin`: this process administers it:
   * through the owner's socket when an owner runs, else by opening the spool itself (without
   * serving).
   */
  readonly role?: 'owner' | 'admin';
  /** A segment file is closed and the next one begun past this size (default 64 MiB). */
  readonly segmentBytes?: number;
  /** A message's bytes are journaled in records of about this size (default 256 KiB). */
  readonly chunkBytes?: number;
  /** How long to wait for another process holding the spool (default 5000 ms). */
  readonly lockWaitMs?: number;
  /** Serve admin requests on `control.sock` (owner only; default true). */
  readonly control?: boolean;
}

/** The spool as its owner holds it: the contract, and counters of its journal. */
export type Spool = LocalSpool;

function tuning(options: SpoolOptions) {
  const positive = (name: string, v: number | undefined, fallback: number) => {
    const value = v ?? fallback;
    if (!Number.isFinite(value) || value < 0)
      throw new QueueError('ERR_QUEUE_MISUSE_OPTION', `${name} must be a number >= 0`);
    return value;
  };
  return {
    fsync: options.fsync ?? true,
    segmentBytes: positive('segmentBytes', options.segmentBytes, 64 * 1024 * 1024),
    chunkBytes: Math.max(1, positive('chunkBytes', options.chunkBytes, 256 * 1024)),
    lockWaitMs: positive('lockWaitMs', options.lockWaitMs, 5000),
  };
}

/**
 * Opens the filesystem spool in `dir`: a journal of segment files written with group commit
 * (concurrent enqueues and settles share one gathered write and one fdatasync), replayed once at
 * open into an in-memory index of due work. An enqueue resolves once its message is on disk; a
 * torn record at the end of a segment is ignored at recovery. See the README for the format and
 * the durability argument.
 *
 * @example
 * ```ts
 * import { openSpool } from '@smtpkit/queue/node';
 * const spool = await openSpool({ dir: '/var/spool/smtpkit' });
 * const id = await spool.enqueue(envelope, messageBytes); // now answer 250
 * // from another process, while it runs:
 * const admin = await openSpool({ dir: '/var/spool/smtpkit', role: 'admin' });
 * for await (const m of admin.list()) console.log(m.id, m.recipients.length);
 * ```
 */
export async function openSpool(
  options: SpoolOptions & { readonly role?: 'owner' },
): Promise<Spool>;
export async function openSpool(options: SpoolOptions): Promise<QueueStore>;
export async function openSpool(options: SpoolOptions): Promise<QueueStore> {
  const t = tuning(options);
  if (options.role === undefined || options.role === 'owner')
    return LocalSpool.open(options.dir, t, options.control ?? true);
  if (options.role !== 'admin')
    throw new QueueError('ERR_QUEUE_MISUSE_OPTION', `unknown role ${String(options.role)}`);
  const deadline = performance.now() + t.lockWaitMs;
  for (;;) {
    const owner = await spoolOwner(options.dir);
    if (owner === undefined) return LocalSpool.open(options.dir, t, false);
    try {
      return new ControlClient(await connectControl(join(options.dir, CONTROL_SOCKET)));
    } catch (error) {
      // The owner may still be replaying its journal, or just died: look again.
      if (performance.now() >= deadline)
        throw new QueueError(
          'ERR_QUEUE_CONTROL',
          `the spool owner (process ${owner}) does not answer on ${CONTROL_SOCKET}`,
          { cause: error },
        );
      await sleep(50);
    }
  }
}
