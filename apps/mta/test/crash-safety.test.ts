// Crash safety (issue 13): under load, kill -9 the MTA at random moments and restart it; every
// message that got a 250 must be delivered to each of its recipients, no copy may be truncated or
// corrupted, a message cut in the middle of its data must never be delivered, and duplicates may
// come only from the window every MTA has (a crash between the next hop's 250, or the Maildir
// rename, and the queue's record of it): they are counted, printed, and bounded by the deliveries
// that can be in flight at a kill.
//
// Half the recipients are local (a catch-all Maildir, fsync on, the default) and half are relayed
// to a receiver in this process that outlives the crashes and greylists one RCPT in ten (so the
// queue keeps per-recipient state across crashes: one recipient delivered, the other deferred). Seeds are fixed and printed; replay one
// with CRASH_SEED=N (and CRASH_ROUNDS=K, CRASH_BUDGET_MS=T for a longer soak)
// `npx vitest run test/crash-safety.test.ts`.
import { join } from 'node:path';
import { freePort } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openMidData, pickRecipients, startCrashLoad } from './support/crash-load.js';
import { makeCrashMessage } from './support/crash-message.js';
import { explain, summaryLine } from './support/crash-report.js';
import { tallyDeliveries } from './support/delivery-tally.js';
import { createMaildirScanner } from './support/maildir-scanner.js';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';
import { killDuringStart, restartMta } from './support/mta-restarts.js';
import { type RecordingReceiver, startRecordingReceiver } from './support/recording-receiver.js';
import { seededRandom } from './support/seeded-random.js';

const SEEDS =
  process.env['CRASH_SEED'] === undefined
    ? [1301, 4242, 90210]
    : [Number(process.env['CRASH_SEED'])];
/** Kill rounds per seed (a round may kill twice: under load or in shutdown, then in start-up). */
const ROUNDS = Number(process.env['CRASH_ROUNDS'] ?? 8);
/** Concurrent senders. */
const SENDERS = 10;
/** Deliveries at once (the scheduler's total and the relay pool): at most this many in flight. */
const DELIVERY_CONCURRENCY = 10;
/** At most this many recipients in one lease (a message has one or two). */
const RECIPIENTS_PER_LEASE = 2;
/** Relayed recipients answered 451 (greylisting) at RCPT: delivered at a later attempt. */
const GREYLIST_RATE = 0.1;
/** The kill rounds stop early past this (the machine may be slow); the load runs as long. */
const ROUNDS_BUDGET_MS = Number(process.env['CRASH_BUDGET_MS'] ?? 20_000);
/** Bound on the wait for every acknowledged message to arrive and the queue to empty. */
const DRAIN_MS = 90_000;
/**
 * The first copy of a duplicate must precede a kill by at most this: the time a delivery takes
 * from the next hop's 250 (or the Maildir file's last write) to the queue's synced record of it,
 * generous for a loaded machine. A longer gap means the queue forgot a settled delivery.
 */
const DUPLICATE_WINDOW_MS = 5000;
const LOCAL = 'local.test';
const REMOTE = 'remote.test';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `smtpkit_queue_messages` from the metrics endpoint, or undefined when it does not answer. */
async function queuedMessages(port: number): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      signal: AbortSignal.timeout(5000),
    });
    const m = /^smtpkit_queue_messages (\d+)/m.exec(await res.text());
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

let receiver: RecordingReceiver | undefined;
let mta: MtaProcess | undefined;
afterEach(async () => {
  await mta?.kill();
  await mta?.remove();
  await receiver?.close();
  mta = undefined;
  receiver = undefined;
});

