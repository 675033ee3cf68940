import { concat, latin1, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDecoder, type DataDecoderOptions } from './data-decoder.js';
import { referenceDecode } from './reference-decoder.js';
import { SCAN_WINDOW, setWasmScannerEnabled, wasmScanner } from './wasm-scanner.js';

/** Ordinary line content, weighted towards the bytes that matter to the framing. */
const contentByte = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...'abcXYZ019 <>:@,;="\\'.split('')) },
  { weight: 2, arbitrary: fc.constant('.') },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\n') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)) },
);
const lineContent = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: contentByte, maxLength: 90 }) },
  { weight: 1, arbitrary: fc.string({ unit: contentByte, minLength: 900, maxLength: 1100 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '.\r', '.\n', '\r', '\n') },
);
const lineEnd = fc.oneof(
  { weight: 20, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\r\n', '\n\r', '\r\n.\r\n') },
);
const line = fc.tuple(fc.boolean(), lineContent, lineEnd).map(([dot, text, end]) => {
  return (dot ? '.' : '') + text + end;
});
/** Message data long enough to reach the WebAssembly scanner's 64-octet rounds. */
const wire = fc
  .tuple(
    fc.array(line, { minLength: 1, maxLength: 80 }),
    fc.constantFrom('', '.\r\n', '.\r\nQUIT\r\n', '.\r', '.'),
  )
  .map(([lines, end]) => Uint8Array.from(latin1ToBytes(lines.join('') + end)));
const cuts = fc.array(fc.nat({ max: 9000 }), { maxLength: 8 });
const options: fc.Arbitrary<DataDecoderOptions> = fc.record({
  bareLineEndings: fc.constantFrom('reject' as const, 'normalize' as const),
  maxLineLength: fc.oneof(
    fc.constant(1000),
    fc.integer({ min: 3, max: 40 }),
    fc.integer({ min: 60, max: 200 }),
  ),
  longLines: fc.constantFrom('reject' as const, 'ignore' as const),
});

function latin1ToBytes(text: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < text.length; k++) out.push(text.charCodeAt(k) & 0xff);
  return out;
}

/** Every piece of every push, as [chunk number, offset in that chunk, length], plus the results. */
function run(chunks: readonly Uint8Array[], opts: DataDecoderOptions) {
  const decoder = new DataDecoder(opts);
  const pieces: [number, number, number][] = [];
  const body: Uint8Array[] = [];
  const violations: { kind: string; offset: number }[] = [];
  let rest: number[] = [];
  chunks.forEach((chunk, index) => {
    if (decoder.done) {
      rest = rest.concat([...chunk]);
      return;
    }
    const r = decoder.push(chunk);
    for (const piece of r.chunks) {
      const view = piece.buffer === chunk.buffer;
      pieces.push([
        view ? index : -1,
        view ? piece.byteOffset - chunk.byteOffset : -1,
        piece.length,
      ]);
      body.push(piece);
    }
    for (const v of r.violations) violations.push({ kind: v.kind, offset: v.offset });
    if (r.rest) rest = rest.concat([...r.rest]);
  });
  return {
    done: decoder.done,
    body: latin1(concat(body)),
    pieces,
    rest,
    violations,
    bodyLength: decoder.bodyLength,
    wireLength: decoder.wireLength,
  };
}

function bothPaths(chunks: readonly Uint8Array[], opts: DataDecoderOptions) {
  setWasmScannerEnabled(true);
  const wasm = run(chunks, opts);
  setWasmScannerEnabled(false);
  const js = run(chunks, opts);
  setWasmScannerEnabled(true);
  return { wasm, js };
}

afterEach(() => setWasmScannerEnabled(true));

describe('WebAssembly scanner', () => {
  it('is available on this Node (so the properties below test it)', () => {
    expect(wasmScanner()).toBeDefined();
  });

  it('can be turned off, and the decoder then scans in JavaScript', () => {
    setWasmScannerEnabled(false);
    expect(wasmScanner()).toBeUndefined();
    const data = latin1ToBytes(`${'x'.repeat(300)}\r\n..y\r\n.\r\n`);
    expect(latin1(concat(new DataDecoder().push(Uint8Array.from(data)).chunks))).toBe(
      `${'x'.repeat(300)}\r\n.y\r\n`,
    );
  });
});

