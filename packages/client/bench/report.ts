// The client benchmark's tables: rate and sender CPU per message (medians with the spread of the
// runs), then each of our senders held to the goals.
import { configs, describePlacement, placementFor } from './load-configs.js';
import type { SenderEntry } from './senders.js';

/** Interleaved runs per row and sender; the tables give their medians. */
export const RUNS = 5;

/** What the runs of one sender in one row measured. */
export interface Cell {
  readonly rates: readonly number[];
  readonly cpuMsPerMessage: readonly number[];
  /** Messages per run. */
  readonly messages: number;
}

/** Cells by row name, then by sender name. */
export type Results = Map<string, Map<string, Cell>>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 1 ? n.toFixed(2) : n.toFixed(3));
const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** "median (min–max)" of a cell's values. */
function spread(values: readonly number[], fmt: (n: number) => string): string {
  if (values.length === 0) return '-';
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
}

function table(
  title: string,
  results: Results,
  names: readonly string[],
  entries: readonly SenderEntry[],
  value: (c: Cell) => string,
): void {
  console.log(`\n${title}\n`);
  const header = ['load', 'where it ran', ...names];
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const config of configs) {
    const row = results.get(config.name);
    console.log(
      line([
        config.name,
        describePlacement(placementFor(config)),
        ...names.map((n) => {
          const entry = entries.find((e) => e.name === n);
          if (entry !== undefined && !entry.applies(config)) return '= connect()';
          const c = row?.get(n);
          return c === undefined || c.rates.length === 0 ? '-' : value(c);
        }),
      ]),
    );
  }
}

export function report(results: Results, entries: readonly SenderEntry[]): void {
  const names = entries.map((e) => e.name);
  console.log(
    `\n## @smtpkit/client benchmark: median of ${RUNS} interleaved runs (min–max), loopback, receiver Postfix smtp-sink`,
  );
  table('### messages per second', results, names, entries, (c) => spread(c.rates, int));
  table(
    '### sender CPU ms per message (the sending process, from /proc)',
    results,
    names,
    entries,
    (c) => spread(c.cpuMsPerMessage, ms),
  );
  console.log('\nmessages per run (each sender sized to about the same time):\n');
  console.log(line(['load', ...names]));
  console.log(line(['---', ...names.map(() => '---')]));
  for (const config of configs) {
    const row = results.get(config.name);
    console.log(
      line([
        config.name,
        ...names.map((n) => {
          const c = row?.get(n);
          return c === undefined ? '-' : int(c.messages);
        }),
      ]),
    );
  }
  console.log('\nsenders:');
  for (const e of entries) console.log(`- ${e.name}: ${e.legend}`);
  goals(results, entries);
}

/**
 * The goals for each of our senders in every row: at least 2× nodemailer's pooled rate,
 * at least ½ of smtp-source's (the faster of its two modes: with -d it keeps its connections, as
 * our senders do), and the aim: smtp-source's rate itself.
 */
function goals(results: Results, entries: readonly SenderEntry[]): void {
  const ours = entries.filter((e) => e.ours);
  console.log(
    '\n### goals: rate ratios (≥ 2× nodemailer pool; ≥ ½ smtp-source, the faster of -d and per-connection; aim 1×)\n',
  );
  const header = ['load', ...ours.map((e) => e.name)];
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  const tally = new Map<string, { twice: number; half: number; equal: number; rows: number }>();
  for (const config of configs) {
    const row = results.get(config.name);
    const rate = (n: string): number | undefined => {
      const c = row?.get(n);
      return c === undefined || c.rates.length === 0 ? undefined : median(c.rates);
    };
    const pool = rate('nodemailer pool');
    const sources = [rate('smtp-source -d'), rate('smtp-source')].filter(
      (r): r is number => r !== undefined,
    );
    const source = sources.length === 0 ? undefined : Math.max(...sources);
    const cells = ours.map((e) => {
      const mine = e.applies(config) ? rate(e.name) : undefined;
      if (mine === undefined) return e.applies(config) ? '-' : '= connect()';
      const t = tally.get(e.name) ?? { twice: 0, half: 0, equal: 0, rows: 0 };
      t.rows++;
      const parts: string[] = [];
      if (pool !== undefined) {
        const ok = mine >= 2 * pool;
        if (ok) t.twice++;
        parts.push(`${(mine / pool).toFixed(2)}× nodemailer pool ${ok ? '(met)' : '(NOT met)'}`);
      }
      if (source !== undefined) {
        const ok = mine >= 0.5 * source;
        if (ok) t.half++;
        if (mine >= source) t.equal++;
        parts.push(
          `${(mine / source).toFixed(2)}× smtp-source ${ok ? (mine >= source ? '(met, aim reached)' : '(met)') : '(NOT met)'}`,
        );
      }
      tally.set(e.name, t);
      return parts.join('; ');
    });
    console.log(line([config.name, ...cells]));
  }
  console.log('');
  for (const e of ours) {
    const t = tally.get(e.name);
    if (t === undefined) continue;
    console.log(
      `${e.name}: ≥ 2× nodemailer pool in ${t.twice}/${t.rows} rows, ≥ ½ smtp-source in ${t.half}/${t.rows}, ≥ smtp-source in ${t.equal}/${t.rows}`,
    );
  }
}
