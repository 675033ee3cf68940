// Attack: a command line split by a bare LF. A reader that ends a line at a bare LF when it
// refuses it, and then frames the text after it as the next command, runs a command the client
// hid behind the LF: `MAIL FROM:<a@b.example><LF>RCPT TO:<victim@example.com><CRLF>` adds a
// recipient to a server that answers the first half with 500. RFC 5321 §2.3.8: "In addition, the
// appearance of "bare" "CR" or "LF" characters in text (i.e., either without the other) has a long
// history of causing problems in mail implementations", and lines end with CRLF only.
import { allTwoWaySplits, byteByByte, bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { type CommandEvent, CommandReader } from '../command-reader.js';

function readAll(chunks: readonly Uint8Array[]): string[] {
  const reader = new CommandReader();
  const out: string[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e: CommandEvent = reader.next(); e.type !== 'need-data'; e = reader.next()) {
      out.push(e.type === 'command' ? `command:${e.command.raw}` : `error:${e.code}`);
    }
  }
  return out;
}

function everyChunking(input: Uint8Array, want: string[]): void {
  expect(readAll([input])).toEqual(want);
  expect(readAll(byteByByte(input))).toEqual(want);
  for (const split of allTwoWaySplits(input)) expect(readAll(split)).toEqual(want);
}

describe('attack: a bare LF or bare CR splitting a command line', () => {
  it('answers NOOP<LF>RSET<CRLF> once and never runs RSET', () => {
    everyChunking(bytes('NOOP\nRSET\r\nQUIT\r\n'), ['error:ERR_WIRE_BARE_LF', 'command:QUIT']);
  });

  it('never reads the RCPT hidden behind a bare LF after MAIL', () => {
    everyChunking(bytes('MAIL FROM:<a@b.example>\nRCPT TO:<victim@example.com>\r\nNOOP\r\n'), [
      'error:ERR_WIRE_BARE_LF',
      'command:NOOP',
    ]);
  });

  it('takes several bare LFs up to the CRLF as one refused line', () => {
    everyChunking(bytes('NOOP\nRSET\nDATA\n\nQUIT\r\nNOOP\r\n'), [
      'error:ERR_WIRE_BARE_LF',
      'command:NOOP',
    ]);
  });

  it('never reads the command behind a bare CR', () => {
    everyChunking(bytes('NOOP\rRSET\r\nNOOP\r\n'), ['error:ERR_WIRE_BARE_CR', 'command:NOOP']);
  });

  it('gives one event for an over-long line with a bare LF, and resynchronises at the CRLF', () => {
    const long = `NOOP ${'x'.repeat(600)}\nRSET\r\nQUIT\r\n`;
    everyChunking(bytes(long), ['error:ERR_WIRE_LINE_TOO_LONG', 'command:QUIT']);
    const late = `NOOP\n${'x'.repeat(600)}\nRSET\r\nQUIT\r\n`;
    everyChunking(bytes(late), ['error:ERR_WIRE_BARE_LF', 'command:QUIT']);
  });

  it('drops the refused line as it streams in, keeping nothing buffered', () => {
    const reader = new CommandReader();
    reader.push(bytes('NOOP\n'));
    expect(reader.next()).toMatchObject({ type: 'error', code: 'ERR_WIRE_BARE_LF' });
    const chunk = bytes(`RCPT TO:<victim@example.com>\n${'y'.repeat(4000)}`);
    for (let i = 0; i < 1000; i++) {
      reader.push(chunk);
      expect(reader.next()).toEqual({ type: 'need-data' });
      expect(reader.bufferedLength).toBe(0);
    }
    reader.push(bytes('\r\nQUIT\r\n'));
    const e = reader.next();
    expect(e.type === 'command' && e.command.verb).toBe('QUIT');
  });

  it('still ends a line at a bare LF when told to accept them', () => {
    const reader = new CommandReader({ bareLf: 'accept' });
    reader.push(bytes('NOOP\nRSET\r\n'));
    const verbs: string[] = [];
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
      if (e.type === 'command') verbs.push(e.command.verb);
    }
    expect(verbs).toEqual(['NOOP', 'RSET']);
  });
});