describe('DataDecoder with and without the WebAssembly scanner', () => {
  it('gives the same pieces, end, rest and violations as the JavaScript path and the RFC model', () => {
    fc.assert(
      fc.property(wire, cuts, options, (bytes, offsets, opts) => {
        const chunks = splitAt(bytes, offsets);
        const { wasm, js } = bothPaths(chunks, opts);
        expect(wasm).toEqual(js);
        const model = referenceDecode(
          bytes,
          opts.bareLineEndings === 'normalize',
          opts.maxLineLength,
          opts.longLines === 'reject',
        );
        expect(wasm.done).toBe(model.done);
        expect(wasm.body).toBe(latin1(Uint8Array.from(model.body)));
        expect(wasm.rest).toEqual(model.rest);
        expect(wasm.violations).toEqual(model.violations);
        expect(wasm.bodyLength).toBe(model.body.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees on random bytes and protocol-alphabet bytes of any length, in any chunking', () => {
    const alphabet = fc.constantFrom(
      ...'<>:@.,;="\\ aZ09'.split('').map((c) => c.charCodeAt(0)),
      13,
      10,
      46,
      13,
      10,
    );
    const bytes = fc.oneof(
      fc.array(alphabet, { minLength: 250, maxLength: 3000 }).map((a) => Uint8Array.from(a)),
      fc.uint8Array({ minLength: 250, maxLength: 3000 }),
    );
    fc.assert(
      fc.property(bytes, cuts, options, (data, offsets, opts) => {
        const { wasm, js } = bothPaths(splitAt(data, offsets), opts);
        expect(wasm).toEqual(js);
      }),
      { numRuns: 500 },
    );
  });

  it('counts line lengths exactly around the limit, dotted lines included', () => {
    // Clean CRLF text keeps the scanner on its 64-octet rounds, where it only bounds line lengths.
    const limited = fc
      .integer({ min: 60, max: 1000 })
      .chain((max) =>
        fc.tuple(
          fc.constant(max),
          fc.array(
            fc.tuple(
              fc.boolean(),
              fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: max - 5, max: max })),
              fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r'),
            ),
            { minLength: 1, maxLength: 30 },
          ),
        ),
      );
    fc.assert(
      fc.property(limited, cuts, fc.boolean(), ([max, lines], offsets, normalize) => {
        const text = lines.map(
          ([dot, length, end]) => `${dot ? '.' : ''}${'y'.repeat(length)}${end}`,
        );
        const data = Uint8Array.from(latin1ToBytes(`${text.join('')}.\r\n`));
        const opts: DataDecoderOptions = {
          maxLineLength: max,
          bareLineEndings: normalize ? 'normalize' : 'reject',
        };
        const { wasm, js } = bothPaths(splitAt(data, offsets), opts);
        expect(wasm).toEqual(js);
        expect(wasm.violations).toEqual(referenceDecode(data, normalize, max).violations);
      }),
      { numRuns: 1500 },
    );
  });

  it('does not count the dot of a line its 64-octet rounds start on (found by the property above)', () => {
    // The second push enters the rounds at the start of ".yyy…" (925 counted octets, limit 925).
    const lines: [boolean, number, string][] = [
      [true, 2, '\r'],
      [false, 924, '\n'],
      [true, 76, '\r'],
      [false, 922, '\n'],
      [false, 925, '\r\n'],
      [false, 61, '\r\n'],
      [true, 925, '\r\n'],
      [false, 0, '\r\n'],
    ];
    const text = lines.map(([dot, length, end]) => `${dot ? '.' : ''}${'y'.repeat(length)}${end}`);
    const data = Uint8Array.from(latin1ToBytes(`${text.join('')}.\r\n`));
    for (const at of [1832, 1800, 2000]) {
      const { wasm, js } = bothPaths(splitAt(data, [at]), { maxLineLength: 927 });
      expect(wasm).toEqual(js);
      expect(wasm.violations).toEqual([
        { kind: 'bare-cr', offset: 3 },
        { kind: 'bare-lf', offset: 928 },
      ]);
    }
  });

  it('agrees wherever an exact walk hands back to the 64-octet rounds', () => {
    // A bare LF sends the scanner into its octet-by-octet walk; the padding moves the point where
    // the walk hands back over every position of the following lines.
    for (let pad = 0; pad < 140; pad++) {
      for (const [dot, counted] of [
        [true, 998],
        [true, 999],
        [false, 998],
        [false, 999],
        [true, 60],
      ] as const) {
        const text = `x\n${'p'.repeat(pad)}\r\n${dot ? '.' : ''}${'q'.repeat(counted)}\r\n.\r\n`;
        const data = Uint8Array.from(latin1ToBytes(text));
        const { wasm, js } = bothPaths([data], {});
        expect(wasm).toEqual(js);
        expect(wasm.violations).toEqual(referenceDecode(data, false).violations);
      }
    }
  });

  it('agrees on messages of several scan windows, in any chunking', () => {
    const far = fc.array(fc.nat({ max: 3 * SCAN_WINDOW }), { maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        far,
        options,
        (lines, at, opts) => {
          let text = lines.join('');
          while (text.length < 2.2 * SCAN_WINDOW) text += text;
          const data = Uint8Array.from(latin1ToBytes(`${text}.\r\nQUIT\r\n`));
          const { wasm, js } = bothPaths(splitAt(data, at), opts);
          expect(wasm).toEqual(js);
          const model = referenceDecode(
            data,
            opts.bareLineEndings === 'normalize',
            opts.maxLineLength,
            opts.longLines === 'reject',
          );
          expect(wasm.violations).toEqual(model.violations);
          expect(wasm.bodyLength).toBe(model.body.length);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('agrees across the edge of a scan window', () => {
    // Lines of every length around the window edge put each CR, LF and "." on it.
    const ordinary = 'x'.repeat(70);
    for (const tail of ['\r\n.\r\n', '\r\n..a\r\n.\r\n', '\r\r\n.\r\n', '\n.\r\n', '\r\n.\r']) {
      for (let shift = 0; shift < 8; shift++) {
        const head = `${`${ordinary}\r\n`.repeat(Math.ceil(SCAN_WINDOW / 72))}`.slice(
          0,
          SCAN_WINDOW - 4 + shift,
        );
        const data = Uint8Array.from(latin1ToBytes(`${head}\r\n${tail}QUIT\r\n`));
        for (const opts of [{}, { bareLineEndings: 'normalize' as const }]) {
          const { wasm, js } = bothPaths([data], opts);
          expect(wasm).toEqual(js);
        }
      }
    }
  });
});
