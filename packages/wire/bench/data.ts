/**
 * Benchmarks of the message-data half of @smtpkit/wire: dot-unstuffing (DataDecoder), dot-stuffing
 * (DataEncoder) and, as the physical limit, a native `Buffer.indexOf` scan for CRLF.CRLF over the
 * same wire bytes. `unstuff` and `unstuff 64k` take a Buffer, as the server passes them; `unstuff u8`
 * a plain Uint8Array; `unstuff js` a Buffer with the WebAssembly scanner turned off (the JavaScript
 * `indexOf` path every engine without WebAssembly SIMD takes). Run with `node --import tsx bench/data.ts` (or through `pnpm bench`). Prints
 * medians in MB/s (10^6 bytes per second).
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { DataDecoder, DataEncoder, encodeData } from '../src/data/index.js';
import { setWasmScannerEnabled } from '../src/data/wasm-scanner.js';

const SIZES = [
  ['1 KB', 1024],
  ['100 KB', 100 * 1024],
  ['10 MB', 10 * 1024 * 1024],
] as const;

/** A message of `size` bytes made of 76-character lines (plus CRLF), like a base64 or text body. */
function ordinaryBody(size: number): Buffer {
  const line = 'The quick brown fox jumps over the lazy dog; Lorem ipsum dolor sit amet, 0123\r\n';
  return Buffer.from(
    line
      .repeat(Math.ceil(size / line.length))
      .slice(0, size - 2)
      .concat('\r\n'),
    'latin1',
  );
}

/** The worst case for transparency: every line starts with ".". */
function dottedBody(size: number): Buffer {
  const line = '.The quick brown fox jumps over the lazy dog; Lorem ipsum dolor sit amet 012\r\n';
  return Buffer.from(
    line
      .repeat(Math.ceil(size / line.length))
      .slice(0, size - 2)
      .concat('\r\n'),
    'latin1',
  );
}

const TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1');

export interface DataBenchRow {
  readonly case: string;
  readonly size: string;
  readonly unstuffMBs: number;
  readonly unstuff64kMBs: number;
  readonly unstuffU8MBs: number;
  readonly unstuffJsMBs: number;
  readonly stuffMBs: number;
  readonly indexOfMBs: number;
  readonly unstuffVsScan: string;
}

/** Median throughput of a finished task, in MB/s. */
function medianMBs(bench: Bench, name: string, bytes: number): number {
  const result = bench.getTask(name)?.result;
  if (!result || !('latency' in result)) throw new Error(`no result for ${name}`);
  return Math.round(bytes / (result.latency.p50 / 1000) / 1e6);
}

const CASES = [
  ['ordinary text', ordinaryBody],
  ['every line starts with "."', dottedBody],
] as const;

/**
 * Runs the data benchmarks (a few seconds per size), prints the medians and returns them. Every
 * Buffer case runs first; the plain Uint8Array pushes run last, so that they do not make the
 * decoder's call sites polymorphic while Buffers, which a server passes, are measured.
 */
export async function runDataBench(): Promise<DataBenchRow[]> {
  const rows: DataBenchRow[] = [];
  const u8Rows: number[] = [];
  let sink = 0;
  for (const [sizeName, size] of SIZES) {
    for (const [caseName, make] of CASES) {
      const body = make(size);
      const wire = Buffer.from(encodeData(body));
      const time = size >= 1024 * 1024 ? 1500 : 400;
      const bench = new Bench({ time, warmupTime: 100 });
      bench
        .add('unstuff', () => {
          const r = new DataDecoder().push(wire);
          sink += r.chunks.length;
        })
        .add('unstuff 64k', () => {
          const decoder = new DataDecoder();
          for (let at = 0; at < wire.length && !decoder.done; at += 65536) {
            sink += decoder.push(wire.subarray(at, at + 65536)).chunks.length;
          }
        })
        .add(
          'unstuff js',
          () => {
            const r = new DataDecoder().push(wire);
            sink += r.chunks.length;
          },
          {
            beforeAll: () => setWasmScannerEnabled(false),
            afterAll: () => setWasmScannerEnabled(true),
          },
        )
        .add('stuff', () => {
          const encoder = new DataEncoder();
          sink += encoder.push(body).length + encoder.end().length;
        })
        .add('indexOf', () => {
          sink += wire.indexOf(TERMINATOR);
        });
      await bench.run();
      const unstuff = medianMBs(bench, 'unstuff', wire.length);
      const indexOf = medianMBs(bench, 'indexOf', wire.length);
      rows.push({
        case: caseName,
        size: sizeName,
        unstuffMBs: unstuff,
        unstuff64kMBs: medianMBs(bench, 'unstuff 64k', wire.length),
        unstuffU8MBs: 0,
        unstuffJsMBs: medianMBs(bench, 'unstuff js', wire.length),
        stuffMBs: medianMBs(bench, 'stuff', body.length),
        indexOfMBs: indexOf,
        unstuffVsScan: `${Math.round((unstuff / indexOf) * 100)}%`,
      });
    }
  }
  for (const [, size] of SIZES) {
    for (const [, make] of CASES) {
      const wireU8 = Uint8Array.from(encodeData(make(size)));
      const bench = new Bench({ time: size >= 1024 * 1024 ? 1500 : 400, warmupTime: 100 });
      bench.add('unstuff u8', () => {
        sink += new DataDecoder().push(wireU8).chunks.length;
      });
      await bench.run();
      u8Rows.push(medianMBs(bench, 'unstuff u8', wireU8.length));
    }
  }
  const table = rows.map((row, k) => ({ ...row, unstuffU8MBs: u8Rows[k] ?? 0 }));
  if (sink === 0.5) console.log(sink); // keep the results alive
  console.log(`@smtpkit/wire data benchmarks, node ${process.version}, medians in MB/s`);
  console.table(table);
  return table;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDataBench();
}
