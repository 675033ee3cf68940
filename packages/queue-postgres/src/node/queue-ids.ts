import { randomBytes } from 'node:crypto';

/**
 * A queue id unique across every node sharing the database, made without asking it: the time in
 * base 36 (ids sort roughly by acceptance) and 64 random bits.
 *
 * @example
 * ```ts
 * newQueueId(); // 'm3k9x2a1b7f0q2z8c4d1e5'
 * ```
 */
export function newQueueId(now: number = Date.now()): string {
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0');
  return `${Math.floor(now).toString(36)}${random}`;
}

/**
 * A name for this process as a lease owner: host, process id and a random suffix, so that two
 * processes never share one, even across restarts that reuse a pid.
 *
 * @example
 * ```ts
 * nodeOwnerId('mx1'); // 'mx1:4242:9f3a1c'
 * ```
 */
export function nodeOwnerId(host: string): string {
  return `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
