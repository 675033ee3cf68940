import { allTwoWaySplits, byteByByte, bytes, latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { type CommandEvent, CommandReader, type CommandReaderOptions } from './command-reader.js';

type Seen = string;

function describeEvent(e: CommandEvent): Seen {
  if (e.type === 'command') return `command:${e.command.verb}:${e.command.raw}`;
  if (e.type === 'error') return `error:${e.code}:${e.reply.code}`;
  return 'need-data';
}

function readAll(chunks: readonly Uint8Array[], options?: CommandReaderOptions): Seen[] {
  const reader = new CommandReader(options);
  const out: Seen[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next())
      out.push(describeEvent(e));
  }
  return out;
}

// RFC 2920 §4 (pipelined client side of the first example)
const pipelined = bytes(
  'MAIL FROM:<mrose@dbc.mtview.ca.us>\r\nRCPT TO:<ned@innosoft.com>\r\nRCPT TO:<dan@innosoft.com>\r\nRCPT TO:<kvc@innosoft.com>\r\nDATA\r\n',
);
const expected = [
  'command:MAIL:MAIL FROM:<mrose@dbc.mtview.ca.us>',
  'command:RCPT:RCPT TO:<ned@innosoft.com>',
  'command:RCPT:RCPT TO:<dan@innosoft.com>',
  'command:RCPT:RCPT TO:<kvc@innosoft.com>',
  'command:DATA:DATA',
];

describe('CommandReader', () => {
  it('yields pipelined commands in order, given whole', () => {
    expect(readAll([pipelined])).toEqual(expected);
  });

  it('yields the same commands byte by byte and for every two-way split', () => {
    expect(readAll(byteByByte(pipelined))).toEqual(expected);
    for (const split of allTwoWaySplits(pipelined)) expect(readAll(split)).toEqual(expected);
  });

  it('stops at DATA so the session can hand the rest to the data reader', () => {
    const reader = new CommandReader();
    reader.push(bytes('DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n'));
    const e = reader.next();
    expect(e.type === 'command' && e.command.verb).toBe('DATA');
    expect(latin1(reader.takeRest())).toBe('Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect(reader.next()).toEqual({ type: 'need-data' });
  });

  it('hands back BDAT bytes untouched, binary included', () => {
    const reader = new CommandReader();
    const payload = new Uint8Array([0, 13, 10, 255, 46, 13, 10]);
    const head = bytes('BDAT 7 LAST\r\n');
    const chunk = new Uint8Array(head.length + payload.length);
    chunk.set(head);
    chunk.set(payload, head.length);
    reader.push(chunk);
    const e = reader.next();
    expect(e.type === 'command' && e.command).toMatchObject({ verb: 'BDAT', size: 7, last: true });
    const rest = reader.takeRest();
    expect([...rest]).toEqual([...payload]);
    expect(rest.buffer).toBe(chunk.buffer); // zero-copy
  });

  it('keeps trailing bytes of a half-sent command', () => {
    const reader = new CommandReader();
    reader.push(bytes('NOOP\r\nRCPT TO:<a@exa'));
    expect(reader.next().type).toBe('command');
    expect(reader.next()).toEqual({ type: 'need-data' });
    reader.push(bytes('mple.com>\r\n'));
    const e = reader.next();
    expect(e.type === 'command' && e.command.verb).toBe('RCPT');
  });

  it('reports errors as events with their reply, and goes on', () => {
    // The bare LF refuses its whole CRLF-line: QUIT behind it is never read (RFC 5321 §2.3.8).
    const input = bytes('BOGUS_\r\nMAIL FROM:<> X=1 X=2\r\nNOOP\nQUIT\r\nRSET\r\nÿ\r\n');
    expect(readAll([input])).toEqual([
      'error:ERR_WIRE_COMMAND_SYNTAX:500',
      'error:ERR_WIRE_PARAMETER_DUPLICATE:501',
      'error:ERR_WIRE_BARE_LF:500',
      'command:RSET:RSET',
      'error:ERR_WIRE_COMMAND_SYNTAX:500',
    ]);
  });

  it('refuses invalid UTF-8 as its own error', () => {
    const reader = new CommandReader();
    reader.push(new Uint8Array([0x4e, 0x4f, 0x4f, 0x50, 0x20, 0xc3, 0x28, 13, 10]));
    expect(reader.next()).toMatchObject({
      type: 'error',
      code: 'ERR_WIRE_INVALID_UTF8',
      reply: { code: 500 },
    });
  });

  it('honours a raised line limit (RFC 1869 §4.1.2) and new parse options', () => {
    const long = bytes(`MAIL FROM:<${'a'.repeat(60)}@example.com> ${'X'.repeat(500)}\r\n`);
    expect(readAll([long])).toEqual(['error:ERR_WIRE_LINE_TOO_LONG:500']);
    const reader = new CommandReader();
    reader.maxLineLength = 1024;
    expect(reader.maxLineLength).toBe(1024);
    reader.push(long);
    expect(reader.next().type).toBe('command');
    reader.setParseOptions({ smtputf8: true });
    reader.push(bytes('RCPT TO:<δ@example.com>\r\n'));
    expect(reader.next().type).toBe('command');
  });

  it('accepts bare LF line ends only when asked', () => {
    expect(readAll([bytes('NOOP\nQUIT\n')], { bareLf: 'accept' })).toEqual([
      'command:NOOP:NOOP',
      'command:QUIT:QUIT',
    ]);
  });
});
