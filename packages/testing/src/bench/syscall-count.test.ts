import { describe, expect, it } from 'vitest';
import { startProcess } from '../peers/run-process.js';
import { countSyscalls, parseStraceSummary, straceSkipReason } from './syscall-count.js';

// What strace 6 writes with -c -f -o FILE.
const SUMMARY = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 80.98    1.391292        4459       312        34 futex
  4.30    0.073845          10      7005           write
  2.78    0.047789           7      6005           read
  0.45    0.007758           7      1000       992 shutdown
  0.00    0.000006           2         3           getpid
------ ----------- ----------- --------- --------- ----------------
100.00    1.718168          79     14325      1026 total
`;

describe('parseStraceSummary', () => {
  it('reads the calls of every row, errors or not, and not the total row', () => {
    const r = parseStraceSummary(SUMMARY);
    expect(Object.fromEntries(r.calls)).toEqual({
      futex: 312,
      write: 7005,
      read: 6005,
      shutdown: 1000,
      getpid: 3,
    });
    expect(r.total).toBe(14325);
  });

  it('gives nothing for an empty or foreign text', () => {
    expect(parseStraceSummary('').total).toBe(0);
    expect(
      parseStraceSummary('strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted\n').calls
        .size,
    ).toBe(0);
  });
});

const skip = straceSkipReason();
if (skip !== undefined) console.warn(`skipping countSyscalls: ${skip}`);

describe.skipIf(skip !== undefined)('countSyscalls', () => {
  it('counts the calls a running process makes while the work runs', async () => {
    // A process that writes a line to /dev/null every 10 ms while it is traced.
    const child = startProcess(process.execPath, [
      '-e',
      "const fs = require('node:fs'); const fd = fs.openSync('/dev/null', 'w'); setInterval(() => fs.writeSync(fd, 'x\\n'), 10); setTimeout(() => process.exit(0), 20000);",
    ]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const r = await countSyscalls(
        child.pid,
        10_000,
        () => new Promise((r) => setTimeout(r, 300)),
      );
      expect(r.calls.get('write') ?? 0).toBeGreaterThan(5);
      expect(r.total).toBeGreaterThanOrEqual(r.calls.get('write') ?? 0);
    } finally {
      await child.stop();
    }
  });
});
