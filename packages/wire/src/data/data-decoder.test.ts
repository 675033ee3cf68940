import { allTwoWaySplits, byteByByte, bytes, concat, latin1, readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { DataDecoder } from './data-decoder.js';
import { referenceDecode } from './reference-decoder.js';
import { runDecoder } from './run-decoder.js';

interface DotVector {
  direction: 'encode' | 'decode';
  input: string;
  expected?: string;
  expected_error?: string;
  expected_lines?: string[];
  chunks?: string[];
  remaining_after_terminator?: string;
  note?: string;
  source: string;
}

const vectors = readJsonl<DotVector>('wire', 'dot-stuffing.jsonl').filter(
  (v) => v.direction === 'decode',
);
const TRAILER = bytes('MAIL FROM:<a@example.com>\r\n');
const text = (numbers: number[]) => latin1(Uint8Array.from(numbers));

/** The same input whole, byte by byte, cut in two everywhere, and with trailing bytes. */
function chunkings(wire: Uint8Array): Uint8Array[][] {
  return [[wire], byteByByte(wire), ...allTwoWaySplits(wire)];
}

describe('DataDecoder against dot-stuffing.jsonl (decode)', () => {
  for (const v of vectors) {
    const wire = bytes(v.input);
    const title = JSON.stringify(v.input);

    it(`agrees with the RFC model for ${title}, whatever the chunking`, () => {
      for (const normalize of [false, true]) {
        const model = referenceDecode(wire, normalize);
        const options = {
          bareLineEndings: normalize ? ('normalize' as const) : ('reject' as const),
        };
        for (const chunks of chunkings(wire)) {
          const run = runDecoder(chunks, options);
          expect(run.done).toBe(model.done);
          expect(text(run.body)).toBe(text(model.body));
          expect(text(run.rest)).toBe(text(model.rest));
          expect(run.violations).toEqual(model.violations);
        }
        // With pipelined bytes behind, the rest carries them back untouched.
        const trailing = runDecoder([concat([wire, TRAILER])], options);
        if (model.done) expect(text(trailing.rest)).toBe(text([...model.rest, ...TRAILER]));
        else expect(trailing.done).toBe(model.done);
      }
    });

    const ownChunks = v.chunks;
    if (ownChunks) {
      it(`gives the same result for ${title} in the vector's own chunks`, () => {
        const run = runDecoder(ownChunks.map(bytes));
        expect(run).toEqual(runDecoder([wire]));
      });
    }

    if (
      v.expected !== undefined &&
      v.expected_lines === undefined &&
      v.remaining_after_terminator === undefined
    ) {
      it(`delivers the vector's message for ${title}`, () => {
        const run = runDecoder([wire]);
        expect(run.done).toBe(true);
        // The stalwart vectors end in "\r\n\r\n.\r\n" and drop the empty last line. RFC 5321
        // §4.1.1.4: "The mail data are terminated by a line containing only a period, that is, the
        // character sequence "<CRLF>.<CRLF>", where the first <CRLF> is actually the terminator of
        // the previous line": the previous line is the empty one, so the message ends "\r\n\r\n".
        const lenient = v.source.includes('stalwartlabs');
        if (lenient) expect(v.input.endsWith('\r\n\r\n.\r\n')).toBe(true);
        expect(text(run.body)).toBe(lenient ? `${v.expected}\r\n` : v.expected);
        expect(run.rest).toEqual([]);
        // The vector's source passes bare CR / LF through; RFC 5321 §2.3.8 ("Conforming
        // implementations MUST NOT recognize or generate any other character or character
        // sequence as a line terminator") lets us keep the bytes, but the default policy reports
        // them so that the server answers 554 after the terminator.
        const bare = /\r(?!\n)|(?<!\r)\n/.test(v.input.slice(0, -3));
        expect(run.violations.length > 0).toBe(bare);
      });
    }

    if (v.expected_error === 'io.ErrUnexpectedEOF') {
      it(`waits for more data on ${title} (no terminator yet)`, () => {
        for (const chunks of chunkings(wire)) expect(runDecoder(chunks).done).toBe(false);
      });
    }

    if (v.expected_error === 'ErrCRLF') {
      it(`ends ${title} only at the real CRLF.CRLF and reports the bare line ending`, () => {
        for (const chunks of chunkings(wire)) {
          const run = runDecoder(chunks);
          expect(run.done).toBe(true);
          expect(run.rest).toEqual([]); // the data did not end early
          expect(run.violations.map((x) => x.kind)).toEqual(
            expect.arrayContaining([expect.stringMatching(/^bare-(lf|cr)$/)]),
          );
        }
        const normalized = runDecoder([wire], { bareLineEndings: 'normalize' });
        expect(normalized.done).toBe(true);
        expect(normalized.rest).toEqual([]);
        expect(normalized.violations).toEqual([]);
        expect(/\r(?!\n)|(?<!\r)\n/.test(text(normalized.body))).toBe(false);
      });
    }
  }

  it('keeps the Go textproto vectors apart: bare LF is no line end for unstuffing (RFC 5321 §2.3.8)', () => {
    // Go's ReadDotLines takes a bare LF as a line end and unstuffs "...baz" to "..baz". RFC 5321
    // §2.3.8: "Conforming implementations MUST NOT recognize or generate any other character or
    // character sequence as a line terminator", so "...baz" does not start a line and keeps its dots.
    const goVectors = vectors.filter((v) => v.remaining_after_terminator !== undefined);
    expect(goVectors.length).toBe(2);
    for (const v of goVectors) {
      const run = runDecoder([bytes(v.input)]);
      expect(run.done).toBe(true);
      expect(text(run.rest)).toBe(v.remaining_after_terminator);
      expect(text(run.body)).toBe('dotlines\r\nfoo\r\n.bar\n...baz\nquux\r\n\r\n');
      expect(run.violations).toEqual([{ kind: 'bare-lf', offset: v.input.indexOf('\n...baz') }]);
      const normalized = runDecoder([bytes(v.input)], { bareLineEndings: 'normalize' });
      expect(text(normalized.body)).toBe('dotlines\r\nfoo\r\n.bar\r\n...baz\r\nquux\r\n\r\n');
    }
  });
});

describe('DataDecoder', () => {
  it('takes ".\\r\\n" at once as an empty message (the DATA line supplied the first CRLF)', () => {
    const decoder = new DataDecoder();
    const r = decoder.push(bytes('.\r\nQUIT\r\n'));
    expect(r.done).toBe(true);
    expect(r.chunks).toEqual([]);
    expect(latin1(r.rest ?? new Uint8Array(0))).toBe('QUIT\r\n');
    expect(decoder.bodyLength).toBe(0);
    expect(decoder.wireLength).toBe(3);
  });

  it('hands back a view of the pushed bytes when nothing is removed (zero-copy)', () => {
    const chunk = bytes('Subject: hi\r\n\r\nbody line\r\n');
    const r = new DataDecoder().push(chunk);
    expect(r.chunks).toHaveLength(1);
    expect(r.chunks[0]).toBe(chunk);
    const dotted = bytes('a\r\n..b\r\n.\r\n');
    const d = new DataDecoder().push(dotted);
    for (const piece of d.chunks) expect(piece.buffer).toBe(dotted.buffer);
  });

  it('deletes a line-initial dot and keeps the others', () => {
    const run = runDecoder([bytes('..\r\n...x\r\na.b\r\n.\r\n')]);
    expect(text(run.body)).toBe('.\r\n..x\r\na.b\r\n');
  });

  it('reports a line over 1000 octets (CRLF included, transparency dot excluded), once', () => {
    const ok = `.${'a'.repeat(998)}\r\n`; // 999 + 2 on the wire, 1000 once unstuffed
    const long = `${'b'.repeat(999)}\r\n`; // 1001
    const wire = bytes(`${ok}${long}${long}.\r\n`);
    for (const chunks of [[wire], byteByByte(wire)]) {
      const run = runDecoder(chunks);
      expect(run.done).toBe(true);
      expect(run.violations).toEqual([{ kind: 'line-too-long', offset: ok.length }]);
    }
    expect(runDecoder([wire], { longLines: 'ignore' }).violations).toEqual([]);
    expect(runDecoder([wire], { maxLineLength: 2000 }).violations).toEqual([]);
  });

  it('turns the first violation into a WireError with a 554 5.6.0 reply', () => {
    const decoder = new DataDecoder();
    decoder.push(bytes('a\nb\r\n.\r\n'));
    expect(decoder.error?.code).toBe('ERR_WIRE_BARE_LF');
    expect(decoder.error?.reply?.code).toBe(554);
    expect(decoder.error?.reply?.enhanced).toEqual({ class: 5, subject: 6, detail: 0 });
    expect(decoder.error?.misuse).toBe(false);
    expect(new DataDecoder().error).toBeUndefined();
  });

  it('refuses a push after the end as API misuse', () => {
    const decoder = new DataDecoder();
    decoder.push(bytes('.\r\n'));
    expect(() => decoder.push(bytes('x'))).toThrowError(
      expect.objectContaining({ code: 'ERR_WIRE_MISUSE_INVALID_ARGUMENT', misuse: true }),
    );
    expect(() => new DataDecoder({ maxLineLength: 0 })).toThrowError(
      expect.objectContaining({ code: 'ERR_WIRE_MISUSE_INVALID_ARGUMENT' }),
    );
  });

  it('counts body octets after unstuffing and normalising', () => {
    const run = runDecoder([bytes('..a\nb\r\n.\r\n')], { bareLineEndings: 'normalize' });
    expect(text(run.body)).toBe('.a\r\nb\r\n');
    expect(run.bodyLength).toBe(run.body.length);
  });

  it('keeps an endless line in constant memory: nothing is buffered between pushes', () => {
    const decoder = new DataDecoder();
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    for (let k = 0; k < 64; k++) {
      const r = decoder.push(chunk);
      expect(r.chunks.length).toBe(1);
      expect(r.chunks[0]).toBe(chunk);
    }
    expect(decoder.violations.map((v) => v.kind)).toEqual(['line-too-long']);
  });
});
