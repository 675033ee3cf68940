import { byteByByte, bytes, concat, latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { BdatReader } from '../bdat-reader.js';

// A server that refuses a BDAT command (bad sequence, too big, no valid recipient) must still read
// its chunk: RFC 3030 §2 "The message data is sent immediately after the trailing <CR> <LF> of the
// BDAT command line", whatever the reply. Reading the chunk as commands would let message data
// that looks like commands ("RCPT TO:...", "QUIT") be executed: a smuggling path of its own.
describe('BDAT: a rejected chunk is still consumed', () => {
  const chunk = bytes('RCPT TO:<victim@example.net>\r\nDATA\r\n.\r\n');
  const wire = concat([chunk, bytes('RSET\r\n')]);

  it('skips exactly the announced octets and hands back the next command, however it arrives', () => {
    for (const chunks of [[wire], byteByByte(wire)]) {
      const reader = new BdatReader(chunk.length);
      let rest = '';
      let dropped = 0;
      for (const piece of chunks) {
        if (reader.done) {
          rest += latin1(piece);
          continue;
        }
        const r = reader.push(piece);
        dropped += r.chunk.length; // a rejected chunk: count it, keep nothing
        if (r.done) rest += latin1(r.rest as Uint8Array);
      }
      expect(dropped).toBe(chunk.length);
      expect(rest).toBe('RSET\r\n');
    }
  });

  it('treats a CRLF.CRLF inside a chunk as data, not as an end marker', () => {
    const reader = new BdatReader(chunk.length);
    const r = reader.push(wire);
    expect(latin1(r.chunk)).toBe(latin1(chunk));
    expect(latin1(r.rest as Uint8Array)).toBe('RSET\r\n');
  });
});
