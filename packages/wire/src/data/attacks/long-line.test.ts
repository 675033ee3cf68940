import { byteByByte, bytes, concat } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { DataDecoder } from '../data-decoder.js';
import { runDecoder } from '../run-decoder.js';

// RFC 5321 §4.5.3.1.6: "The maximum total length of a text line including the <CRLF> is 1000
// octets (not counting the leading dot duplicated for transparency)." A peer that never sends a
// line end must neither grow memory nor hide the end of the data.
describe('DATA: over-long text lines', () => {
  it('reports the first long line once and still finds the terminator after it', () => {
    const long = new Uint8Array(5000).fill(0x78);
    const wire = concat([long, bytes('\r\n'), long, bytes('\r\n.\r\nQUIT\r\n')]);
    for (const chunks of [[wire], byteByByte(wire)]) {
      const run = runDecoder(chunks);
      expect(run.done).toBe(true);
      expect(run.violations).toEqual([{ kind: 'line-too-long', offset: 0 }]);
      expect(run.rest).toEqual([...bytes('QUIT\r\n')]);
      expect(run.body.length).toBe(10004);
    }
  });

  it('answers 554 5.6.0 for it after the terminator', () => {
    const decoder = new DataDecoder();
    decoder.push(concat([new Uint8Array(1001).fill(0x78), bytes('\r\n.\r\n')]));
    expect(decoder.done).toBe(true);
    expect(decoder.error?.code).toBe('ERR_WIRE_LINE_TOO_LONG');
    expect(decoder.error?.reply?.code).toBe(554);
  });

  it('accepts a line of exactly 1000 octets with its CRLF, and a stuffed one of 1001 on the wire', () => {
    const exact = concat([new Uint8Array(998).fill(0x78), bytes('\r\n')]); // 1000
    const stuffed = concat([bytes('.'), new Uint8Array(998).fill(0x2e), bytes('\r\n')]); // 1001 on the wire
    const run = runDecoder([concat([exact, stuffed, bytes('.\r\n')])]);
    expect(run.done).toBe(true);
    expect(run.violations).toEqual([]);
  });
});
