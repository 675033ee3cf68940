import { mkdir, open, rename } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type { Lease, QueueStore, RecipientResult } from '@smtpkit/queue';
import { localReply } from './stored-reply.js';

/** Local part of `user@domain` (the last `@` splits: a quoted local part may hold one). */
function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

/** The Maildir folder name of a local recipient. */
export function mailboxOf(address: string, catchAll: boolean): string {
  return catchAll ? 'catch-all' : localPartOf(address).toLowerCase();
}

let sequence = 0;

/**
 * Final delivery into Maildir (`MAILBOXES/<user>/new/`): written under `tmp/`, fsynced, renamed
 * into `new/` and the folder fsynced, so a reader never sees a partial message and a crash after
 * the queue's record of it loses nothing. `Return-Path:` (RFC 5321 §4.4: added at final delivery)
 * and `Delivered-To:` go first.
 */
export function createLocalDelivery(options: {
  readonly root: string;
  readonly catchAll: boolean;
  readonly queue: QueueStore;
  readonly fsync: boolean;
}) {
  const host = osHostname().replaceAll('/', '\\057').replaceAll(':', '\\072');
  const ready = new Map<string, Promise<void>>();

  const folder = (mailbox: string): Promise<void> => {
    let made = ready.get(mailbox);
    if (made === undefined) {
      const dir = join(options.root, mailbox);
      made = Promise.all(
        ['tmp', 'new', 'cur'].map((sub) => mkdir(join(dir, sub), { recursive: true })),
      ).then(() => undefined);
      made.catch(() => ready.delete(mailbox));
      ready.set(mailbox, made);
    }
    return made;
  };

  const deliverOne = async (lease: Lease, address: string): Promise<void> => {
    const mailbox = mailboxOf(address, options.catchAll);
    await folder(mailbox);
    const dir = join(options.root, mailbox);
    const now = Date.now();
    sequence += 1;
    const name = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${sequence}.${host}`;
    const tmp = join(dir, 'tmp', name);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      const head = `Return-Path: <${lease.envelope.sender}>\r\nDelivered-To: ${address}\r\n`;
      await handle.write(Buffer.from(head, 'utf8'));
      for await (const chunk of options.queue.read(lease.id)) await handle.write(chunk);
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(dir, 'new', name));
    if (options.fsync) {
      const dirHandle = await open(join(dir, 'new'), 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    }
  };

  return {
    close: undefined as (() => Promise<void>) | undefined,
    async deliver(lease: Lease): Promise<RecipientResult[]> {
      const results: RecipientResult[] = [];
      for (const state of lease.recipients) {
        const recipient = lease.envelope.recipients[state.index];
        if (recipient === undefined) continue;
        try {
          await deliverOne(lease, recipient.address);
          results.push({
            index: state.index,
            outcome: 'delivered',
            reply: localReply(250, '2.0.0', 'delivered to mailbox'),
          });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          const full = code === 'ENOSPC' || code === 'EDQUOT';
          results.push({
            index: state.index,
            outcome: 'deferred',
            reply: localReply(
              451,
              full ? '4.3.1' : '4.3.0',
              `cannot write mailbox: ${(e as Error).message}`,
            ),
          });
        }
      }
      return results;
    },
  };
}
