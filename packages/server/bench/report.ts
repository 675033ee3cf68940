// The benchmark's tables: the medians, then each smtpkit server held to the goals of the server
// issue against the node:net floor (same runtime, same kernel path, no parsing), the C sink,
// smtp-server without its greeting wait and Haraka; the library's `for await` hook beside the
// sink; and, with SMTPKIT_BENCH_BASELINE, the sink before and after.
import { configs, describePlacement, placementFor } from './load-configs.js';

/** The median rate and server CPU per message of one server in one configuration. */
export interface Cell {
  readonly rate: number;
  readonly cpuMsPerMessage: number;
  readonly messages: number;
}

/** What the benchmark measured of one server. */
export interface ServerResults {
  readonly loads: Map<string, Cell>;
  idleKb: number;
}

const runsEnv = Number(process.env['SMTPKIT_BENCH_RUNS'] ?? '5');
/** Interleaved runs per configuration and server (SMTPKIT_BENCH_RUNS); the tables give their medians. */
export const RUNS = Number.isInteger(runsEnv) && runsEnv > 0 ? runsEnv : 5;
export const IDLE_CONNECTIONS = 1000;

/** Goals of the server issue, against the floor and the other servers. */
const GOALS = {
  /** CPU per message at most this many times the node:net floor's (aim: 1.1×). */
  cpuOverFloor: 1.3,
  /** Rate at least this many times Haraka's. */
  overHaraka: 2,
  /** Rate above smtp-server's without its greeting wait. */
  overSmtpServer: 1,
  /** The library with a `for await` data hook: CPU per message within this of the sink's. */
  forAwaitOverSink: 1.1,
} as const;

const FLOOR = 'node:net floor';
const NO_WAIT = 'smtp-server no wait';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || !(b > 0) ? undefined : a / b;
const fmtX = (r: number | undefined): string => (r === undefined ? '-' : `${r.toFixed(2)}×`);
const fmtUs = (ms: number | undefined): string =>
  ms === undefined ? '-' : `${(ms * 1000).toFixed(0)} µs`;
const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

export function report(results: Map<string, ServerResults>): void {
  const names = [...results.keys()];
  const get = (name: string, config: string): Cell | undefined =>
    results.get(name)?.loads.get(config);
  console.log(
    `\nmedian of ${RUNS} runs on loopback, load: Postfix smtp-source; cells: msg/s (server CPU ms/msg)\n`,
  );
  const header = ['configuration', 'placement', ...names];
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const config of configs) {
    console.log(
      line([
        config.name,
        describePlacement(placementFor(config)),
        ...names.map((n) => {
          const c = get(n, config.name);
          return c === undefined ? '-' : `${c.rate.toFixed(0)} (${c.cpuMsPerMessage.toFixed(3)})`;
        }),
      ]),
    );
  }
  console.log(
    line([
      `idle memory, ${IDLE_CONNECTIONS} conns (KiB/conn)`,
      'placed by the scheduler',
      ...names.map((n) => (results.get(n)?.idleKb ?? Number.NaN).toFixed(1)),
    ]),
  );
  if (results.has('smtp-server')) {
    console.log(
      '\nnote: smtp-server waits a fixed 100 ms before its greeting (its early-talker check), so with one\n' +
        'message per connection and few sessions its rate is latency-bound (~10 msg/s per session);\n' +
        `"${NO_WAIT}" is the same server with its session started at once.`,
    );
  }
  for (const name of ['smtpkit sink', 'sink baseline', 'smtpkit']) {
    if (results.has(name)) reportGoals(name, get);
  }
  reportForAwait(get);
  reportBeforeAfter(get);
}

/**
 * The table for one smtpkit server: its CPU per message, that over the floor's, and its
 * rate over the floor's, smtp-sink's, smtp-server's without the greeting wait and Haraka's, then
 * the goals: CPU/msg ≤ 1.3× the floor's, rate ≥ 2× Haraka's and above smtp-server's.
 */
