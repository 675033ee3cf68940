// The crash-safety test is only as good as its checks: a copy cut anywhere or changed anywhere
// must not pass for intact, and the tally must count what it says it counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCrashCopy, makeCrashMessage } from './crash-message.js';
import { tallyDeliveries } from './delivery-tally.js';
import type { DeliveredCopy } from './recording-receiver.js';
import { seededRandom } from './seeded-random.js';

const TRACE = Buffer.from(
  'Return-Path: <loadgen@client.test>\r\nDelivered-To: user1@local.test\r\nReceived: from client.example\r\n',
);

describe('crash messages', () => {
  it('are the same for the same seed, and pass intact behind the fields an MTA adds', () => {
    const a = makeCrashMessage(seededRandom(5), 'x-1', ['user1@local.test'], 5000);
    const b = makeCrashMessage(seededRandom(5), 'x-1', ['user1@local.test'], 5000);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.length).toBeGreaterThanOrEqual(5000);
    expect(checkCrashCopy(Buffer.concat([TRACE, a.bytes]))).toEqual({ kind: 'intact', id: 'x-1' });
  });

  it('hold lines that need dot-stuffing and none longer than 998 octets', () => {
    const { bytes } = makeCrashMessage(seededRandom(9), 'x-2', ['a@local.test'], 100_000);
    const lines = bytes.toString('latin1').split('\r\n');
    expect(lines.some((l) => l.startsWith('.'))).toBe(true);
    expect(lines.includes('.')).toBe(true);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
  });

  it('a copy cut anywhere is never intact', () => {
    const { bytes } = makeCrashMessage(seededRandom(3), 'x-3', ['a@local.test'], 3000);
    const copy = Buffer.concat([TRACE, bytes]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: copy.length - 1 }), (cut) => {
        expect(checkCrashCopy(copy.subarray(0, cut)).kind).not.toBe('intact');
      }),
    );
  });

  it('a copy with any octet of its body changed, or one added, is damaged', () => {
    const { bytes } = makeCrashMessage(seededRandom(4), 'x-4', ['a@local.test'], 3000);
    const bodyStart = bytes.indexOf('\r\n\r\n') + 4;
    fc.assert(
      fc.property(
        fc.integer({ min: bodyStart, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const changed = Buffer.from(bytes);
          changed[at] = (changed[at] as number) ^ xor;
          expect(checkCrashCopy(changed)).toMatchObject({ kind: 'damaged', id: 'x-4' });
        },
      ),
    );
    expect(checkCrashCopy(Buffer.concat([bytes, Buffer.from('\r\n')])).kind).toBe('damaged');
  });

  it('a message without the id is foreign (a DSN)', () => {
    expect(checkCrashCopy(Buffer.from('Subject: Undelivered\r\n\r\nsorry\r\n')).kind).toBe(
      'foreign',
    );
  });
});

describe('tallyDeliveries', () => {
  const copy = (id: string, recipient: string, at: number, kind = 'intact'): DeliveredCopy => ({
    recipient,
    where: 'relay',
    at,
    check:
      kind === 'intact'
        ? { kind: 'intact', id }
        : { kind: 'damaged', id, reason: 'digest differs' },
  });

  it('counts missing, damaged, duplicates with their window, unacknowledged and stray copies, and delivered probes', () => {
    const tally = tallyDeliveries({
      acknowledged: new Map([
        ['m1', ['a@l.test', 'b@r.test']],
        ['m2', ['a@l.test']],
        ['m3', ['c@r.test']],
      ]),
      sent: new Set(['m1', 'm2', 'm3', 'm4']),
      probes: new Map([['p1', ['a@l.test']]]),
      copies: [
        copy('m1', 'a@l.test', 1000),
        copy('m1', 'b@r.test', 1000),
        copy('m1', 'b@r.test', 1500),
        copy('m2', 'a@l.test', 1000, 'damaged'),
        copy('m4', 'a@l.test', 1000),
        copy('m9', 'a@l.test', 1000),
        copy('m3', 'x@r.test', 1000),
        copy('p1', 'a@l.test', 1000),
      ],
      kills: [900, 1040],
    });
    expect(tally.acknowledged).toBe(3);
    expect(tally.acknowledgedPairs).toBe(4);
    expect(tally.missing).toEqual(['m2 a@l.test', 'm3 c@r.test']);
    expect(tally.damaged).toHaveLength(1);
    expect(tally.duplicates).toBe(1);
    expect(tally.duplicateWindowMs).toBe(40);
    expect(tally.unacknowledgedDelivered).toBe(1);
    expect(tally.strays).toHaveLength(2);
    expect(tally.probesDelivered).toEqual(['p1 a@l.test at relay']);
  });
});
