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
      out.push(
        e.type === 'line' ? `line:${latin1(e.bytes)}` : `invalid:${e.fault}:${latin1(e.head)}`,
      );
    }
  }
  return { out, rest: latin1(reader.takeRest()) };
}

/**
 * What the reader must report with bare LF refused: each CRLF-line is one event (too long, bare
 * LF, bare CR or a line), and an unfinished line is refused as soon as it holds a bare LF or can
 * no longer fit; otherwise it stays in the rest.
 */
function crlfModel(text: string, max: number, bareCr: BareLinePolicy) {
  const pieces = text.split('\r\n');
  const tail = pieces.pop() as string;
  const out: string[] = [];
  // A refused line keeps its first octets: at most 4, never past a bare LF nor past the limit.
  const head = (line: string, known: number) => line.slice(0, Math.min(4, known));
  const tooLong = (line: string) => `invalid:too-long:${head(line, max)}`;
  const bareLf = (line: string, lf: number) =>
    lf + 1 > max ? tooLong(line) : `invalid:bare-lf:${head(line, lf)}`;
  for (const line of pieces) {
    const lf = line.indexOf('\n');
    if (lf >= 0) out.push(bareLf(line, lf));
    else if (line.length + 2 > max) out.push(tooLong(`${line}\r`));
    else if (bareCr === 'reject' && line.includes('\r')) {
      out.push(`invalid:bare-cr:${head(line, line.length)}`);
    } else out.push(`line:${line}`);
  }
  const lf = tail.indexOf('\n');
  if (lf >= 0) out.push(bareLf(tail, lf));
  else if (tail.length + 1 > max) out.push(tooLong(tail));
  else return { out, rest: tail };
  return { out, rest: '' };
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

  // RFC 5321 §2.3.8: with bare LF refused, only CRLF ends a line. Each CRLF-line gives exactly one
  // event, so the text after a bare LF or bare CR is never framed as a line of its own.
  it('with bare LF refused, gives one event per CRLF-line and never frames text after a bare LF or CR', () => {
    fc.assert(
      fc.property(input, cuts, fc.integer({ min: 3, max: 40 }), policy, (data, at, max, cr) => {
        const got = events(splitAt(data, at), max, 'reject', cr);
        expect(got).toEqual(crlfModel(latin1(data), max, cr));
        const clean = latin1(data)
          .split('\r\n')
          .slice(0, -1)
          .filter((l) => !l.includes('\n') && (cr === 'accept' || !l.includes('\r')));
        for (const e of got.out) {
          if (e.startsWith('line:')) expect(clean).toContain(e.slice('line:'.length));
        }
      }),
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
