import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerError } from '../peers/peer-error.js';
import { smtpSinkSkipReason } from '../peers/smtp-sink.js';
import { smtpSourceSkipReason } from '../peers/smtp-source.js';
import { pinProcess } from './cpu-placement.js';
import { measureIdleConnectionMemory } from './idle-connection-memory.js';
import { runPipelinedLoad } from './pipelined-load.js';
import { childPids, measureProcessCpu } from './process-cpu.js';
import { runSmtpLoad } from './run-smtp-load.js';
import {
  harakaSkipReason,
  type RunningServer,
  smtpServerSkipReason,
  startHarakaSink,
  startSmtpServerSink,
  startSmtpSinkServer,
} from './server-launchers.js';

const postfixSkip = smtpSourceSkipReason() ?? smtpSinkSkipReason();

/** The `Cpus_allowed_list` of a process (/proc/PID/status). */
function allowedCpus(pid: number): string | undefined {
  return /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
}

describe('runSmtpLoad argument checks', () => {
  it('refuses counts below one as API misuse', async () => {
    await expect(
      runSmtpLoad({
        port: 1,
        sessions: 0,
        messagesPerSession: 1,
        messageSize: 10,
        totalMessages: 1,
        timeoutMs: 1000,
      }),
    ).rejects.toBeInstanceOf(PeerError);
  });
});

