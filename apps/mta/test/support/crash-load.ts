// The load of the crash-safety test: concurrent SMTP senders that go on through the MTA's
// crashes. A message counts as acknowledged only when its 250 after the data arrived; a refusal,
// a timeout or a reset leaves it unacknowledged (the MTA may still hold it: SMTP tolerates that
// duplicate, the client resending it). Every message has a fresh id, so a delivered copy is
// always traceable to one attempt.
import { dotStuff, RawSmtpClient } from '@smtpkit/testing';
import { type CrashMessage, makeCrashMessage } from './crash-message.js';
import type { SeededRandom } from './seeded-random.js';

/** Options of {@link startCrashLoad}. */
export interface CrashLoadOptions {
  /** The MTA's MX port (kept across restarts). */
  readonly port: number;
  /** Concurrent senders. */
  readonly senders: number;
  readonly rng: SeededRandom;
  /** Prefix of the message ids (`PREFIX-SENDER-N`). */
  readonly idPrefix: string;
  /** Recipients delivered locally are `userN@localDomain`, relayed ones `userN@remoteDomain`. */
  readonly localDomain: string;
  readonly remoteDomain: string;
  /** Message sizes, drawn log-uniform in [min, max] octets. */
  readonly minSize: number;
  readonly maxSize: number;
  /** Bound on every reply (default 20 s). */
  readonly replyTimeoutMs?: number;
}

/** A running load. */
export interface CrashLoad {
  /** Message id → recipients, for every message answered 250 after its data. */
  readonly acknowledged: ReadonlyMap<string, readonly string[]>;
  /** Message id → the queue id in its 250 (`queued as ID`), for reading the MTA's logs. */
  readonly queueIds: ReadonlyMap<string, string>;
  /** Every id whose data was started (acknowledged or not). */
  readonly sent: ReadonlySet<string>;
  /** Transactions that ended without a 250 (refused, timed out, cut). */
  readonly unacknowledged: number;
  /** Stops starting messages and waits for the senders to finish the ones in flight. */
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The recipients of one message, as many local as relayed over the load: one local, one
 * relayed, one of each, two relayed (one lease, per-recipient results) or two local.
 */
export function pickRecipients(
  rng: SeededRandom,
  localDomain: string,
  remoteDomain: string,
): string[] {
  const first = rng.int(1, 4);
  const second = (first % 4) + 1;
  switch (rng.int(0, 4)) {
    case 0:
      return [`user${first}@${localDomain}`];
    case 1:
      return [`user${first}@${remoteDomain}`];
    case 2:
      return [`user${first}@${localDomain}`, `user${first}@${remoteDomain}`];
    case 3:
      return [`user${first}@${remoteDomain}`, `user${second}@${remoteDomain}`];
    default:
      return [`user${first}@${localDomain}`, `user${second}@${localDomain}`];
  }
}

/**
 * Sends one transaction on an open connection: resolves with the text of the 250 after the data,
 * or undefined on any other reply; throws when the connection fails.
 */
async function sendOne(
  client: RawSmtpClient,
  message: CrashMessage,
  timeoutMs: number,
  onData: () => void,
): Promise<string | undefined> {
  const mail = await client.command('MAIL FROM:<loadgen@client.test>', timeoutMs);
  if (mail.code !== 250) return undefined;
  for (const to of message.recipients) {
    const rcpt = await client.command(`RCPT TO:<${to}>`, timeoutMs);
    if (rcpt.code !== 250) {
      await client.command('RSET', timeoutMs);
      return undefined;
    }
  }
  onData();
  const done = await client.data(message.bytes, timeoutMs);
  return done.code === 250 ? done.lines.join(' ') : undefined;
}

/**
 * Starts `senders` loops, each sending messages one after the other on a connection it keeps
 * while it works and opens again (after a short pause) when it fails.
 *
 * @example
 * ```ts
 * const load = startCrashLoad({ port, senders: 10, rng, idPrefix: 's1', localDomain: 'local.test',
 *   remoteDomain: 'remote.test', minSize: 1024, maxSize: 200 * 1024 });
 * await load.stop();
 * load.acknowledged.size;
 * ```
 */
export function startCrashLoad(options: CrashLoadOptions): CrashLoad {
  const timeoutMs = options.replyTimeoutMs ?? 20_000;
  const acknowledged = new Map<string, readonly string[]>();
  const queueIds = new Map<string, string>();
  const sent = new Set<string>();
  let unacknowledged = 0;
  let stopping = false;

  const sender = async (index: number): Promise<void> => {
    const rng = options.rng.fork(index + 1);
    let n = 0;
    while (!stopping) {
      let client: RawSmtpClient | undefined;
      let inFlight = false;
      try {
        client = await RawSmtpClient.greeted(options.port, { timeoutMs });
        while (!stopping) {
          n += 1;
          const id = `${options.idPrefix}-${index}-${String(n).padStart(6, '0')}`;
          const recipients = pickRecipients(rng, options.localDomain, options.remoteDomain);
          const size = rng.logInt(options.minSize, options.maxSize);
          const message = makeCrashMessage(rng, id, recipients, size);
          inFlight = true;
          const accepted = await sendOne(client, message, timeoutMs, () => sent.add(id));
          inFlight = false;
          if (accepted === undefined) {
            unacknowledged += 1;
          } else {
            acknowledged.set(id, recipients);
            const queueId = /queued as (\S+)/.exec(accepted)?.[1];
            if (queueId !== undefined) queueIds.set(id, queueId);
          }
        }
      } catch {
        // Refused, reset or timed out (the MTA was killed): the message in flight, if any, got
        // no 250. Wait a little and connect again.
        if (inFlight) unacknowledged += 1;
        await pause(20 + rng.int(0, 60));
      } finally {
        client?.destroy();
      }
    }
  };

  const running = Array.from({ length: options.senders }, (_, i) => sender(i));
  return {
    acknowledged,
    queueIds,
    sent,
    get unacknowledged() {
      return unacknowledged;
    },
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}

/**
 * Opens a transaction and sends only `fraction` of the message's (dot-stuffed) data, never its
 * end: a message in the middle of DATA. Resolves with the connection once those octets are
 * flushed, or undefined when the MTA did not let the transaction start (the caller then has no
 * probe this round).
 *
 * @example
 * ```ts
 * const probe = await openMidData(port, message, 0.6);
 * await mta.kill(); // the message never got its 250 and must never be delivered
 * ```
 */
export async function openMidData(
  port: number,
  message: CrashMessage,
  fraction: number,
  timeoutMs = 10_000,
): Promise<RawSmtpClient | undefined> {
  let client: RawSmtpClient | undefined;
  try {
    client = await RawSmtpClient.greeted(port, { timeoutMs });
    if ((await client.command('MAIL FROM:<probe@client.test>', timeoutMs)).code !== 250) {
      throw new Error('MAIL refused');
    }
    for (const to of message.recipients) {
      if ((await client.command(`RCPT TO:<${to}>`, timeoutMs)).code !== 250) {
        throw new Error('RCPT refused');
      }
    }
    if ((await client.command('DATA', timeoutMs)).code !== 354) throw new Error('DATA refused');
    const data = dotStuff(message.bytes);
    await client.write(data.subarray(0, Math.floor(data.length * fraction)));
    return client;
  } catch {
    client?.destroy();
    return undefined;
  }
}
