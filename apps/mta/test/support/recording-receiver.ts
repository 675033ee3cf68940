// The next hop of the crash-safety test: an @smtpkit/server in the test process that the MTA
// relays to. It outlives the MTA's crashes and records every message it answered 250 to, one
// entry per envelope recipient, checked on arrival (bodies are not kept: the load is large).
import { formatMailbox } from '@smtpkit/address';
import { defaultExtensions } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { createServer, ReplyException } from '@smtpkit/server';
import { type CopyCheck, checkCrashCopy } from './crash-message.js';

/** One delivered copy of a message for one recipient. */
export interface DeliveredCopy {
  readonly recipient: string;
  readonly check: CopyCheck;
  /** Where it landed: the relay receiver or a Maildir file (its name). */
  readonly where: string;
  /** When it was committed (ms since the epoch): before the 250, before the rename. */
  readonly at: number;
}

/** A running recording receiver. */
export interface RecordingReceiver {
  readonly port: number;
  /** Every copy answered 250, in arrival order. */
  readonly copies: readonly DeliveredCopy[];
  /** Transactions cut before the end of data (the MTA died while sending). */
  readonly cut: number;
  /** Recipients answered 451 (greylisted) at RCPT. */
  readonly deferred: number;
  close(): Promise<void>;
}

/**
 * Starts the receiver on `127.0.0.1:port` (0: any free port). When `greylist()` says so, a RCPT
 * is answered 451 4.7.1, so a message with two recipients is delivered to one now and to the
 * other at a later attempt (per-recipient state in the queue, across crashes).
 *
 * @example
 * ```ts
 * const receiver = await startRecordingReceiver(0);
 * // ... the MTA relays to 127.0.0.1:receiver.port ...
 * receiver.copies.filter((c) => c.check.kind === 'intact').length;
 * await receiver.close();
 * ```
 */
export async function startRecordingReceiver(
  port: number,
  greylist: () => boolean = () => false,
): Promise<RecordingReceiver> {
  const copies: DeliveredCopy[] = [];
  let cut = 0;
  let deferred = 0;
  const server = createServer({
    hostname: 'relay.crash.test',
    extensions: defaultExtensions({ size: { max: 10 * 1024 * 1024 } }),
    limits: { connections: 1000, connectionsPerIp: 1000 },
    hooks: {
      rcpt: async () => {
        if (greylist()) {
          deferred += 1;
          throw new ReplyException(replies.R451_4_7_1_Greylisted);
        }
      },
      data: async (ctx, message) => {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of message.stream) chunks.push(chunk as Buffer);
        } catch (e) {
          cut += 1;
          throw e;
        }
        // The server's rule for a data hook: commit only while the client can still hear the 250
        // (a client that went away resends, so committing then would be our own duplicate).
        if (ctx.signal.aborted) {
          cut += 1;
          throw new Error(`not stored: ${String(ctx.signal.reason)}`);
        }
        const check = checkCrashCopy(Buffer.concat(chunks));
        const at = Date.now();
        for (const r of message.envelope.recipients) {
          const recipient =
            r.forwardPath.kind === 'postmaster'
              ? 'postmaster'
              : formatMailbox(r.forwardPath.mailbox, 'unicode').toLowerCase();
          copies.push({ recipient, check, where: 'relay', at });
        }
      },
    },
  });
  const bound = await server.listen({ host: '127.0.0.1', port });
  return {
    port: bound.port,
    copies,
    get cut() {
      return cut;
    },
    get deferred() {
      return deferred;
    },
    close: () => server.close({ graceful: false, timeoutMs: 2000 }),
  };
}
