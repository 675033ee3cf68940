import { allTwoWaySplits, byteByByte, bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { type ReplyEvent, ReplyReader, type ReplyReaderOptions } from './reply-reader.js';

function readAll(chunks: readonly Uint8Array[], options?: ReplyReaderOptions): ReplyEvent[] {
  const reader = new ReplyReader(options);
  const out: ReplyEvent[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) out.push(e);
  }
  return out;
}

const codes = (events: ReplyEvent[]) =>
  events.map((e) => (e.type === 'reply' ? e.reply.code : e.type === 'error' ? e.code : e.type));

// RFC 5321 §4.2.1 example
const multi = bytes(
  '250-First line\r\n250-Second line\r\n250-234 Text beginning with numbers\r\n250 The last line\r\n',
);
const multiReply = {
  code: 250,
  lines: ['First line', 'Second line', '234 Text beginning with numbers', 'The last line'],
};

describe('ReplyReader', () => {
  it('reads a multi-line reply whole, byte by byte and for every two-way split', () => {
    const want = [{ type: 'reply', reply: multiReply }];
    expect(readAll([multi])).toEqual(want);
    expect(readAll(byteByByte(multi))).toEqual(want);
    for (const split of allTwoWaySplits(multi)) expect(readAll(split)).toEqual(want);
  });

  it('keeps trailing bytes of the next reply', () => {
    const reader = new ReplyReader();
    reader.push(bytes('220 ready\r\n250-a'));
    expect(reader.next()).toMatchObject({ type: 'reply', reply: { code: 220 } });
    expect(reader.next()).toEqual({ type: 'need-data' });
    reader.push(bytes('\r\n250 b\r\n'));
    expect(reader.next()).toEqual({ type: 'reply', reply: { code: 250, lines: ['a', 'b'] } });
  });

  it('reads pipelined replies in order (RFC 2920)', () => {
    const input = bytes(
      '250 2.1.0 Sender ok\r\n550 5.1.1 No such user\r\n250 2.1.5 Recipient ok\r\n354 Go ahead\r\n',
    );
    expect(codes(readAll([input]))).toEqual([250, 550, 250, 354]);
  });

  // RFC 2034 §4: the enhanced code starts the text of every line.
  it('strips an enhanced status code that every line carries', () => {
    const [e] = readAll([bytes('551-5.7.1 Forwarding disabled\r\n551 5.7.1 Use another host\r\n')]);
    expect(e).toEqual({
      type: 'reply',
      reply: {
        code: 551,
        enhanced: { class: 5, subject: 7, detail: 1 },
        lines: ['Forwarding disabled', 'Use another host'],
      },
    });
  });

  it('keeps lines as sent when the enhanced codes disagree, are missing, or mismatch the class', () => {
    const cases = [
      '250-2.0.0 a\r\n250 2.1.0 b\r\n',
      '250-2.0.0 a\r\n250 b\r\n',
      '250 5.0.0 wrong class\r\n',
      '354 3.0.0 no class 3\r\n',
      '250 2.01.0 leading zero\r\n',
    ];
    for (const c of cases) {
      const [e] = readAll([bytes(c)]);
      expect(e?.type === 'reply' && e.reply.enhanced).toBeUndefined();
    }
  });

  // RFC 5321 §4.2: "the client SHOULD be tolerant of a missing text".
  it('accepts a reply with no text, and an enhanced code with no text', () => {
    expect(readAll([bytes('250\r\n')])).toEqual([
      { type: 'reply', reply: { code: 250, lines: [''] } },
    ]);
    expect(readAll([bytes('250 2.0.0\r\n')])).toEqual([
      {
        type: 'reply',
        reply: { code: 250, enhanced: { class: 2, subject: 0, detail: 0 }, lines: [''] },
      },
    ]);
  });

  it('refuses lines that are not replies, and mismatched codes, then reads the next reply', () => {
    expect(codes(readAll([bytes('hello\r\n220 ok\r\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX', 220]);
    expect(codes(readAll([bytes('25\r\n220 ok\r\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX', 220]);
    expect(codes(readAll([bytes('250x\r\n220 ok\r\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX', 220]);
    expect(codes(readAll([bytes('650 no\r\n220 ok\r\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX', 220]);
    expect(codes(readAll([bytes('250-a\r\n251-b\r\n251 c\r\n220 ok\r\n')]))).toEqual([
      'ERR_WIRE_REPLY_CODE_MISMATCH',
      220,
    ]);
    expect(codes(readAll([bytes('250-a\r\nnot a reply\r\n250 c\r\n220 ok\r\n')]))).toEqual([
      'ERR_WIRE_REPLY_SYNTAX',
      220,
    ]);
  });

  it('refuses NUL and bare CR in reply text', () => {
    expect(codes(readAll([bytes('250 a\0b\r\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX']);
    expect(codes(readAll([bytes('250 a\rb\r\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX']);
  });

  // RFC 5321 §2.3.8 / §4.2: a reply line ends with CRLF. A bare LF inside one refuses the reply
  // (a peer fault); the text after it is never read as a reply line of its own.
  it('refuses a reply with a bare LF in a line, and never reads the text after it as a reply', () => {
    const input = bytes('250 ok\n550 5.1.1 fake\r\n220 next\r\n');
    const want = ['ERR_WIRE_REPLY_SYNTAX', 220];
    expect(codes(readAll([input]))).toEqual(want);
    expect(codes(readAll(byteByByte(input)))).toEqual(want);
    for (const split of allTwoWaySplits(input)) expect(codes(readAll(split))).toEqual(want);
    expect(codes(readAll([bytes('250-a\n250 b\r\n250 c\r\n220 next\r\n')]))).toEqual(want);
    expect(codes(readAll([bytes('250 b\n')]))).toEqual(['ERR_WIRE_REPLY_SYNTAX']);
  });

  it('refuses a reply with a bare CR in a line, and never reads the text after it as a reply', () => {
    const input = bytes('250 ok\r550 5.1.1 fake\r\n220 next\r\n');
    expect(codes(readAll([input]))).toEqual(['ERR_WIRE_REPLY_SYNTAX', 220]);
    expect(codes(readAll(byteByByte(input)))).toEqual(['ERR_WIRE_REPLY_SYNTAX', 220]);
  });

  it('takes a bare LF as a line end only when asked (bareLf: accept)', () => {
    expect(codes(readAll([bytes('250-a\n250 b\n')], { bareLf: 'accept' }))).toEqual([250]);
    expect(codes(readAll([bytes('250 ok\n550 fake\r\n')], { bareLf: 'accept' }))).toEqual([
      250, 550,
    ]);
  });

  // RFC 5321 §4.2.1: the lines of a reply run up to the one with SP after the code. A refused line
  // drops its reply; the reader skips what is left of that reply, and no more.
  describe('after a refused line', () => {
    const after = (input: string, want: unknown[]) => {
      const data = bytes(input);
      expect(codes(readAll([data]))).toEqual(want);
      expect(codes(readAll(byteByByte(data)))).toEqual(want);
      for (const split of allTwoWaySplits(data)) expect(codes(readAll(split))).toEqual(want);
    };
    const long = 'x'.repeat(3000);

    it('skips the rest of the reply when the refused line is in the middle', () => {
      after('250-a\r\n250-b\0\r\n250 c\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
      after(`250-a\r\n250-${long}\r\n250 c\r\n220 ok\r\n`, ['ERR_WIRE_REPLY_LINE_TOO_LONG', 220]);
      after('250-a\r\n250-b\rc\r\n250 c\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
    });

    it('reads the next reply when the refused line was the last one of a multi-line reply', () => {
      after('250-a\r\n250 b\0\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
      after(`250-a\r\n250 ${long}\r\n220 ok\r\n`, ['ERR_WIRE_REPLY_LINE_TOO_LONG', 220]);
      after('250-a\r\n250 b\rc\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
      after('250-a\r\n250 b\nc\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
      after('250-a\r\n250-b\r\n250 c\0\r\n250 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 250]);
    });

    it('skips the rest of a reply whose first line is refused', () => {
      after('250-a\0\r\n250 b\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
      after('250 a\0\r\n220 ok\r\n', ['ERR_WIRE_REPLY_SYNTAX', 220]);
    });

    it('reports one error per reply, however many of its lines are refused', () => {
      after('250-a\r\nnot a reply\r\n250-b\0\r\n250 c\r\n220 ok\r\n', [
        'ERR_WIRE_REPLY_SYNTAX',
        220,
      ]);
    });
  });

  it('bounds the line length (named option)', () => {
    const long = bytes(`250 ${'x'.repeat(3000)}\r\n220 ok\r\n`);
    expect(codes(readAll([long]))).toEqual(['ERR_WIRE_REPLY_LINE_TOO_LONG', 220]);
    expect(codes(readAll([long], { maxLineLength: 4096 }))).toEqual([250, 220]);
  });

  it('bounds the line count (named option) and skips the rest of that reply', () => {
    const input = bytes(`${'250-x\r\n'.repeat(10)}250 end\r\n221 bye\r\n`);
    expect(codes(readAll([input], { maxLines: 5 }))).toEqual([
      'ERR_WIRE_REPLY_TOO_MANY_LINES',
      221,
    ]);
    expect(codes(readAll([input], { maxLines: 11 }))).toEqual([250, 221]);
  });

  it('decodes non-UTF-8 text with replacement characters rather than failing', () => {
    const [e] = readAll([new Uint8Array([0x32, 0x35, 0x30, 0x20, 0xe9, 0x0d, 0x0a])]);
    expect(e?.type === 'reply' && e.reply.lines).toEqual(['\ufffd']);
  });

  it('hands back or discards the rest', () => {
    const reader = new ReplyReader();
    reader.push(bytes('220 go\r\n250 x\r\n'));
    expect(reader.next().type).toBe('reply');
    expect(reader.bufferedLength).toBe(7);
    expect(new TextDecoder().decode(reader.takeRest())).toBe('250 x\r\n');
    reader.push(bytes('250 y\r\n'));
    expect(reader.discardRest()).toBe(7);
    expect(reader.next()).toEqual({ type: 'need-data' });
  });

  it('refuses a nonsensical maxLines as API misuse', () => {
    expect(() => new ReplyReader({ maxLines: 0 })).toThrow(/maxLines/);
  });
});
