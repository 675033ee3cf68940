import { allTwoWaySplits, byteByByte, bytes, latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { type LineEvent, LineReader, type LineReaderOptions } from './line-reader.js';
import { WireError } from './wire-error.js';

type Seen = { type: 'line'; text: string } | { type: 'invalid'; fault: string };

function readAll(chunks: readonly Uint8Array[], options: LineReaderOptions): Seen[] {
  const reader = new LineReader(options);
  const out: Seen[] = [];
  const drain = () => {
    for (let e: LineEvent = reader.next(); e.type !== 'need-data'; e = reader.next()) {
      out.push(
        e.type === 'line'
          ? { type: 'line', text: latin1(e.bytes) }
          : { type: 'invalid', fault: e.fault },
      );
    }
  };
  for (const chunk of chunks) {
    reader.push(chunk);
    drain();
  }
  return out;
}

const strict: LineReaderOptions = { maxLineLength: 16 };

describe('LineReader', () => {
  const input = bytes('NOOP\r\nRSET\r\nQUIT\r\n');
  const expected: Seen[] = [
    { type: 'line', text: 'NOOP' },
    { type: 'line', text: 'RSET' },
    { type: 'line', text: 'QUIT' },
  ];

  it('splits lines given whole', () => {
    expect(readAll([input], strict)).toEqual(expected);
  });

  it('splits lines given byte by byte', () => {
    expect(readAll(byteByByte(input), strict)).toEqual(expected);
  });

  it('gives the same lines for every two-way split', () => {
    for (const split of allTwoWaySplits(input)) expect(readAll(split, strict)).toEqual(expected);
  });

  it('keeps trailing bytes of an unfinished line until its end arrives', () => {
    const reader = new LineReader(strict);
    reader.push(bytes('NOOP\r\nQU'));
    expect(reader.next()).toMatchObject({ type: 'line' });
    expect(reader.next()).toEqual({ type: 'need-data' });
    expect(reader.bufferedLength).toBe(2);
    reader.push(bytes('IT\r\n'));
    const e = reader.next();
    expect(e.type === 'line' && latin1(e.bytes)).toBe('QUIT');
  });

  it('returns a zero-copy view when the line lies in one chunk', () => {
    const chunk = bytes('NOOP\r\n');
    const reader = new LineReader(strict);
    reader.push(chunk);
    const e = reader.next();
    expect(e.type).toBe('line');
    if (e.type === 'line') expect(e.bytes.buffer).toBe(chunk.buffer);
  });

  // RFC 5321 §4.5.3.1.4: the limit counts the CRLF.
  it('accepts a line of exactly maxLineLength octets with its CRLF and refuses one more', () => {
    const fits = `${'a'.repeat(14)}\r\n`;
    const over = `${'a'.repeat(15)}\r\n`;
    expect(readAll([bytes(fits)], strict)).toEqual([{ type: 'line', text: 'a'.repeat(14) }]);
    expect(readAll([bytes(over)], strict)).toEqual([{ type: 'invalid', fault: 'too-long' }]);
    expect(readAll(byteByByte(bytes(over)), strict)).toEqual([
      { type: 'invalid', fault: 'too-long' },
    ]);
  });

  it('resynchronises after an over-long line', () => {
    const input2 = bytes(`${'x'.repeat(40)}\r\nNOOP\r\n`);
    const want: Seen[] = [
      { type: 'invalid', fault: 'too-long' },
      { type: 'line', text: 'NOOP' },
    ];
    expect(readAll([input2], strict)).toEqual(want);
    expect(readAll(byteByByte(input2), strict)).toEqual(want);
    for (const split of allTwoWaySplits(input2)) expect(readAll(split, strict)).toEqual(want);
  });

  // RFC 5321 §2.3.8: "SMTP client implementations MUST NOT transmit these characters except when
  // they are intended as line terminators". Refused, a bare LF does not end the line: the text
  // after it up to the CRLF belongs to the same refused line, never to a line of its own.
  it('refuses a bare LF by default, up to the CRLF, and accepts it as a line end when asked', () => {
    const lf = bytes('NOOP\nRSET\r\nQUIT\r\n');
    const want: Seen[] = [
      { type: 'invalid', fault: 'bare-lf' },
      { type: 'line', text: 'QUIT' },
    ];
    expect(readAll([lf], strict)).toEqual(want);
    expect(readAll(byteByByte(lf), strict)).toEqual(want);
    for (const split of allTwoWaySplits(lf)) expect(readAll(split, strict)).toEqual(want);
    expect(readAll([lf], { ...strict, bareLf: 'accept' })).toEqual([
      { type: 'line', text: 'NOOP' },
      { type: 'line', text: 'RSET' },
      { type: 'line', text: 'QUIT' },
    ]);
  });

  it('takes a bare LF at the start of a line, or right after a CRLF, as bare', () => {
    expect(readAll([bytes('\nNOOP\r\nQUIT\r\n')], strict)).toEqual([
      { type: 'invalid', fault: 'bare-lf' },
      { type: 'line', text: 'QUIT' },
    ]);
    expect(readAll([bytes('NOOP\r\n\nRSET\r\nQUIT\r\n')], strict)).toEqual([
      { type: 'line', text: 'NOOP' },
      { type: 'invalid', fault: 'bare-lf' },
      { type: 'line', text: 'QUIT' },
    ]);
  });

  it('resynchronises only at a CRLF after an over-long line when bare LFs are refused', () => {
    const input2 = bytes(`${'x'.repeat(40)}\nRSET\r\nNOOP\r\n`);
    const want: Seen[] = [
      { type: 'invalid', fault: 'too-long' },
      { type: 'line', text: 'NOOP' },
    ];
    expect(readAll([input2], strict)).toEqual(want);
    for (const split of allTwoWaySplits(input2)) expect(readAll(split, strict)).toEqual(want);
    expect(readAll([input2], { ...strict, bareLf: 'accept' })).toEqual([
      { type: 'invalid', fault: 'too-long' },
      { type: 'line', text: 'RSET' },
      { type: 'line', text: 'NOOP' },
    ]);
  });

  it('refuses a bare CR by default and keeps it when asked', () => {
    const cr = bytes('NO\rOP\r\n');
    expect(readAll([cr], strict)).toEqual([{ type: 'invalid', fault: 'bare-cr' }]);
    expect(readAll([cr], { ...strict, bareCr: 'accept' })).toEqual([
      { type: 'line', text: 'NO\rOP' },
    ]);
  });

  it('keeps the first octets of a refused line, the same for any chunking', () => {
    const heads = (input: Uint8Array) => {
      const reader = new LineReader(strict);
      const out: string[] = [];
      for (const chunk of byteByByte(input)) {
        reader.push(chunk);
        for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
          if (e.type === 'invalid') out.push(`${e.fault}:${latin1(e.head)}`);
        }
      }
      return out;
    };
    expect(heads(bytes(`250-${'x'.repeat(40)}\r\n`))).toEqual(['too-long:250-']);
    expect(heads(bytes('25\n0 x\r\n'))).toEqual(['bare-lf:25']);
    expect(heads(bytes('250 a\rb\r\n'))).toEqual(['bare-cr:250 ']);
  });

  it('hands back the rest with takeRest and empties itself', () => {
    const reader = new LineReader(strict);
    reader.push(bytes('DATA\r\nSubject: x\r\n'));
    reader.push(bytes('\r\nbody'));
    expect(reader.next()).toMatchObject({ type: 'line' });
    expect(latin1(reader.takeRest())).toBe('Subject: x\r\n\r\nbody');
    expect(reader.bufferedLength).toBe(0);
    expect(reader.next()).toEqual({ type: 'need-data' });
  });

  it('hands back a view of the rest when it lies in one chunk, and reads on afterwards', () => {
    const reader = new LineReader(strict);
    const chunk = bytes('DATA\r\nbody\r\n');
    reader.push(chunk);
    expect(reader.next()).toMatchObject({ type: 'line' });
    const rest = reader.takeRest();
    expect(latin1(rest)).toBe('body\r\n');
    expect(rest.buffer).toBe(chunk.buffer);
    expect(reader.takeRest().length).toBe(0);
    // Emptied, not broken: the next command after the body is read as before.
    reader.push(bytes('QUIT\r\nNO'));
    expect(reader.next()).toMatchObject({ type: 'line' });
    expect(reader.next()).toEqual({ type: 'need-data' });
    reader.push(bytes('OP\r\n'));
    const e = reader.next();
    expect(e.type === 'line' && latin1(e.bytes)).toBe('NOOP');
  });

  it('includes a partial line in takeRest', () => {
    const reader = new LineReader(strict);
    reader.push(bytes('par'));
    expect(reader.next()).toEqual({ type: 'need-data' });
    reader.push(bytes('tial'));
    expect(latin1(reader.takeRest())).toBe('partial');
  });

  it('counts what discardRest throws away', () => {
    const reader = new LineReader(strict);
    reader.push(bytes('STARTTLS\r\nMAIL FROM:<a@b>\r\n'));
    expect(reader.next()).toMatchObject({ type: 'line' });
    expect(reader.discardRest()).toBe('MAIL FROM:<a@b>\r\n'.length);
    expect(reader.next()).toEqual({ type: 'need-data' });
  });

  it('refuses a nonsensical limit as API misuse', () => {
    expect(() => new LineReader({ maxLineLength: 0 })).toThrow(WireError);
    const reader = new LineReader(strict);
    expect(() => {
      reader.maxLineLength = Number.NaN;
    }).toThrow(WireError);
  });

  it('applies a raised limit to the following lines', () => {
    const reader = new LineReader(strict);
    reader.maxLineLength = 64;
    reader.push(bytes(`${'a'.repeat(40)}\r\n`));
    expect(reader.next()).toMatchObject({ type: 'line' });
  });
});
