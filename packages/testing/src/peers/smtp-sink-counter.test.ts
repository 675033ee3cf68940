import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smtpSinkSkipReason, startSmtpSink } from './smtp-sink.js';
import { parseSmtpSinkCounter, readSmtpSinkCount } from './smtp-sink-counter.js';
import { runSmtpSource, smtpSourceSkipReason } from './smtp-source.js';

describe('parseSmtpSinkCounter', () => {
  it('reads mesg= of the last record that smtp-sink finished writing', () => {
    expect(parseSmtpSinkCounter('sess=0 quit=0 mesg=1\rsess=1 quit=1 mesg=2\r')).toBe(2);
  });

  it('ignores a record still being written (no \\r after it yet)', () => {
    expect(parseSmtpSinkCounter('sess=0 quit=0 mesg=9\rsess=0 quit=0 mesg=1')).toBe(9);
    expect(parseSmtpSinkCounter('sess=0 quit=0 mesg=9\rsess=0 qu')).toBe(9);
  });

  it('reads a tail that starts in the middle of a record, and a newline at the end', () => {
    expect(parseSmtpSinkCounter('it=3 mesg=41\rsess=4 quit=4 mesg=42\r\n')).toBe(42);
  });

  it('is 0 before the first message', () => {
    expect(parseSmtpSinkCounter('')).toBe(0);
    expect(parseSmtpSinkCounter('sess=1 quit=1 mesg=0\r')).toBe(0);
  });

  it('ends on text that starts with a separator (the property test found a loop there)', () => {
    expect(parseSmtpSinkCounter('\r')).toBe(0);
    expect(parseSmtpSinkCounter('\r\rsess=0 quit=0 mesg=3')).toBe(0);
    expect(parseSmtpSinkCounter('\nmesg=5\r')).toBe(5);
  });
});

describe('readSmtpSinkCount', () => {
  it('reads the end of the counter file only; 0 for a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-counter-'));
    try {
      const file = join(dir, 'counter');
      expect(readSmtpSinkCount(file)).toBe(0);
      const records = Array.from({ length: 5000 }, (_, i) => `sess=${i} quit=${i} mesg=${i + 1}\r`);
      writeFileSync(file, records.join(''));
      expect(readSmtpSinkCount(file)).toBe(5000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const peerMissing = smtpSinkSkipReason() ?? smtpSourceSkipReason();
describe.skipIf(peerMissing !== undefined)('smtp-sink counterFile', () => {
  it('counts the messages smtp-sink received', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-counter-'));
    const counterFile = join(dir, 'counter');
    const sink = await startSmtpSink({ counterFile });
    try {
      await runSmtpSource({ port: sink.port, sessions: 3, messages: 25, timeoutMs: 20_000 });
      const deadline = performance.now() + 5000;
      while (readSmtpSinkCount(counterFile) < 25 && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(readSmtpSinkCount(counterFile)).toBe(25);
    } finally {
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
