import { concat, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JournalReader } from './journal-reader.js';
import { encodeRecordBytes, type JournalRecord } from './journal-record.js';
import type { RecipientState } from './queue-store.js';

const id = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
const text = fc.string({
  unit: fc.constantFrom('a', 'ü', '例', '"', '\\', '\r', '\n', '<', '>', '@', ' '),
});
const bytes = fc.uint8Array({ maxLength: 300 });
const envelope = fc.record({
  sender: text,
  recipients: fc.array(fc.record({ address: text, destination: text }), {
    minLength: 1,
    maxLength: 4,
  }),
  receivedAt: fc.integer({ min: 0, max: 2 ** 45 }),
});
const record: fc.Arbitrary<JournalRecord> = fc.oneof(
  fc.record({
    type: fc.constant('chunk' as const),
    id,
    tag: fc.nat({ max: 0xffffffff }),
    body: bytes,
  }),
  fc.record({ type: fc.constant('removed' as const), id }),
  fc
    .tuple(id, envelope, bytes, fc.boolean(), fc.nat({ max: 0xffffffff }))
    .map(([i, e, b, bounce, tag]) => ({
      type: 'message' as const,
      id: i,
      tag,
      envelope: e,
      states: e.recipients.map(
        (_, index): RecipientState => ({
          index,
          status: 'pending',
          attempts: index,
          nextAttemptAt: e.receivedAt,
        }),
      ),
      bounceRequested: bounce,
      size: b.length + 5,
      body: b,
    })),
);

function readAll(chunks: readonly Uint8Array[]) {
  const reader = new JournalReader();
  const out: unknown[] = [];
  let invalid = false;
  for (const c of chunks) {
    reader.push(c);
    for (let s = reader.next(); ; s = reader.next()) {
      if (s.kind === 'record') out.push(s.record);
      else {
        invalid ||= s.kind === 'invalid';
        break;
      }
    }
  }
  return { out, end: invalid ? 'invalid' : reader.end().kind };
}

const plain = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_, x) => (x instanceof Uint8Array ? [...x] : x)));

describe('journal records (properties)', () => {
  it('read ∘ encode is the identity, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (records, cuts) => {
          const stream = concat(records.map(encodeRecordBytes));
          const { out, end } = readAll(
            splitAt(
              stream,
              cuts.map((c) => c % (stream.length + 1)),
            ),
          );
          expect(plain(out)).toEqual(plain(records));
          expect(end).toBe('end');
        },
      ),
    );
  });

  it('a stream cut anywhere gives a prefix of its records, never a wrong one', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 5 }), fc.nat(), (records, cut) => {
        const stream = concat(records.map(encodeRecordBytes));
        const { out } = readAll([stream.subarray(0, cut % (stream.length + 1))]);
        expect(plain(out)).toEqual(plain(records.slice(0, out.length)));
      }),
    );
  });

  it('arbitrary bytes never throw and never hang', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const withMagic = chunks.map((c, i) =>
          i === 0 && c.length > 0 ? Uint8Array.of(0x51, ...c) : c,
        );
        expect(() => readAll(withMagic)).not.toThrow();
      }),
    );
  });
});
