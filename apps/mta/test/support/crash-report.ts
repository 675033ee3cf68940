// What the crash-safety test prints: one summary line per run, the duplicates, and for a lost
// or suspicious message what every run of the MTA logged about its queue id.
import type { Tally } from './delivery-tally.js';
import type { MtaProcess } from './mta-process.js';
import type { DeliveredCopy } from './recording-receiver.js';

/** The figures of one crash-safety run besides the tally. */
export interface CrashFigures {
  readonly seed: number;
  readonly rounds: number;
  readonly kills: { readonly load: number; readonly shutdown: number; readonly startup: number };
  readonly relayed: number;
  readonly greylisted: number;
  readonly maildir: number;
  readonly unacknowledged: number;
  readonly probes: number;
  readonly tmpLeftovers: number;
  readonly restartAvgMs: number;
  readonly queueLeft: number | undefined;
  readonly drainMs: number;
  readonly elapsedMs: number;
}

/**
 * The one-line summary: rounds, kills, acknowledged, delivered, duplicates,
 * unacknowledged-but-delivered, and the rest.
 *
 * @example
 * ```ts
 * console.log(summaryLine(figures, tally));
 * ```
 */
export function summaryLine(f: CrashFigures, t: Tally): string {
  const kills = f.kills.load + f.kills.shutdown + f.kills.startup;
  return [
    `crash safety seed=${f.seed}:`,
    `rounds=${f.rounds}`,
    `kills=${kills} (${f.kills.load} under load, ${f.kills.shutdown} in shutdown, ${f.kills.startup} in start-up)`,
    `acknowledged=${t.acknowledged} (${t.acknowledgedPairs} recipient copies)`,
    `delivered=${t.delivered} (copies: relayed ${f.relayed}, maildir ${f.maildir}; ${f.greylisted} RCPTs greylisted)`,
    `duplicates=${t.duplicates} (window max ${Math.round(t.duplicateWindowMs)} ms)`,
    `unacknowledged-but-delivered=${t.unacknowledgedDelivered}`,
    `unacknowledged=${f.unacknowledged}`,
    `probes=${f.probes} probes-delivered=${t.probesDelivered.length}`,
    `missing=${t.missing.length} damaged=${t.damaged.length}`,
    `maildir-tmp-leftovers=${f.tmpLeftovers}`,
    `restart-avg=${f.restartAvgMs}ms queue-left=${f.queueLeft} drain=${f.drainMs}ms elapsed=${f.elapsedMs}ms`,
  ].join(' ');
}

/**
 * For each `id recipient` entry: its queue id, its copies (where and when) and every log line
 * of every run of the MTA that names the queue id.
 */
export function explain(
  entries: readonly string[],
  queueIds: ReadonlyMap<string, string>,
  copies: readonly DeliveredCopy[],
  runs: readonly MtaProcess[],
): string {
  return entries
    .map((entry) => {
      const id = entry.split(' ')[0] as string;
      const queueId = queueIds.get(id);
      const found = copies
        .filter((c) => c.check.kind !== 'foreign' && c.check.id === id)
        .map((c) => `${c.recipient} ${c.where} at ${Math.round(c.at)}`);
      const lines =
        queueId === undefined
          ? []
          : runs.flatMap((r, i) =>
              r
                .logs()
                .split('\n')
                .filter((l) => l.includes(queueId))
                .map((l) => `    run ${i}: ${l}`),
            );
      return [
        `${entry} (queue id ${queueId ?? 'unknown'})`,
        ...found.map((c) => `    copy: ${c}`),
        ...lines,
      ].join('\n');
    })
    .join('\n');
}
