import { bytes, latin1 } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { BdatReader } from './bdat-reader.js';
import { DataDecoder } from './data-decoder.js';
import { DataEncoder } from './data-encoder.js';
import { decodeData } from './decode-data.js';

// The TSDoc examples of the message-data API, checked so that the documentation stays true.
describe('TSDoc examples', () => {
  it('DataDecoder', () => {
    const decoder = new DataDecoder();
    const r = decoder.push(bytes('Hi\r\n..dot\r\n.\r\nQUIT\r\n'));
    expect(r.chunks.map(latin1)).toEqual(['Hi\r\n', '.dot\r\n']);
    expect(r.done).toBe(true);
    expect(latin1(r.rest ?? new Uint8Array(0))).toBe('QUIT\r\n');
    expect(decoder.error).toBeUndefined();
  });

  it('DataEncoder', () => {
    const encoder = new DataEncoder();
    const pieces = [...encoder.push(bytes('.hidden\nline')), ...encoder.end()];
    expect(pieces.map(latin1).join('')).toBe('..hidden\r\nline\r\n.\r\n');
  });

  it('decodeData', () => {
    const r = decodeData(bytes('..x\r\n.\r\nQUIT\r\n'));
    expect(r.complete).toBe(true);
    if (!r.complete) return;
    expect(latin1(r.body)).toBe('.x\r\n');
    expect(latin1(r.rest)).toBe('QUIT\r\n');
    expect(r.violations).toEqual([]);
    expect(decodeData(bytes('no end\r\n'))).toEqual({ complete: false });
  });

  it('BdatReader', () => {
    const reader = new BdatReader(3);
    const a = reader.push(bytes('ab'));
    expect([latin1(a.chunk), a.done]).toEqual(['ab', false]);
    const b = reader.push(bytes('cQUIT\r\n'));
    expect([latin1(b.chunk), b.done, latin1(b.rest ?? new Uint8Array(0))]).toEqual([
      'c',
      true,
      'QUIT\r\n',
    ]);
  });
});
