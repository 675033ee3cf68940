// The MTA benchmark's tables: the (rates accepted and delivered, memory) with medians
// and the spread of the runs, the CPU each system spent per message, the goals, and with a
// baseline build the A/B.
import { describePlacement, type Load, placement } from './loads.js';
import type { RunResult } from './measure-run.js';

/** Runs by load name, then by system name. */
export type Results = Map<string, Map<string, RunResult[]>>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (kb: number): string => (kb / 1024).toFixed(1);
const ms = (n: number): string => n.toFixed(3);
const ratio = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '-');
const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** "median (min–max)" of one measure over a system's runs, or '-'. */
function spread(
  runs: readonly RunResult[] | undefined,
  pick: (r: RunResult) => number,
  fmt: (n: number) => string,
): string {
  if (runs === undefined || runs.length === 0) return '-';
  const values = runs.map(pick);
  if (values.length === 1) return fmt(values[0] as number);
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
}

function med(runs: readonly RunResult[] | undefined, pick: (r: RunResult) => number): number {
  return runs === undefined || runs.length === 0 ? Number.NaN : median(runs.map(pick));
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const row of rows) console.log(line(row));
}

const accepted = (r: RunResult): number => r.acceptedRate;
const delivered = (r: RunResult): number => r.deliveredRate;
const rss = (r: RunResult): number => r.rssKb;
const pss = (r: RunResult): number => r.pssKb;
const cpu = (r: RunResult): number => r.cpuMsPerMessage;

/** Prints every table and the verdicts; returns whether both goals were met in every row. */
export function report(loads: readonly Load[], results: Results): boolean {
  const where = describePlacement(placement);
  console.log(
    '\nmessages per second, median of the runs (min–max); memory: peak during a run, MB\n',
  );
  printTable(
    [
      'configuration',
      'placement',
      'MTA accepted msg/s',
      'MTA delivered msg/s',
      'Postfix accepted',
      'Postfix delivered',
      'delivered ratio',
      'MTA RSS (PSS)',
      'Postfix RSS sum (PSS sum, processes)',
    ],
    loads.map((load) => {
      const row = results.get(load.name);
      const mta = row?.get('MTA');
      const postfix = row?.get('Postfix');
      return [
        load.name,
        where,
        spread(mta, accepted, int),
        spread(mta, delivered, int),
        spread(postfix, accepted, int),
        spread(postfix, delivered, int),
        ratio(med(mta, delivered) / med(postfix, delivered)),
        mta === undefined ? '-' : `${mb(med(mta, rss))} (${mb(med(mta, pss))})`,
        postfix === undefined
          ? '-'
          : `${mb(med(postfix, rss))} (${mb(med(postfix, pss))}, ${med(postfix, (r) => r.processes)})`,
      ];
    }),
  );

  console.log(
    '\nCPU time of the system (its whole process tree) per message, ms, median (min–max)\n',
  );
  printTable(
    ['configuration', 'MTA', 'Postfix', 'MTA / Postfix'],
    loads.map((load) => {
      const row = results.get(load.name);
      return [
        load.name,
        spread(row?.get('MTA'), cpu, ms),
        spread(row?.get('Postfix'), cpu, ms),
        ratio(med(row?.get('MTA'), cpu) / med(row?.get('Postfix'), cpu)),
      ];
    }),
  );

  console.log(
    '\nGoals (issue 13): delivered rate ≥ 2× Postfix with the same durability (fsync before 250),' +
      ' and less memory than Postfix`s processes together (PSS: shared pages counted once)\n',
  );
  let allMet = true;
  for (const load of loads) {
    const row = results.get(load.name);
    const speed = med(row?.get('MTA'), delivered) / med(row?.get('Postfix'), delivered);
    const memory = med(row?.get('MTA'), pss) / med(row?.get('Postfix'), pss);
    const rateMet = speed >= 2;
    const memoryMet = memory < 1;
    allMet &&= rateMet && memoryMet;
    console.log(
      `- ${load.name}: delivered ${ratio(speed)} Postfix's: ${rateMet ? 'met' : 'NOT met'}; ` +
        `memory (PSS) ${ratio(memory)} Postfix's: ${memoryMet ? 'met' : 'NOT met'}` +
        ` (RSS ${ratio(med(row?.get('MTA'), rss) / med(row?.get('Postfix'), rss))})`,
    );
  }

  if ([...results.values()].some((row) => row.has('MTA baseline'))) {
    console.log('\nA/B: this build against SMTPKIT_BENCH_BASELINE, medians (min–max)\n');
    printTable(
      [
        'configuration',
        'delivered msg/s',
        'baseline delivered',
        'accepted msg/s',
        'baseline accepted',
        'CPU ms/msg',
        'baseline CPU ms/msg',
      ],
      loads.map((load) => {
        const row = results.get(load.name);
        const a = row?.get('MTA');
        const b = row?.get('MTA baseline');
        return [
          load.name,
          spread(a, delivered, int),
          spread(b, delivered, int),
          spread(a, accepted, int),
          spread(b, accepted, int),
          spread(a, cpu, ms),
          spread(b, cpu, ms),
        ];
      }),
    );
  }
  return allMet;
}