function reportGoals(name: string, get: (name: string, config: string) => Cell | undefined): void {
  console.log(`\n${name}: CPU per message against the node:net floor, rate against the others\n`);
  const head = [
    'configuration',
    'CPU/msg',
    '× floor CPU/msg',
    'rate × floor',
    '× smtp-sink',
    `× ${NO_WAIT}`,
    '× Haraka',
    `goals (≤ ${GOALS.cpuOverFloor}× floor CPU, ≥ ${GOALS.overHaraka}× Haraka, > smtp-server)`,
  ];
  console.log(line(head));
  console.log(line(head.map(() => '---')));
  for (const config of configs) {
    const m = get(name, config.name);
    if (m === undefined) continue;
    const cpuX = ratio(m.cpuMsPerMessage, get(FLOOR, config.name)?.cpuMsPerMessage);
    const harakaX = ratio(m.rate, get('Haraka', config.name)?.rate);
    const serverX = ratio(m.rate, get(NO_WAIT, config.name)?.rate);
    const verdicts = [
      cpuX === undefined ? 'floor -' : cpuX <= GOALS.cpuOverFloor ? 'CPU met' : 'CPU NOT met',
      harakaX === undefined
        ? 'Haraka -'
        : harakaX >= GOALS.overHaraka
          ? 'Haraka met'
          : 'Haraka NOT met',
      serverX === undefined
        ? 'smtp-server -'
        : serverX > GOALS.overSmtpServer
          ? 'smtp-server met'
          : 'smtp-server NOT met',
    ];
    console.log(
      line([
        config.name,
        fmtUs(m.cpuMsPerMessage),
        fmtX(cpuX),
        fmtX(ratio(m.rate, get(FLOOR, config.name)?.rate)),
        fmtX(ratio(m.rate, get('smtp-sink', config.name)?.rate)),
        fmtX(serverX),
        fmtX(harakaX),
        verdicts.join(', '),
      ]),
    );
  }
}

/** The library with a `for await` data hook (bench/smtpkit-sink.mjs) beside the sink app. */
function reportForAwait(get: (name: string, config: string) => Cell | undefined): void {
  if (get('smtpkit', configs[0]?.name ?? '') === undefined) return;
  console.log(
    `\nthe library with a for-await data hook ("smtpkit") beside the sink: CPU/msg ratio (goal ≤ ${GOALS.forAwaitOverSink}×)\n`,
  );
  console.log(line(['configuration', 'smtpkit CPU/msg', 'sink CPU/msg', 'ratio', 'goal']));
  console.log(line(['---', '---', '---', '---', '---']));
  for (const config of configs) {
    const lib = get('smtpkit', config.name);
    const sink = get('smtpkit sink', config.name);
    const r = ratio(lib?.cpuMsPerMessage, sink?.cpuMsPerMessage);
    console.log(
      line([
        config.name,
        fmtUs(lib?.cpuMsPerMessage),
        fmtUs(sink?.cpuMsPerMessage),
        fmtX(r),
        r === undefined ? '-' : r <= GOALS.forAwaitOverSink ? 'met' : 'NOT met',
      ]),
    );
  }
}

/** With SMTPKIT_BENCH_BASELINE: the sink of the other checkout ("before") and this one ("after"). */
function reportBeforeAfter(get: (name: string, config: string) => Cell | undefined): void {
  if (get('sink baseline', configs[0]?.name ?? '') === undefined) return;
  console.log('\nthe sink before (SMTPKIT_BENCH_BASELINE) and after, in the same run\n');
  const head = [
    'configuration',
    'CPU/msg before',
    'CPU/msg after',
    'after/before',
    '× floor before',
    '× floor after',
    'rate before',
    'rate after',
  ];
  console.log(line(head));
  console.log(line(head.map(() => '---')));
  for (const config of configs) {
    const before = get('sink baseline', config.name);
    const after = get('smtpkit sink', config.name);
    const floor = get(FLOOR, config.name)?.cpuMsPerMessage;
    console.log(
      line([
        config.name,
        fmtUs(before?.cpuMsPerMessage),
        fmtUs(after?.cpuMsPerMessage),
        fmtX(ratio(after?.cpuMsPerMessage, before?.cpuMsPerMessage)),
        fmtX(ratio(before?.cpuMsPerMessage, floor)),
        fmtX(ratio(after?.cpuMsPerMessage, floor)),
        before === undefined ? '-' : `${before.rate.toFixed(0)} msg/s`,
        after === undefined ? '-' : `${after.rate.toFixed(0)} msg/s`,
      ]),
    );
  }
}