describe.skipIf(postfixSkip !== undefined)('harness against smtp-sink', () => {
  let sink: RunningServer;
  beforeAll(async () => {
    sink = await startSmtpSinkServer();
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('one message per connection, in parallel sessions', async () => {
    const r = await runSmtpLoad({
      port: sink.port,
      sessions: 4,
      messagesPerSession: 1,
      messageSize: 1024,
      totalMessages: 40,
      timeoutMs: 20_000,
    });
    expect(r.messages).toBe(40);
    expect(r.rounds).toBe(1);
    expect(r.rate).toBeCloseTo(r.messages / r.seconds);
  });

  it('many messages per connection run in rounds of sessions × messagesPerSession', async () => {
    const r = await runSmtpLoad({
      port: sink.port,
      sessions: 2,
      messagesPerSession: 10,
      messageSize: 100,
      totalMessages: 100,
      timeoutMs: 20_000,
    });
    expect(r.messages).toBe(100);
    expect(r.rounds).toBe(5);
  });

  it('places the load generator and the server where it is told (taskset)', async () => {
    pinProcess(sink.pid, '0');
    try {
      expect(allowedCpus(sink.pid)).toBe('0');
      const r = await runSmtpLoad({
        port: sink.port,
        sessions: 1,
        messagesPerSession: 10,
        messageSize: 100,
        totalMessages: 20,
        timeoutMs: 20_000,
        cpus: '0',
      });
      expect(r.messages).toBe(20);
    } finally {
      pinProcess(sink.pid, `0-${cpus().length - 1}`);
    }
    expect(allowedCpus(sink.pid)).toBe(cpus().length === 1 ? '0' : `0-${cpus().length - 1}`);
  });

  it('server CPU readings bracket a load', async () => {
    const before = measureProcessCpu(sink.pid);
    await runSmtpLoad({
      port: sink.port,
      sessions: 1,
      messagesPerSession: 1,
      messageSize: 1024,
      totalMessages: 20,
      timeoutMs: 20_000,
    });
    expect(measureProcessCpu(sink.pid).totalMs).toBeGreaterThanOrEqual(before.totalMs);
  });

  it('holds idle connections that read the banner, and closes them all', async () => {
    const m = await measureIdleConnectionMemory({
      port: sink.port,
      pid: sink.pid,
      connections: 50,
      timeoutMs: 10_000,
      settleMs: 50,
    });
    expect(m.connections).toBe(50);
    expect(m.rssBeforeKb).toBeGreaterThan(0);
    expect(Number.isFinite(m.kbPerConnection)).toBe(true);
    // After the sockets closed the sink still serves.
    const r = await runSmtpLoad({
      port: sink.port,
      sessions: 1,
      messagesPerSession: 1,
      messageSize: 10,
      totalMessages: 1,
      timeoutMs: 10_000,
    });
    expect(r.messages).toBe(1);
  });

  it('a pipelined load: groups of MAIL, RCPT, DATA, connections of N messages', async () => {
    const r = await runPipelinedLoad({
      port: sink.port,
      sessions: 3,
      messagesPerSession: 4,
      messageSize: 1024,
      totalMessages: 30,
      timeoutMs: 20_000,
    });
    expect(r.messages).toBe(30);
    // 30 messages, 4 per connection: 7 connections of 4 and one of 2.
    expect(r.connections).toBe(8);
    expect(r.rate).toBeCloseTo(r.messages / r.seconds);
    await expect(
      runPipelinedLoad({
        port: sink.port,
        sessions: 1,
        messagesPerSession: 1,
        messageSize: 0,
        totalMessages: 1,
        timeoutMs: 1000,
      }),
    ).rejects.toMatchObject({ code: 'ERR_PEER_USAGE' });
  });

  it('refuses more than 5,000 idle connections', async () => {
    await expect(
      measureIdleConnectionMemory({
        port: sink.port,
        pid: sink.pid,
        connections: 5001,
        timeoutMs: 1000,
      }),
    ).rejects.toMatchObject({ code: 'ERR_PEER_USAGE' });
  });
});

/**
 * A launched sink is its own single process (no children, so its PID is the one doing the work),
 * takes 20 messages over 2 sessions, and is stopped whatever happens.
 */
async function takesLoadThenStops(s: RunningServer, timeoutMs: number): Promise<void> {
  try {
    expect(s.pid).not.toBe(process.pid);
    expect(childPids(s.pid)).toEqual([]);
    const r = await runSmtpLoad({
      port: s.port,
      sessions: 2,
      messagesPerSession: 5,
      messageSize: 1024,
      totalMessages: 20,
      timeoutMs,
    });
    expect(r.messages).toBe(20);
  } finally {
    await s.stop();
  }
}

describe.skipIf(postfixSkip !== undefined || smtpServerSkipReason() !== undefined)(
  'smtp-server sink',
  () => {
    it('starts as its own process, takes a load, stops by PID', async () => {
      const s = await startSmtpServerSink();
      await takesLoadThenStops(s, 20_000);
      expect((await s.process.exited).exitCode ?? (await s.process.exited).signal).not.toBeNull();
    });

    // One connection per message, one after another: as shipped, each waits 100 ms for its
    // greeting; without the wait, the same 20 connections take a fraction of that.
    it('waits 100 ms before each greeting unless started without the wait', {
      timeout: 30_000,
    }, async () => {
      const load = { sessions: 1, messagesPerSession: 1, messageSize: 100, totalMessages: 20 };
      const shipped = await startSmtpServerSink();
      const noWait = await startSmtpServerSink({ greetingWait: false });
      try {
        expect(shipped.name).toBe('smtp-server');
        expect(noWait.name).toBe('smtp-server no wait');
        const slow = await runSmtpLoad({ port: shipped.port, ...load, timeoutMs: 20_000 });
        const fast = await runSmtpLoad({ port: noWait.port, ...load, timeoutMs: 20_000 });
        expect(slow.seconds).toBeGreaterThanOrEqual(20 * 0.1);
        expect(fast.messages).toBe(20);
        expect(fast.seconds).toBeLessThan(1);
      } finally {
        await shipped.stop();
        await noWait.stop();
      }
    });
  },
);

describe.skipIf(postfixSkip !== undefined || harakaSkipReason() !== undefined)(
  'Haraka sink',
  () => {
    it('is configured in a temp dir, accepts and discards, stops by PID', {
      timeout: 90_000,
    }, async () => {
      // One process (nodes=0): the PID measured is the one doing the work, not a cluster master.
      await takesLoadThenStops(await startHarakaSink(), 30_000);
    });
  },
);
