import { describe, expect, it } from 'vitest';
import { PeerError } from './peer-error.js';
import { startSmtpSink, smtpSinkSkipReason } from './smtp-sink.js';
import {
  parseSmtpSourceCounter,
  runSmtpSource,
  smtpSourceArgs,
  smtpSourceSkipReason,
} from './smtp-source.js';
import { useCaptureServer } from './test-support.js';

const skip = smtpSourceSkipReason() ?? smtpSinkSkipReason();

describe('parseSmtpSourceCounter', () => {
  it('reads the last value of the -c counter', () => {
    expect(parseSmtpSourceCounter('1\r2\r3\r\n')).toBe(3);
    expect(parseSmtpSourceCounter('')).toBe(0);
    expect(parseSmtpSourceCounter('1\r2\rsmtp-source: fatal: x\n')).toBe(2);
  });
});

describe('smtpSourceArgs', () => {
  it('maps options to -s -m -l -f -t, -d for kept connections, host:port last', () => {
    const args = smtpSourceArgs({
      port: 2525,
      sessions: 20,
      messages: 2000,
      size: 100,
      keepConnection: true,
      timeoutMs: 1,
    });
    expect(args.slice(args.indexOf('-s'), args.indexOf('-s') + 2)).toEqual(['-s', '20']);
    expect(args.slice(args.indexOf('-m'), args.indexOf('-m') + 2)).toEqual(['-m', '2000']);
    expect(args.slice(args.indexOf('-l'), args.indexOf('-l') + 2)).toEqual(['-l', '100']);
    expect(args).toContain('-d');
    expect(args.at(-1)).toBe('127.0.0.1:2525');
  });

  it('refuses a zero session count as API misuse', () => {
    expect(() => smtpSourceArgs({ port: 1, sessions: 0, timeoutMs: 1 })).toThrow(PeerError);
  });
});

describe.skipIf(skip !== undefined)('runSmtpSource against real servers', () => {
  const capture = useCaptureServer();

  it('delivers every message, of the asked payload size, to a capture server', async () => {
    const s = capture.server();
    const n = s.messages.length;
    const r = await runSmtpSource({
      port: s.port,
      sessions: 2,
      messages: 6,
      size: 300,
      timeoutMs: 20_000,
    });
    expect(r.messages).toBe(6);
    const got = (await s.waitForMessages(n + 6, 10_000)).slice(n);
    expect(got).toHaveLength(6);
    for (const m of got) {
      expect(m.mailCommand).toBe('MAIL FROM:<source@example.com>');
      expect(m.rcptCommands).toEqual(['RCPT TO:<sink@example.com>']);
      // -l counts payload bytes only; the header block comes first, separated by an empty line.
      const body = m.data.subarray(m.data.indexOf('\r\n\r\n') + 4);
      expect(body.length).toBeGreaterThanOrEqual(300);
      expect(body.length).toBeLessThan(300 + 300 / 2);
    }
  });

  it('drives smtp-sink, sequentially and over kept connections', async () => {
    const sink = await startSmtpSink();
    try {
      const a = await runSmtpSource({ port: sink.port, messages: 50, timeoutMs: 20_000 });
      const b = await runSmtpSource({
        port: sink.port,
        sessions: 5,
        messages: 200,
        keepConnection: true,
        timeoutMs: 20_000,
      });
      expect(a.messages).toBe(50);
      expect(b.messages).toBe(200);
      expect(b.elapsedMs).toBeGreaterThan(0);
    } finally {
      await sink.stop();
    }
    // stopped by PID: the process is gone
    expect(() => process.kill(sink.pid, 0)).toThrow();
  });

  it('fails with ERR_PEER_EXIT when nothing listens', async () => {
    const { freePort } = await import('./free-port.js');
    await expect(
      runSmtpSource({ port: await freePort(), timeoutMs: 10_000 }),
    ).rejects.toMatchObject({
      code: 'ERR_PEER_EXIT',
    });
  });
});
