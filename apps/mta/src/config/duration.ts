/**
 * A duration in the configuration: milliseconds as a number, or a number with a unit as Postfix
 * writes them (`300s`, `5m`, `4h`, `5d`, `1w`; `ms` too).
 */
const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Reads `300s`, `5m`, `4h`, `5d`, `1w`, `250ms` or a plain number of milliseconds.
 *
 * @example
 * ```ts
 * parseDuration('5d'); // 432000000
 * parseDuration('soon'); // undefined
 * ```
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(value.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = UNITS[match[2] ?? 'ms'] ?? 1;
  return Math.round(amount * unit);
}
