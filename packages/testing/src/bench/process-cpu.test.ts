import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  childPids,
  clockTicksPerSecond,
  measureProcessCpu,
  measureProcessRssKb,
  measureProcessRunMs,
  parseProcStat,
  parseSchedstatNs,
  parseVmRssKb,
} from './process-cpu.js';

function statLine(comm: string, utime: number, stime: number, cutime = 0, cstime = 0): string {
  // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
  return `4242 (${comm}) S 1 2 3 4 5 6 7 8 9 10 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 33247\n`;
}

describe('parseProcStat', () => {
  it('reads utime and stime (fields 14, 15) in ticks, plus waited-for children', () => {
    const cpu = parseProcStat(statLine('smtp-sink', 3, 8, 1, 1), 100);
    expect(cpu).toEqual({ userMs: 30, systemMs: 80, totalMs: 130 });
  });

  it('counts fields from the last ")" so a command name with spaces and parentheses is harmless', () => {
    expect(parseProcStat(statLine('a) b (c', 7, 0), 100).userMs).toBe(70);
  });

  it('property: any command name and times round-trip', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ab) (:.-_ 1'.split('')), maxLength: 15 }),
        fc.nat({ max: 1e9 }),
        fc.nat({ max: 1e9 }),
        fc.constantFrom(100, 250, 1000),
        (comm, utime, stime, hz) => {
          const cpu = parseProcStat(statLine(comm, utime, stime), hz);
          expect(cpu.userMs).toBeCloseTo((utime * 1000) / hz);
          expect(cpu.systemMs).toBeCloseTo((stime * 1000) / hz);
        },
      ),
    );
  });
});

describe('/proc parsers on arbitrary text', () => {
  it('never throw, and give numbers', () => {
    const alphabet = fc.constantFrom(...'0123456789 ()\t\n:kBVmRS-'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet }), fc.string()), (text) => {
        const cpu = parseProcStat(text, 100);
        expect(Number.isFinite(cpu.totalMs)).toBe(true);
        expect(typeof parseVmRssKb(text)).toBe('number');
      }),
    );
  });
});

describe('parseVmRssKb', () => {
  it('reads the VmRSS line', () => {
    expect(
      parseVmRssKb('Name:\tsmtp-sink\nVmHWM:\t  9000 kB\nVmRSS:\t    8872 kB\nRssAnon:\t 100 kB\n'),
    ).toBe(8872);
  });
  it('is NaN when there is none (zombie, kernel thread)', () => {
    expect(parseVmRssKb('Name:\tx\nState:\tZ (zombie)\n')).toBeNaN();
  });
});

describe('childPids', () => {
  it('finds a child this process spawned, and nothing for it', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn('/bin/sleep', ['30']);
    try {
      expect(childPids(process.pid)).toContain(child.pid);
      expect(childPids(child.pid ?? -1)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('live /proc readings of this process', () => {
  it('clock ticks come from getconf and CPU time never goes backwards', () => {
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
    const a = measureProcessCpu(process.pid);
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += i % 7;
    const b = measureProcessCpu(process.pid);
    expect(x).toBeGreaterThan(0);
    expect(b.totalMs).toBeGreaterThanOrEqual(a.totalMs);
    expect(measureProcessRssKb(process.pid)).toBeGreaterThan(0);
  });
});

describe('parseSchedstatNs', () => {
  it('reads the time on CPU, the first of the three fields', () => {
    expect(parseSchedstatNs('192931 813580 3\n')).toBe(192931);
    expect(parseSchedstatNs('')).toBeNaN();
    expect(parseSchedstatNs('12 x 3')).toBeNaN();
  });
});

describe('measureProcessRunMs', () => {
  it('grows by about the CPU this process spends, to well under a clock tick', () => {
    const before = measureProcessRunMs(process.pid);
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // busy for 30 ms
    }
    const spent = measureProcessRunMs(process.pid) - before;
    expect(spent).toBeGreaterThan(20);
    expect(spent).toBeLessThan(30 + 200);
    expect(Number.isInteger(spent)).toBe(false);
  });
});
