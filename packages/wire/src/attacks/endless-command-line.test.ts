// Attack: a client sends a command line that never ends. Servers that buffered until the newline
// have run out of memory. RFC 5321 §4.5.3.1.4 limits a command line to 512 octets with its CRLF.
import { bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { CommandReader, DEFAULT_COMMAND_LINE_LENGTH } from '../command-reader.js';
import { LineReader } from '../line-reader.js';

describe('attack: endless command line', () => {
  it('keeps nothing buffered while 64 MiB without a newline stream in', () => {
    const reader = new LineReader({ maxLineLength: DEFAULT_COMMAND_LINE_LENGTH });
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let refusals = 0;
    for (let i = 0; i < 1024; i++) {
      reader.push(chunk);
      for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
        expect(e).toEqual({ type: 'invalid', fault: 'too-long', head: bytes('AAAA') });
        refusals++;
      }
      expect(reader.bufferedLength).toBe(0);
    }
    expect(refusals).toBe(1);
  });

  it('reports one 500 5.5.2 and reads the next command after the CRLF', () => {
    const reader = new CommandReader();
    reader.push(bytes(`NOOP ${'x'.repeat(10_000)}`));
    const first = reader.next();
    expect(first.type).toBe('error');
    if (first.type === 'error') {
      expect(first.code).toBe('ERR_WIRE_LINE_TOO_LONG');
      expect(first.reply.code).toBe(500);
      expect(first.reply.enhanced).toEqual({ class: 5, subject: 5, detail: 2 });
    }
    reader.push(bytes('y'.repeat(10_000)));
    expect(reader.next()).toEqual({ type: 'need-data' });
    expect(reader.bufferedLength).toBe(0);
    reader.push(bytes('zzz\r\nQUIT\r\n'));
    const next = reader.next();
    expect(next.type === 'command' && next.command.verb).toBe('QUIT');
  });

  it('holds at most the limit while a line arrives one byte at a time', () => {
    const reader = new LineReader({ maxLineLength: DEFAULT_COMMAND_LINE_LENGTH });
    const one = bytes('a');
    let maxBuffered = 0;
    for (let i = 0; i < 20_000; i++) {
      reader.push(one);
      reader.next();
      maxBuffered = Math.max(maxBuffered, reader.bufferedLength);
    }
    expect(maxBuffered).toBeLessThan(DEFAULT_COMMAND_LINE_LENGTH);
  });
});
