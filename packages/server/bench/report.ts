// The benchmark's tables: the medians, then each smtpkit server (and the node:net floor) held to
// the goals of the server issue.
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

/** Interleaved runs per configuration and server; the tables give their medians. */
export const RUNS = 5;
export const IDLE_CONNECTIONS = 1000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const fmtRatio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !(b > 0) ? '-' : `${(a / b).toFixed(2)}×`;

export function report(results: Map<string, ServerResults>): void {
  const names = [...results.keys()];
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
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
          const c = results.get(n)?.loads.get(config.name);
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
        'compare CPU ms/msg there.',
    );
  }
  // The floor is held to the same goals: where it misses one, no Node server on this machine
  // (same runtime, same kernel path) can be expected to meet it.
  for (const name of ['smtpkit sink', 'smtpkit', 'node:net floor']) {
    const mine = results.get(name);
    if (mine !== undefined) reportGoals(name, mine, results);
  }
}

function reportGoals(name: string, mine: ServerResults, results: Map<string, ServerResults>): void {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  console.log(`\n${name} against the others (rate ratio; CPU/msg ratio) and the goals\n`);
  const others = ['smtp-server', 'Haraka', 'smtp-sink', 'node:net floor'].filter(
    (n) => n !== name && results.has(n),
  );
  console.log(line(['configuration', ...others.map((n) => `vs ${n}`), 'goal']));
  console.log(line(['---', ...others.map(() => '---'), '---']));
  for (const config of configs) {
    const m = mine.loads.get(config.name);
    const get = (n: string): Cell | undefined => results.get(n)?.loads.get(config.name);
    const smtpServer = get('smtp-server');
    const haraka = get('Haraka');
    const sink = get('smtp-sink');
    // Goal (issue): ≥ 2× smtp-server and Haraka in msg/s; or, where the load generator is the
    // limit, within 10% of smtp-sink's rate at ≤ ½ smtp-server's CPU/msg; never below ½ smtp-sink.
    const twice =
      m !== undefined &&
      (smtpServer !== undefined || haraka !== undefined) &&
      (smtpServer === undefined || m.rate >= 2 * smtpServer.rate) &&
      (haraka === undefined || m.rate >= 2 * haraka.rate);
    const nearSink =
      m !== undefined &&
      sink !== undefined &&
      m.rate >= 0.9 * sink.rate &&
      (smtpServer === undefined || m.cpuMsPerMessage <= 0.5 * smtpServer.cpuMsPerMessage);
    const floor = m !== undefined && (sink === undefined || m.rate >= 0.5 * sink.rate);
    const verdict = (twice || nearSink) && floor ? 'met' : 'NOT met';
    console.log(
      line([
        config.name,
        ...others.map(
          (n) =>
            `${fmtRatio(m?.rate, get(n)?.rate)}; ${fmtRatio(m?.cpuMsPerMessage, get(n)?.cpuMsPerMessage)}`,
        ),
        `${verdict} (${twice ? '≥2× both' : nearSink ? '≈smtp-sink at ≤½ CPU' : 'neither'}${floor ? '' : ', below ½ smtp-sink'})`,
      ]),
    );
  }
  const idleOther = results.get('smtp-server')?.idleKb;
  if (idleOther !== undefined) {
    console.log(
      `\nidle memory: ${name} ${mine.idleKb.toFixed(1)} KiB/conn vs smtp-server ${idleOther.toFixed(1)} KiB/conn: ${mine.idleKb < idleOther ? 'met' : 'NOT met'}`,
    );
  }
}
