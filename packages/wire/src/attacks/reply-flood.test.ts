// Attack: a server (or a man in the middle) answers with an endless multi-line reply. A client
// that gathers every continuation line, or rescans its buffer on each read, runs out of memory or
// time. Replies are bounded in line length and line count, and each byte is scanned once.
import { bytes } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { ReplyReader } from '../reply-reader.js';

describe('attack: reply flood', () => {
  it('refuses a 100,000-line reply once, keeps nothing of it, and reads the next reply', () => {
    const reader = new ReplyReader();
    const block = bytes('250-flood flood flood flood\r\n'.repeat(1000));
    const events: string[] = [];
    for (let i = 0; i < 100; i++) {
      reader.push(block);
      for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
        events.push(e.type === 'error' ? e.code : e.type);
      }
      expect(reader.bufferedLength).toBe(0);
    }
    reader.push(bytes('250 end of flood\r\n221 2.0.0 bye\r\n'));
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
      events.push(e.type === 'error' ? e.code : `${e.reply.code}`);
    }
    expect(events).toEqual(['ERR_WIRE_REPLY_TOO_MANY_LINES', '221']);
  });

  it('reads a 100,000-line reply when the caller allows it, one byte at a time included', () => {
    const reader = new ReplyReader({ maxLines: 100_001 });
    const text = `${'250-x\r\n'.repeat(100_000)}250 done\r\n`;
    const data = bytes(text);
    // 4-byte pieces: a line never arrives whole, so a rescanning reader would be quadratic.
    let reply: number | undefined;
    for (let at = 0; at < data.length; at += 4) {
      reader.push(data.subarray(at, at + 4));
      for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
        if (e.type === 'reply') reply = e.reply.lines.length;
      }
    }
    expect(reply).toBe(100_001);
  });

  it('bounds a single endless reply line', () => {
    const reader = new ReplyReader();
    const chunk = bytes('2'.repeat(65_536));
    let errors = 0;
    for (let i = 0; i < 256; i++) {
      reader.push(chunk);
      for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) errors++;
      expect(reader.bufferedLength).toBe(0);
    }
    expect(errors).toBe(1);
  });
});
