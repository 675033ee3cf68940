import { bytes, latin1, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BareLinePolicy, LineReader } from './line-reader.js';

const alphabet = [...'<>:@.,;="\\\r\n ', 'a', 'Z', '0', '9', '-', '\t'];
const protocolText = fc
  .array(fc.constantFrom(...alphabet), { maxLength: 120 })
  .map((cs) => bytes(cs.join('')));
const anyBytes = fc.uint8Array({ maxLength: 200 });
const input = fc.oneof(protocolText, anyBytes);
const cuts = fc.array(fc.nat({ max: 200 }), { maxLength: 12 });
const policy = fc.constantFrom<BareLinePolicy>('reject', 'accept');

function events(
  chunks: readonly Uint8Array[],
  max: number,
  bareLf: BareLinePolicy,
  bareCr: BareLinePolicy,
) {
  const reader = new LineReader({ maxLineLength: max, bareLf, bareCr });
  const out: string[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
      out.push(e.type === 'line' ? `line:${latin1(e.bytes)}` : `invalid:${e.fault}`);
    }
  }
  return { out, rest: latin1(reader.takeRest()) };
}

describe('LineReader properties', () => {
  it('gives the same events and rest whatever the chunking', () => {
    fc.assert(
      fc.property(
        input,
        cuts,
        fc.integer({ min: 3, max: 40 }),
        policy,
        policy,
        (data, at, max, lf, cr) => {
          const whole = events([data], max, lf, cr);
          expect(events(splitAt(data, at), max, lf, cr)).toEqual(whole);
        },
      ),
    );
  });

  it('never yields a line longer than the limit, and never buffers more than it', () => {
    fc.assert(
      fc.property(input, cuts, fc.integer({ min: 3, max: 40 }), (data, at, max) => {
        const reader = new LineReader({ maxLineLength: max, bareLf: 'accept', bareCr: 'accept' });
        for (const chunk of splitAt(data, at)) {
          reader.push(chunk);
          for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
            if (e.type === 'line') expect(e.bytes.length).toBeLessThan(max);
          }
          expect(reader.bufferedLength).toBeLessThan(max);
        }
      }),
    );
  });

  it('loses no byte: lines plus terminators plus rest rebuild the input when nothing is refused', () => {
    fc.assert(
      fc.property(protocolText, cuts, (data, at) => {
        const reader = new LineReader({ maxLineLength: 1000, bareLf: 'accept', bareCr: 'accept' });
        let rebuilt = '';
        const text = latin1(data);
        for (const chunk of splitAt(data, at)) {
          reader.push(chunk);
          for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
            if (e.type !== 'line') throw new Error('unexpected refusal');
            const line = latin1(e.bytes);
            rebuilt += line;
            rebuilt += text.startsWith(`${line}\r\n`, rebuilt.length - line.length) ? '\r\n' : '\n';
          }
        }
        expect(rebuilt + latin1(reader.takeRest())).toBe(text);
      }),
    );
  });
});
