import { allTwoWaySplits, byteByByte, bytes, concat, latin1, readJsonl } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BdatReader, encodeBdatChunk } from './bdat-reader.js';

function read(size: number, chunks: readonly Uint8Array[]) {
  const reader = new BdatReader(size);
  const body: Uint8Array[] = [];
  const rest: Uint8Array[] = [];
  for (const chunk of chunks) {
    if (reader.done) {
      rest.push(chunk);
      continue;
    }
    const r = reader.push(chunk);
    body.push(r.chunk);
    if (r.done) rest.push(r.rest as Uint8Array);
  }
  return { done: reader.done, body: latin1(concat(body)), rest: latin1(concat(rest)) };
}

/** Test-side parse of `BDAT <n>[ LAST]` CRLF (RFC 3030 §4 bdat-cmd). */
function parseBdatLine(wire: Uint8Array): { size: number; last: boolean; end: number } {
  const text = latin1(wire);
  const end = text.indexOf('\r\n') + 2;
  const m = /^BDAT (\d+)( LAST)?\r\n$/.exec(text.slice(0, end));
  if (!m) throw new Error(`not a BDAT line: ${JSON.stringify(text.slice(0, end))}`);
  return { size: Number(m[1]), last: m[2] !== undefined, end };
}

describe('BdatReader', () => {
  const payload = bytes('binary \r\n.\r\n\n.\n\0\xff data'); // nothing here is special to BDAT
  const wire = concat([payload, bytes('BDAT 0 LAST\r\n')]);

  it('reads exactly n octets, whole, byte by byte and cut anywhere, and hands back the rest', () => {
    for (const chunks of [[wire], byteByByte(wire), ...allTwoWaySplits(wire)]) {
      const r = read(payload.length, chunks);
      expect(r.done).toBe(true);
      expect(r.body).toBe(latin1(payload));
      expect(r.rest).toBe('BDAT 0 LAST\r\n');
    }
  });

  it('gives views of the pushed bytes, never copies', () => {
    const r = new BdatReader(4).push(wire);
    expect(r.chunk.buffer).toBe(wire.buffer);
    expect(r.rest?.buffer).toBe(wire.buffer);
    const all = new BdatReader(wire.length).push(wire);
    expect(all.chunk).toBe(wire);
  });

  it('is done at once for BDAT 0 and hands everything back', () => {
    const reader = new BdatReader(0);
    expect(reader.done).toBe(true);
    const r = reader.push(bytes('QUIT\r\n'));
    expect(r.chunk.length).toBe(0);
    expect(latin1(r.rest as Uint8Array)).toBe('QUIT\r\n');
  });

  it('keeps count while waiting (need more data is not an error)', () => {
    const reader = new BdatReader(10);
    expect(reader.push(bytes('abc')).done).toBe(false);
    expect(reader.remaining).toBe(7);
    expect(reader.size).toBe(10);
  });

  it('refuses a negative, fractional or unsafe size as API misuse', () => {
    for (const size of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => new BdatReader(size)).toThrowError(
        expect.objectContaining({ code: 'ERR_WIRE_MISUSE_INVALID_ARGUMENT' }),
      );
    }
  });

  it('reads the BDAT chunk of the RFC 3030 §4.1 transcript: exactly 86 octets', () => {
    interface Step {
      dir: string;
      kind: string;
      text: string;
    }
    const transcript = readJsonl<{ id: string; steps: Step[] }>('wire', 'transcripts.jsonl').find(
      (t) => t.id === 'rfc3030-4.1-chunking',
    );
    const steps = transcript?.steps ?? [];
    const at = steps.findIndex((s) => s.text.startsWith('BDAT '));
    const size = Number(/^BDAT (\d+)/.exec(steps[at]?.text ?? '')?.[1]);
    const data = steps
      .slice(at + 1)
      .filter((s) => s.kind.startsWith('bdat-chunk-data'))
      .map((s) => s.text.replaceAll('<CR><LF>', '\r\n'))
      .join('');
    const wire = bytes(`${data}QUIT\r\n`);
    for (const chunks of [[wire], byteByByte(wire)]) {
      const r = read(size, chunks);
      expect(r.done).toBe(true);
      expect(r.body).toBe(data);
      expect(r.rest).toBe('QUIT\r\n');
    }
  });
});

describe('encodeBdatChunk', () => {
  it('writes the RFC 3030 command line and passes the chunk through', () => {
    const [header, body] = encodeBdatChunk(bytes('Hi\r\n'), true);
    expect(latin1(header)).toBe('BDAT 4 LAST\r\n');
    expect(latin1(body)).toBe('Hi\r\n');
    expect(latin1(encodeBdatChunk(new Uint8Array(0), false)[0])).toBe('BDAT 0\r\n');
  });

  it('read ∘ encode is the identity on any bytes, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 10 }),
        (parts, cuts) => {
          const wire = concat(parts.flatMap((p, k) => encodeBdatChunk(p, k === parts.length - 1)));
          // Re-frame: parse each command line, then read its chunk from whatever follows.
          let at = 0;
          const got: string[] = [];
          while (at < wire.length) {
            const line = parseBdatLine(wire.subarray(at));
            const after = wire.subarray(at + line.end);
            const offsets = cuts.filter((c) => c <= after.length);
            const r = read(line.size, splitEvery(after, offsets));
            expect(r.done).toBe(true);
            got.push(r.body);
            at = wire.length - r.rest.length;
            if (line.last) expect(at).toBe(wire.length);
          }
          expect(got).toEqual(parts.map((p) => latin1(p)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

function splitEvery(bytesIn: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const c of cuts) {
    out.push(bytesIn.subarray(start, c));
    start = c;
  }
  out.push(bytesIn.subarray(start));
  return out;
}
