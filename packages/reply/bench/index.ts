/**
 * Benchmarks of the functions a server calls for every reply: building one (with its injection
 * and length checks), writing its lines, and reading an enhanced status. Run with `pnpm bench`.
 * Each case runs for a bounded time; medians are printed.
 */
import { Bench } from 'tinybench';
import {
  createReply,
  describeEnhancedStatus,
  formatReplyLines,
  parseEnhancedStatus,
  replies,
  withText,
} from '../src/index.js';

const bench = new Bench({ time: 1000, warmupTime: 200 });
const handMade = { code: 250, lines: ['first line', 'second line', 'last line'] };
const long = 'x'.repeat(400);

bench
  .add('createReply 550 5.1.1, one line', () => {
    createReply(550, '5.1.1', 'No such user here');
  })
  .add('createReply 250, three lines, object status', () => {
    createReply(250, { class: 2, subject: 0, detail: 0 }, 'first line', 'second line', 'last line');
  })
  .add('createReply 250, one 400-octet line', () => {
    createReply(250, '2.0.0', long);
  })
  .add('withText on a catalogue reply', () => {
    withText(replies.R250_2_0_0_MessageAccepted, 'Ok: queued as 4F2A9C');
  })
  .add('formatReplyLines catalogue reply, enhanced', () => {
    formatReplyLines(replies.R452_4_5_3_TooManyRecipients, { enhanced: true });
  })
  .add('formatReplyLines hand-made reply (checked first)', () => {
    formatReplyLines(handMade, { enhanced: false });
  })
  .add('parseEnhancedStatus "4.7.12"', () => {
    parseEnhancedStatus('4.7.12');
  })
  .add('describeEnhancedStatus "5.1.1"', () => {
    describeEnhancedStatus('5.1.1');
  });

await bench.run();

const rows = bench.tasks.map((t) => {
  const r = t.result as { latency?: { p50?: number }; throughput?: { p50?: number } } | undefined;
  return {
    case: t.name,
    'median ns': r?.latency?.p50 === undefined ? 'n/a' : Math.round(r.latency.p50 * 1e6),
    'median ops/s': r?.throughput?.p50 === undefined ? 'n/a' : Math.round(r.throughput.p50),
  };
});
console.table(rows);
