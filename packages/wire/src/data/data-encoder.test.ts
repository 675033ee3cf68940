import { byteByByte, bytes, concat, latin1, readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { DataEncoder, encodeData } from './data-encoder.js';
import { runDecoder } from './run-decoder.js';

interface DotVector {
  direction: 'encode' | 'decode';
  input: string;
  expected?: string;
  expected_error?: string;
  note?: string;
}

const vectors = readJsonl<DotVector>('wire', 'dot-stuffing.jsonl').filter(
  (v) => v.direction === 'encode',
);
const BARE = /\r(?!\n)|(?<!\r)\n/;

function streamed(chunks: readonly Uint8Array[]): string {
  const encoder = new DataEncoder();
  const out: Uint8Array[] = [];
  for (const chunk of chunks) out.push(...encoder.push(chunk));
  out.push(...encoder.end());
  return latin1(concat(out));
}

describe('encodeData against dot-stuffing.jsonl (encode)', () => {
  for (const v of vectors) {
    const body = bytes(v.input);
    const title = JSON.stringify(v.input);
    if (v.expected !== undefined) {
      it(`encodes ${title} as the vector says, whole and byte by byte`, () => {
        expect(latin1(encodeData(body))).toBe(v.expected);
        expect(streamed(byteByByte(body))).toBe(v.expected);
      });
    } else {
      // mox refuses such messages (errMissingCRLF / ErrCRLF). Our encoder follows RFC 5321
      // §2.3.8 the other way the RFC allows: it never transmits a bare CR or LF, it sends each as
      // CRLF, and it completes a last line without CRLF, so the result is always valid data.
      it(`repairs ${title} (the vector's source refuses it) into valid data that ends only at the end`, () => {
        const wire = encodeData(body);
        const text = latin1(wire);
        expect(BARE.test(text)).toBe(false);
        expect(text.endsWith('\r\n.\r\n') || text === '.\r\n').toBe(true);
        expect(streamed(byteByByte(body))).toBe(text);
        const run = runDecoder([wire]);
        expect(run.done).toBe(true);
        expect(run.rest).toEqual([]);
        expect(run.violations).toEqual([]);
        const repaired = v.input.replace(/\r\n|\r|\n/g, '\r\n');
        expect(latin1(Uint8Array.from(run.body))).toBe(
          repaired === '' || repaired.endsWith('\r\n') ? repaired : `${repaired}\r\n`,
        );
      });
    }
  }
});

describe('DataEncoder', () => {
  it('stuffs every line-initial dot, and only those', () => {
    expect(latin1(encodeData(bytes('.a\r\nb.c\r\n..\r\n.')))).toBe(
      '..a\r\nb.c\r\n...\r\n..\r\n.\r\n',
    );
  });

  it('stuffs a dot that starts a line after a bare LF or bare CR (they become CRLF)', () => {
    expect(latin1(encodeData(bytes('a\n.\nb\r.\r')))).toBe('a\r\n..\r\nb\r\n..\r\n.\r\n');
  });

  it('handles a CR at a chunk end followed by LF, by a dot, or by the end', () => {
    expect(streamed([bytes('a\r'), bytes('\n.b')])).toBe('a\r\n..b\r\n.\r\n');
    expect(streamed([bytes('a\r'), bytes('.b')])).toBe('a\r\n..b\r\n.\r\n');
    expect(streamed([bytes('a\r')])).toBe('a\r\n.\r\n');
  });

  it('hands back the input itself when nothing changes (zero-copy)', () => {
    const chunk = bytes('line one\r\nline two\r\n');
    const encoder = new DataEncoder();
    const out = encoder.push(chunk);
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(chunk);
  });

  it('refuses use after end() as API misuse', () => {
    const encoder = new DataEncoder();
    encoder.end();
    expect(() => encoder.push(bytes('x'))).toThrowError(
      expect.objectContaining({ code: 'ERR_WIRE_MISUSE_INVALID_ARGUMENT' }),
    );
    expect(() => encoder.end()).toThrowError(
      expect.objectContaining({ code: 'ERR_WIRE_MISUSE_INVALID_ARGUMENT' }),
    );
  });
});
