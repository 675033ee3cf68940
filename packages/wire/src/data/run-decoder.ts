import { DataDecoder, type DataDecoderOptions } from './data-decoder.js';

/** Test helper: feeds chunks to a fresh decoder and gathers what it returned. */
export interface DecoderRun {
  readonly done: boolean;
  readonly body: number[];
  readonly rest: number[];
  readonly violations: { kind: string; offset: number }[];
  readonly bodyLength: number;
}

export function runDecoder(
  chunks: readonly Uint8Array[],
  options?: DataDecoderOptions,
): DecoderRun {
  const decoder = new DataDecoder(options);
  const pieces: Uint8Array[] = [];
  const rest: Uint8Array[] = [];
  const violations: { kind: string; offset: number }[] = [];
  for (const chunk of chunks) {
    if (decoder.done) {
      rest.push(chunk);
      continue;
    }
    const r = decoder.push(chunk);
    pieces.push(...r.chunks);
    violations.push(...r.violations.map((v) => ({ kind: v.kind, offset: v.offset })));
    if (r.done && r.rest) rest.push(r.rest);
  }
  return {
    done: decoder.done,
    body: [...concat(pieces)],
    rest: [...concat(rest)],
    violations,
    bodyLength: decoder.bodyLength,
  };
}

/** Concatenates byte arrays (kept local: helpers outside test files may not import test packages). */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
