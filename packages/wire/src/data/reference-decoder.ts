/**
 * A deliberately plain, byte-at-a-time model of RFC 5321 message data, used only by the tests as
 * an oracle for {@link DataDecoder}. Not exported from the package.
 *
 * Rules modelled: RFC 5321 §4.1.1.4 (the data ends at CRLF "." CRLF, the first CRLF belonging to
 * the last line; the `DATA` line's CRLF counts as the first), §4.5.2 (a line-initial "." is
 * deleted when other characters follow), §2.3.8 (only CRLF ends a line; a bare CR or LF is a
 * violation, or becomes CRLF when normalising) and §4.5.3.1.6 (1000 octets per line including
 * CRLF, not counting the transparency dot).
 */
export interface ReferenceResult {
  readonly done: boolean;
  readonly body: number[];
  readonly rest: number[];
  readonly violations: { kind: string; offset: number }[];
}

export function referenceDecode(
  wire: Uint8Array,
  normalize: boolean,
  maxLineLength = 1000,
  checkLength = true,
): ReferenceResult {
  const body: number[] = [];
  const violations: { kind: string; offset: number }[] = [];
  const seen = new Set<string>();
  const report = (kind: string, offset: number) => {
    if (seen.has(kind)) return;
    if (normalize && kind !== 'line-too-long') return;
    seen.add(kind);
    violations.push({ kind, offset });
  };
  let lineStart = true;
  let lineLength = 0;
  let lineOffset = 0;
  let i = 0;
  const n = wire.length;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      if (wire[i] === 46) {
        if (wire[i + 1] === 13 && wire[i + 2] === 10) {
          return { done: true, body, rest: [...wire.subarray(i + 3)], violations };
        }
        // "." CR at the very end: both are held back until the next byte tells.
        if (wire[i + 1] === 13 && i + 2 >= n) return { done: false, body, rest: [], violations };
        i++; // the transparency dot is deleted
        continue;
      }
    }
    const b = wire[i] as number;
    if (b === 13 && wire[i + 1] === 10) {
      body.push(13, 10);
      i += 2;
      lineStart = true;
      lineLength = 0;
      lineOffset = i;
    } else if (b === 13 && i + 1 < n) {
      report('bare-cr', i);
      body.push(...(normalize ? [13, 10] : [13]));
      i++;
      lineLength = 0;
      lineOffset = i;
    } else if (b === 13) {
      body.push(13); // undecided CR at the very end: the data is incomplete anyway
      i++;
    } else if (b === 10) {
      report('bare-lf', i);
      body.push(...(normalize ? [13, 10] : [10]));
      i++;
      lineLength = 0;
      lineOffset = i;
    } else {
      body.push(b);
      i++;
      lineLength++;
      if (checkLength && lineLength > maxLineLength - 2) report('line-too-long', lineOffset);
    }
  }
  return { done: false, body, rest: [], violations };
}
