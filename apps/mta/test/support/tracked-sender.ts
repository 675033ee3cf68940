// Senders that know exactly which of their messages were acknowledged: one message per
// connection, each to a recipient address of its own, counted as acknowledged only on the 250
// after its data. They go on through the crashes of the node they talk to.
import { RawSmtpClient } from '@smtpkit/testing';

/** A running set of senders. */
export interface TrackedLoad {
  /** Recipient addresses of the messages answered 250 after their data. */
  readonly acknowledged: ReadonlySet<string>;
  /** Transactions that ended otherwise (refused, cut by a crash, timed out). */
  readonly unacknowledged: number;
  /** Replies to the data other than 250, by code and enhanced code (`451 4.3.0`). */
  readonly refusals: ReadonlyMap<string, number>;
  /** Stops starting messages and waits for the ones in flight. */
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `senders` loops per port; `ports()` is read before each message (a node's port is kept
 * across its restarts). Recipients are `TAG-SENDER-N@domain`. Bounded by `maxMessages` each.
 *
 * @example
 * ```ts
 * const load = startTrackedLoad({ ports: () => [2525], senders: 2, tag: 'k', domain: 'relay.example', maxMessages: 500 });
 * await load.stop();
 * ```
 */
export function startTrackedLoad(options: {
  readonly ports: () => readonly number[];
  readonly senders: number;
  readonly tag: string;
  readonly domain: string;
  readonly maxMessages: number;
}): TrackedLoad {
  const acknowledged = new Set<string>();
  const refusals = new Map<string, number>();
  let unacknowledged = 0;
  let running = true;
  const loop = async (sender: number, portIndex: number) => {
    for (let n = 0; running && n < options.maxMessages; n++) {
      const port = options.ports()[portIndex] as number;
      const rcpt = `${options.tag}-${portIndex}x${sender}-${n}@${options.domain}`;
      let client: RawSmtpClient | undefined;
      try {
        client = await RawSmtpClient.greeted(port, { host: '127.0.0.1', timeoutMs: 10_000 });
        if ((await client.command('MAIL FROM:<load@nodes.test>')).code !== 250) throw 0;
        if ((await client.command(`RCPT TO:<${rcpt}>`)).code !== 250) throw 0;
        const reply = await client.data(
          Buffer.from(`Subject: ${rcpt}\r\nMessage-ID: <${rcpt}>\r\n\r\n${'x'.repeat(900)}\r\n`),
        );
        if (reply.code === 250) acknowledged.add(rcpt);
        else {
          const e = reply.enhanced;
          const key =
            e === undefined ? `${reply.code}` : `${reply.code} ${e.class}.${e.subject}.${e.detail}`;
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
          unacknowledged++;
          await pause(100);
        }
        await client.command('QUIT').catch(() => undefined);
      } catch {
        unacknowledged++;
        await pause(100);
      } finally {
        client?.destroy();
      }
    }
  };
  const loops: Promise<void>[] = [];
  for (let p = 0; p < options.ports().length; p++)
    for (let s = 0; s < options.senders; s++) loops.push(loop(s, p));
  return {
    acknowledged,
    get unacknowledged() {
      return unacknowledged;
    },
    refusals,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
