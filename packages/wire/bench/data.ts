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

/** Runs the data benchmarks (a few seconds per size), prints the medians and returns them. */
export async function runDataBench(): Promise<DataBenchRow[]> {
  const rows: DataBenchRow[] = [];
  for (const [sizeName, size] of SIZES) {
    for (const [caseName, make] of [
      ['ordinary text', ordinaryBody],
      ['every line starts with "."', dottedBody],
    ] as const) {
      const body = make(size);
      const wire = Buffer.from(encodeData(body));
      const wireU8 = Uint8Array.from(wire);
      const time = size >= 1024 * 1024 ? 1500 : 400;
      const bench = new Bench({ time, warmupTime: 100 });
      let sink = 0;
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
        .add('unstuff u8', () => {
          const r = new DataDecoder().push(wireU8);
          sink += r.chunks.length;
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
      const mbs = (name: string, bytes: number) => {
        const task = bench.getTask(name);
        const result = task?.result;
        if (!result || !('latency' in result)) throw new Error(`no result for ${name}`);
        return Math.round(bytes / (result.latency.p50 / 1000) / 1e6);
      };
      const unstuff = mbs('unstuff', wire.length);
      const indexOf = mbs('indexOf', wire.length);
      rows.push({
        case: caseName,
        size: sizeName,
        unstuffMBs: unstuff,
        unstuff64kMBs: mbs('unstuff 64k', wire.length),
        unstuffU8MBs: mbs('unstuff u8', wire.length),
        unstuffJsMBs: mbs('unstuff js', wire.length),
        stuffMBs: mbs('stuff', body.length),
        indexOfMBs: indexOf,
        unstuffVsScan: `${Math.round((unstuff / indexOf) * 100)}%`,
      });
      if (sink === 0.5) console.log(sink); // keep the results alive
    }
  }
  console.log(`@smtpkit/wire data benchmarks, node ${process.version}, medians in MB/s`);
  console.table(rows);
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDataBench();
}