describe.each(SEEDS)('crash safety under load, seed %i', (seed) => {
  it('kill -9 at random moments: every 250 delivered intact, nothing cut mid-DATA delivered, duplicates counted and bounded', async () => {
    const started = Date.now();
    const rng = seededRandom(seed);
    const greylist = rng.fork(3);
    receiver = await startRecordingReceiver(0, () => greylist.next() < GREYLIST_RATE);
    const mxPort = await freePort();
    const metricsPort = await freePort();
    mta = await startMtaProcess({
      timeoutMs: 30_000,
      config: {
        listen: { mx: [`127.0.0.1:${mxPort}`], submission: [], submissions: [] },
        metrics: `127.0.0.1:${metricsPort}`,
        localDomains: [LOCAL],
        catchAll: true,
        delivery: {
          relay: `127.0.0.1:${receiver.port}`,
          tls: 'none',
          relayConnections: DELIVERY_CONCURRENCY,
        },
        concurrency: { total: DELIVERY_CONCURRENCY, perDestination: DELIVERY_CONCURRENCY },
        retry: { minBackoff: '1s', maxBackoff: '2s', pollInterval: 200 },
        log: { level: 'info' },
      },
    });
    const runs: MtaProcess[] = [mta];
    const maildir = createMaildirScanner(join(mta.dir, 'mail', 'catch-all'));
    const prefix = `s${seed}`;
    const load = startCrashLoad({
      port: mxPort,
      senders: SENDERS,
      rng: rng.fork(1),
      idPrefix: prefix,
      localDomain: LOCAL,
      remoteDomain: REMOTE,
      minSize: 1024,
      maxSize: 200 * 1024,
    });

    // The rounds: a random moment, a message left in the middle of its data, then kill -9 of the
    // MTA under load, or in the middle of its graceful shutdown; sometimes a second kill -9 while
    // the next start replays the spool; then a restart.
    const probeRng = rng.fork(2);
    const probes = new Map<string, readonly string[]>();
    const killTimes: number[] = [];
    const kinds = { load: 0, shutdown: 0, startup: 0 };
    const selfExits: string[] = [];
    let rounds = 0;
    let restartMs = 0;
    try {
      for (; rounds < ROUNDS && Date.now() - started < ROUNDS_BUDGET_MS; ) {
        rounds += 1;
        await pause(rng.int(50, 800));
        const recipients = pickRecipients(probeRng, LOCAL, REMOTE);
        const probe = makeCrashMessage(
          probeRng,
          `${prefix}-probe-${rounds}`,
          recipients,
          150 * 1024,
        );
        const client = await openMidData(mxPort, probe, 0.2 + 0.7 * probeRng.next());
        if (client !== undefined) {
          probes.set(probe.id, recipients);
          await pause(probeRng.int(0, 40)); // let the MTA take some of it into the queue
        }
        const kind = rng.next();
        if (kind < 0.25) {
          // SIGTERM, then SIGKILL while it closes listeners and finishes sessions and deliveries.
          kinds.shutdown += 1;
          const stopping = mta.stop();
          await pause(rng.int(0, 300));
          killTimes.push(Date.now());
          await mta.kill();
          await stopping;
        } else {
          kinds.load += 1;
          killTimes.push(Date.now());
          await mta.kill();
        }
        client?.destroy();
        await maildir.scan(); // what a reader sees right after the crash
        if (rng.next() < 0.3) {
          kinds.startup += 1;
          const early = await killDuringStart(mta, rng.int(0, 1500));
          killTimes.push(early.killedAt);
          if (early.exit !== undefined && !early.exit.rebuilding) {
            selfExits.push(`round ${rounds}: exit ${early.exit.code}`);
          }
        }
        const restarting = Date.now();
        mta = await restartMta(mta);
        restartMs += Date.now() - restarting;
        runs.push(mta);
      }
    } finally {
      await load.stop();
    }

    // Drain: every acknowledged message arrives and the queue empties (bounded). Once the queue
    // has stayed empty a while nothing more can come: a message still missing then is lost.
    const drainStart = Date.now();
    let queued: number | undefined;
    let emptySince: number | undefined;
    for (;;) {
      await maildir.scan();
      const tally = tallyDeliveries({
        acknowledged: load.acknowledged,
        sent: load.sent,
        probes,
        copies: [...receiver.copies, ...maildir.copies],
        kills: killTimes,
      });
      queued = await queuedMessages(metricsPort);
      emptySince = queued === 0 ? (emptySince ?? Date.now()) : undefined;
      if (queued === 0 && (tally.missing.length === 0 || Date.now() - (emptySince ?? 0) > 3000)) {
        break;
      }
      if (Date.now() - drainStart > DRAIN_MS) break;
      await pause(250);
    }
    const drainMs = Date.now() - drainStart;
    expect(await mta.stop()).toBe(0);
    await maildir.scan();
    const tally = tallyDeliveries({
      acknowledged: load.acknowledged,
      sent: load.sent,
      probes,
      copies: [...receiver.copies, ...maildir.copies],
      kills: killTimes,
    });
    const copies = [...receiver.copies, ...maildir.copies];
    const kills = killTimes.length;
    console.log(
      summaryLine(
        {
          seed,
          rounds,
          kills: kinds,
          relayed: receiver.copies.length,
          greylisted: receiver.deferred,
          maildir: maildir.copies.length,
          unacknowledged: load.unacknowledged,
          probes: probes.size,
          tmpLeftovers: await maildir.tmpFiles(),
          restartAvgMs: Math.round(restartMs / Math.max(rounds, 1)),
          queueLeft: queued,
          drainMs,
          elapsedMs: Date.now() - started,
        },
        tally,
      ),
    );
    if (tally.duplicates > 0) {
      console.log(`crash safety seed=${seed}: duplicates ${tally.duplicateList.join(', ')}`);
    }
    const suspicious = [
      ...tally.missing.slice(0, 10),
      ...tally.probesDelivered.slice(0, 10),
      ...tally.duplicateList.filter((d) => /kill (\d{4,}|Infinity) ms/.test(d)).slice(0, 10),
    ];
    if (suspicious.length > 0 || process.env['CRASH_DEBUG'] !== undefined) {
      console.log(
        `crash safety seed=${seed}: kills at ${killTimes.join(', ')}\n` +
          explain(suspicious, load.queueIds, copies, runs),
      );
    }

    expect(rounds).toBeGreaterThanOrEqual(Math.min(ROUNDS, 3));
    expect(selfExits, 'a start killed early exited on its own first').toEqual([]);
    expect(tally.acknowledged).toBeGreaterThan(kills);
    expect(probes.size).toBeGreaterThan(0);
    expect(tally.missing, 'acknowledged and never delivered').toEqual([]);
    expect(tally.damaged, 'delivered truncated or changed').toEqual([]);
    expect(tally.foreign, 'copies without an id (a bounce, or cut inside the header)').toEqual([]);
    expect(tally.strays, 'copies nobody sent').toEqual([]);
    expect(tally.probesDelivered, 'cut mid-DATA, no 250, yet delivered').toEqual([]);
    // The window of every MTA: at most the deliveries in flight at each kill.
    expect(tally.duplicates).toBeLessThanOrEqual(
      kills * DELIVERY_CONCURRENCY * RECIPIENTS_PER_LEASE,
    );
    expect(tally.duplicateWindowMs).toBeLessThanOrEqual(DUPLICATE_WINDOW_MS);
    expect(queued).toBe(0);
  }, 200_000);
});
