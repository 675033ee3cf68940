/** What {@link medianRows} reads of a tinybench task (structurally, so no tinybench import). */
export interface BenchTaskLike {
  readonly name: string;
  readonly result?: unknown;
}

/** One printed row: the case and its median latency in nanoseconds (`-` when it did not run). */
export interface MedianRow {
  readonly case: string;
  readonly 'median ns': number | '-';
}

/**
 * The rows a package benchmark prints with `console.table`: each task's median (p50) latency.
 *
 * @example
 * ```ts
 * await bench.run();
 * console.table(medianRows(bench.tasks));
 * ```
 */
export function medianRows(tasks: readonly BenchTaskLike[]): MedianRow[] {
  return tasks.map((t) => {
    const r = t.result as { latency?: { p50?: number } } | undefined;
    return {
      case: t.name,
      'median ns': r?.latency?.p50 === undefined ? '-' : Math.round(r.latency.p50 * 1e6),
    };
  });
}
