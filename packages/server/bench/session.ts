// Sans-IO ServerSession micro-benchmarks (tinybench): one whole SMTP transaction through the
// session, with and without hooks, and the DATA body path alone. No sockets: this is the CPU
// the protocol core costs per message. Run: `node --import tsx bench/session.ts`
// (also run by `pnpm bench` unless SMTPKIT_BENCH_MICRO=0).
import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
import { Bench } from 'tinybench';
import { ServerSession, type ServerSessionOptions, type SessionEvent } from '../src/index.js';

const enc = new TextEncoder();
const body = `Subject: bench\r\n\r\n${`${'x'.repeat(76)}\r\n`.repeat(13)}`;
const transaction = enc.encode(
  `MAIL FROM:<sender@example.org> SIZE=1200\r\nRCPT TO:<rcpt@example.com>\r\nDATA\r\n${body}.\r\n`,
);
const ehlo = enc.encode('EHLO client.example\r\n');
const big = enc.encode(`${`${'y'.repeat(998)}\r\n`.repeat(100)}`);

const registry = createRegistry(defaultExtensions({ size: { max: 10_000_000 } }));
const plain: ServerSessionOptions = { hostname: 'mx.example', registry };
const hooked: ServerSessionOptions = {
  hostname: 'mx.example',
  registry,
  hooks: ['mail', 'rcpt', 'data'],
};

function answerAll(s: ServerSession, events: SessionEvent[]): void {
  for (const e of events) {
    if (e.type === 'ask') answerAll(s, s.decide(e.id, { kind: 'resolved' }));
  }
}

export async function runSessionBench(): Promise<void> {
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  const s1 = new ServerSession(plain);
  s1.start();
  s1.receive(ehlo);
  const s2 = new ServerSession(hooked);
  s2.start();
  s2.receive(ehlo);
  bench
    .add('session: MAIL/RCPT/DATA 1 KB, no hooks', () => {
      s1.receive(transaction);
    })
    .add('session: MAIL/RCPT/DATA 1 KB, mail/rcpt/data hooks answered', () => {
      answerAll(s2, s2.receive(transaction));
    })
    .add('session: new connection (banner + EHLO)', () => {
      const s = new ServerSession(plain);
      s.start();
      s.receive(ehlo);
    });
  const s3 = new ServerSession(plain);
  s3.start();
  s3.receive(ehlo);
  bench.add('session: 100 KB DATA body, 100 lines of 1000 octets', () => {
    s3.receive(enc.encode('MAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nDATA\r\n'));
    s3.receive(big);
    s3.receive(enc.encode('.\r\n'));
  });
  await bench.run();
  console.log('\nServerSession (sans-IO), median latency per operation');
  console.table(
    bench.tasks.map((t) => {
      const r = t.result as
        | { latency?: { p50?: number }; throughput?: { p50?: number } }
        | undefined;
      return {
        task: t.name,
        'median µs': ((r?.latency?.p50 ?? Number.NaN) * 1000).toFixed(2),
        'median ops/s': Math.round(r?.throughput?.p50 ?? Number.NaN),
      };
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runSessionBench();
