// Sink benchmarks, bounded in time. Two parts:
//  1. Maildir.deliver of a 10 KiB message (with and without fsync) and discarding, through
//     tinybench: median latency per message.
//  2. End to end: Postfix's smtp-source against `node dist/cli.js` (discarding, and into a
//     Maildir with fsync): messages/s, median of 3 runs of a bounded count.
//
//   pnpm bench     (in apps/sink; needs dist: `pnpm turbo run build --filter=@smtpkit/sink...`)
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, runSmtpSource, smtpSourceSkipReason, startProcess } from '@smtpkit/testing';
import { Bench } from 'tinybench';
import { Maildir } from '../src/maildir.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const message = Buffer.alloc(10 * 1024, 0x61);
const RUNS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function micro(): Promise<void> {
  const dir = await makeTempDir('sink-bench');
  try {
    const synced = await Maildir.open(join(dir.path, 'synced'));
    const unsynced = await Maildir.open(join(dir.path, 'unsynced'), { noSync: true });
    const bench = new Bench({ time: 1500, warmupTime: 200 });
    bench
      .add('Maildir.deliver 10 KiB, fsync', async () => {
        await synced.deliver([message]);
      })
      .add('Maildir.deliver 10 KiB, no fsync', async () => {
        await unsynced.deliver([message]);
      })
      .add('discard 10 KiB (count only)', async () => {
        let n = 0;
        for await (const chunk of [message]) n += chunk.byteLength;
        if (n !== message.length) throw new Error('lost bytes');
      });
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result as { latency?: { p50?: number }; throughput?: { p50?: number } };
      console.log(
        `${task.name}: median ${(r.latency?.p50 ?? Number.NaN).toFixed(3)} ms/msg, ` +
          `${Math.round(r.throughput?.p50 ?? 0)} msg/s`,
      );
    }
  } finally {
    await dir.remove();
  }
}

async function endToEnd(name: string, extra: readonly string[], messages: number): Promise<void> {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = await makeTempDir('sink-bench-e2e');
    const args = ['--listen', '127.0.0.1:0', ...extra.map((a) => a.replace('$DIR', dir.path))];
    const sink = startProcess(process.execPath, [cli, ...args]);
    try {
      const deadline = Date.now() + 10_000;
      let port = 0;
      while (port === 0) {
        const m = /^listening on .*:(\d+)$/m.exec(sink.output().stdout);
        if (m !== null) port = Number(m[1]);
        else if (Date.now() > deadline)
          throw new Error(`sink did not start: ${sink.output().stderr}`);
        else await new Promise((r) => setTimeout(r, 20));
      }
      const r = await runSmtpSource({
        port,
        sessions: 5,
        messages,
        size: 10 * 1024,
        timeoutMs: 60_000,
      });
      rates.push(r.messages / (r.elapsedMs / 1000));
    } finally {
      await sink.stop(5000);
      await dir.remove();
    }
  }
  console.log(
    `smtp-source -s 5 -m ${messages} -l 10240 → sink ${name}: median ${Math.round(median(rates))} msg/s ` +
      `(runs: ${rates.map((r) => Math.round(r)).join(', ')})`,
  );
}

await micro();
const skip = smtpSourceSkipReason();
if (skip !== undefined) console.log(`end-to-end skipped: ${skip}`);
else if (!existsSync(cli)) console.log('end-to-end skipped: build dist/cli.js first');
else {
  await endToEnd('discarding', [], 2000);
  await endToEnd('into a Maildir (fsync)', ['--maildir', '$DIR'], 500);
}
