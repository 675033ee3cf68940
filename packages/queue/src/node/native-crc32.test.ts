import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../crc32.js';
import { JournalReader } from '../journal-reader.js';
import { encodeRecord, encodeRecordBytes } from '../journal-record.js';
import { nativeCrc32 } from './native-crc32.js';

describe('nativeCrc32', () => {
  it('is CRC-32 (ISO 3309): the check value of "123456789"', () => {
    expect(nativeCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(nativeCrc32(new Uint8Array(0))).toBe(0);
  });

  it('property: equals the codec`s CRC-32 for any bytes, chained through any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.nat(), (data, a, b) => {
        const cut = a % (data.length + 1);
        const previous = b >>> 0;
        expect(nativeCrc32(data)).toBe(crc32(data));
        expect(nativeCrc32(data, previous)).toBe(crc32(data, previous));
        expect(nativeCrc32(data.subarray(cut), nativeCrc32(data.subarray(0, cut)))).toBe(
          crc32(data),
        );
      }),
    );
  });

  it('the journal written with it is byte for byte the one the codec writes, and reads back', () => {
    const record = {
      type: 'chunk' as const,
      id: 'q1',
      tag: 7,
      body: new Uint8Array(100 * 1024).map((_, i) => i & 0xff),
    };
    const native = Buffer.concat(encodeRecord(record, nativeCrc32));
    expect(native).toEqual(Buffer.from(encodeRecordBytes(record)));
    const reader = new JournalReader(0, nativeCrc32);
    reader.push(native);
    expect(reader.next()).toMatchObject({ kind: 'record', record: { id: 'q1', tag: 7 } });
  });
});
