import { describe, expect, it } from 'vitest';
import { allTwoWaySplits, byteByByte, bytes, whole } from './chunks.js';
import { ehloKeywords, type RawReplyEvent, RawReplyReader, replyStatus } from './raw-reply.js';

function readAll(chunks: readonly Uint8Array[]): RawReplyEvent[] {
  const reader = new RawReplyReader();
  const events: RawReplyEvent[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) events.push(e);
  }
  return events;
}

const EHLO = '250-mx.example\r\n250-SIZE 1000\r\n250 STARTTLS\r\n';
const TWO = `220 mx.example ESMTP\r\n${EHLO}550-5.1.1 no\r\n550 5.1.1 such user\r\n`;

describe('RawReplyReader', () => {
  it('reads multi-line replies whole, byte by byte and split anywhere alike', () => {
    const expected = readAll(whole(bytes(TWO)));
    expect(expected).toEqual([
      {
        type: 'reply',
        reply: { code: 220, lines: ['mx.example ESMTP'], raw: ['220 mx.example ESMTP'] },
      },
      {
        type: 'reply',
        reply: {
          code: 250,
          lines: ['mx.example', 'SIZE 1000', 'STARTTLS'],
          raw: ['250-mx.example', '250-SIZE 1000', '250 STARTTLS'],
        },
      },
      {
        type: 'reply',
        reply: {
          code: 550,
          enhanced: { class: 5, subject: 1, detail: 1 },
          lines: ['no', 'such user'],
          raw: ['550-5.1.1 no', '550 5.1.1 such user'],
        },
      },
    ]);
    expect(readAll(byteByByte(bytes(TWO)))).toEqual(expected);
    for (const split of allTwoWaySplits(bytes(TWO))) expect(readAll(split)).toEqual(expected);
  });

  it('keeps the status in the text when the lines disagree or the class is not the code’s (RFC 2034 §4)', () => {
    const [mixed, wrongClass, bare] = readAll([
      bytes('250-2.0.0 a\r\n250 2.1.0 b\r\n451 5.0.0 x\r\n221\r\n'),
    ]);
    expect(mixed).toEqual({
      type: 'reply',
      reply: { code: 250, lines: ['2.0.0 a', '2.1.0 b'], raw: ['250-2.0.0 a', '250 2.1.0 b'] },
    });
    expect(wrongClass).toMatchObject({ reply: { code: 451, lines: ['5.0.0 x'] } });
    expect(wrongClass?.type === 'reply' && 'enhanced' in wrongClass.reply).toBe(false);
    expect(bare).toEqual({ type: 'reply', reply: { code: 221, lines: [''], raw: ['221'] } });
  });

  it('refuses what a server must never send: bare LF or CR, no code, a code change, NUL', () => {
    const reasons = (text: string) =>
      readAll([bytes(text)]).map((e) => (e.type === 'syntax-error' ? e.reason : e.type));
    expect(reasons('250 ok\nmore\r\n')).toEqual(['bare LF']);
    expect(reasons('250 o\rk\r\n')).toEqual(['bare CR']);
    expect(reasons('hello\r\n')).toEqual(['no reply code']);
    expect(reasons('250x\r\n')).toEqual(['no SP or "-" after the code']);
    expect(reasons('250-a\r\n251 b\r\n')).toEqual(['code 251 inside a 250 reply']);
    expect(reasons('250 a\0\r\n')).toEqual(['NUL']);
  });

  it('decodes UTF-8 per whole line, however the bytes were split', () => {
    const text = '250 caf\u00e9 \u65e5\u672c\r\n';
    expect(readAll(byteByByte(Buffer.from(text, 'utf8')))).toEqual([
      {
        type: 'reply',
        reply: { code: 250, lines: ['caf\u00e9 \u65e5\u672c'], raw: [text.slice(0, -2)] },
      },
    ]);
  });
});

describe('replyStatus, ehloKeywords', () => {
  it('format a status and list EHLO keywords', () => {
    const [ehlo, refusal] = readAll([bytes(`${EHLO}552 5.3.4 too big\r\n`)]).map((e) =>
      e.type === 'reply' ? e.reply : undefined,
    );
    expect(replyStatus(refusal)).toBe('552 5.3.4');
    expect(replyStatus(ehlo)).toBe('250');
    expect(replyStatus(undefined)).toBe('(none)');
    expect(ehlo && ehloKeywords(ehlo)).toEqual(['SIZE', 'STARTTLS']);
  });
});
