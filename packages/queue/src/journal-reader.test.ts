import { allTwoWaySplits, byteByByte, concat } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { JournalReader, type JournalStep } from './journal-reader.js';
import { encodeRecordBytes, HEADER_SIZE, type JournalRecord } from './journal-record.js';
import type { MessageEnvelope } from './queue-store.js';

const envelope: MessageEnvelope = {
  sender: 'a@example.com',
  recipients: [
    { address: 'b@example.net', destination: 'example.net', notify: ['SUCCESS', 'DELAY'] },
    {
      address: 'ü@例え.jp',
      destination: 'xn--r8jz45g.jp',
      orcpt: { addrType: 'utf-8', address: 'ü@例え.jp' },
    },
  ],
  receivedAt: 1_700_000_000_000,
  envid: 'QQ314159',
  ret: 'HDRS',
  smtputf8: true,
  attrs: { helo: 'client.example' },
};
const states = [
  {
    index: 0,
    status: 'pending' as const,
    attempts: 2,
    nextAttemptAt: 5,
    lastReply: { code: 451, enhanced: '4.4.1', text: 'later', remoteMta: 'mx' },
    delayNotified: true as const,
  },
  { index: 1, status: 'delivered' as const, attempts: 1, nextAttemptAt: 1 },
];
const RECORDS: JournalRecord[] = [
  { type: 'chunk', id: 'q1', tag: 7, body: new TextEncoder().encode('Subject: a\r\n') },
  {
    type: 'message',
    id: 'q1',
    tag: 7,
    envelope,
    states,
    bounceRequested: false,
    size: 17,
    body: new TextEncoder().encode('\r\nhi\r\n'),
  },
  { type: 'state', id: 'q1', states, bounceRequested: true },
  { type: 'removed', id: 'q1' },
  {
    type: 'message',
    id: 'q2',
    tag: 0xffffffff,
    envelope,
    states,
    bounceRequested: true,
    size: 0,
    body: new Uint8Array(0),
  },
];

/** Every record the reader returns for these chunks, and how it ended. */
function run(chunks: readonly Uint8Array[]) {
  const reader = new JournalReader();
  const out: { record: JournalRecord; offset: number; bodyOffset: number }[] = [];
  let stop: JournalStep | { kind: 'end' } | undefined;
  for (const c of chunks) {
    reader.push(c);
    for (let step = reader.next(); ; step = reader.next()) {
      if (step.kind === 'record')
        out.push({ record: step.record, offset: step.offset, bodyOffset: step.bodyOffset });
      else {
        if (step.kind === 'invalid') stop = step;
        break;
      }
    }
  }
  return { records: out, end: stop ?? reader.end() };
}

const plain = (r: JournalRecord) =>
  JSON.parse(JSON.stringify(r, (_, v) => (v instanceof Uint8Array ? [...v] : v)));

describe('crc32', () => {
  it('gives the check value of CRC-32/ISO-HDLC and chains', () => {
    const data = new TextEncoder().encode('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('JournalReader', () => {
  const stream = concat(RECORDS.map(encodeRecordBytes));

  it('reads every record back, whole, byte by byte and cut in two anywhere', () => {
    for (const chunks of [[stream], byteByByte(stream), ...allTwoWaySplits(stream)]) {
      const { records, end } = run(chunks);
      expect(records.map((r) => plain(r.record))).toEqual(RECORDS.map(plain));
      expect(end).toEqual({ kind: 'end' });
    }
  });

  it('gives offsets of each record and of its body', () => {
    const { records } = run([stream]);
    let at = 0;
    for (const [i, r] of records.entries()) {
      expect(r.offset).toBe(at);
      const bytes = encodeRecordBytes(RECORDS[i] as JournalRecord);
      const rec = RECORDS[i] as JournalRecord;
      if (rec.type === 'chunk' || rec.type === 'message')
        expect(stream.subarray(r.bodyOffset, r.bodyOffset + rec.body.length)).toEqual(rec.body);
      at += bytes.length;
    }
  });

  it('ignores a torn last record, wherever it is cut', () => {
    const whole = encodeRecordBytes(RECORDS[0] as JournalRecord);
    const last = encodeRecordBytes(RECORDS[1] as JournalRecord);
    for (let cut = 1; cut < last.length; cut++) {
      const torn = concat([whole, last.subarray(0, cut)]);
      for (const chunks of [[torn], byteByByte(torn)]) {
        const { records, end } = run(chunks);
        expect(records.map((r) => plain(r.record))).toEqual([plain(RECORDS[0] as JournalRecord)]);
        expect(end.kind).toBe('invalid');
        if (end.kind === 'invalid') expect(end.offset).toBe(whole.length);
      }
    }
  });

  it('stops at zeros after the data (a preallocated or partly written file)', () => {
    const { records, end } = run([concat([stream, new Uint8Array(4096)])]);
    expect(records.length).toBe(RECORDS.length);
    expect(end).toEqual({ kind: 'invalid', offset: stream.length, reason: 'magic' });
  });

  it('stops at a record whose bytes changed, and reads nothing after it', () => {
    for (let i = 0; i < stream.length; i += 7) {
      const bad = stream.slice();
      bad[i] = (bad[i] as number) ^ 0x40;
      const { records, end } = run([bad]);
      expect(end.kind).toBe('invalid');
      // Every record returned is one that was written, in order.
      expect(records.map((r) => plain(r.record))).toEqual(
        RECORDS.slice(0, records.length).map(plain),
      );
      expect(records.length).toBeLessThan(RECORDS.length);
    }
  });

  it('refuses a length above the maximum before waiting for it', () => {
    const header = encodeRecordBytes({ type: 'removed', id: 'x' }).slice(0, HEADER_SIZE);
    new DataView(header.buffer).setUint32(2, 0xffffffff);
    expect(run([header]).end).toMatchObject({ kind: 'invalid', reason: 'length' });
  });

  it('refuses a checked payload that makes no sense (an envelope without recipients)', () => {
    const bad = encodeRecordBytes({
      type: 'message',
      id: 'q',
      tag: 1,
      envelope: { ...envelope, recipients: [] },
      states: [],
      bounceRequested: false,
      size: 0,
      body: new Uint8Array(0),
    });
    expect(run([bad]).end).toMatchObject({ kind: 'invalid', reason: 'payload' });
  });
});
