// The load mode through the real command line: against Postfix's smtp-sink (bounded counts), and
// against @smtpkit/server, which counts the connections it sees.
import { type RunningServer, smtpSinkSkipReason, startSmtpSink } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivingServer, startReceivingServer } from './receiving-server.js';
import { runCli } from './run-cli.js';

const SUMMARY = /^elapsed_ms=\d+ cpu_ms=\d+$/;

describe.skipIf(smtpSinkSkipReason() !== undefined)('smtpkit-send bench against smtp-sink', () => {
  let sink: RunningServer;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it.each([
    [1024, 1],
    [1024, 20],
    [100 * 1024, 2],
  ])(
    '%i-octet messages, %i in flight: every one accepted, the timings printed',
    async (size, c) => {
      const r = await runCli([
        ...['bench', '--server', `127.0.0.1:${sink.port}`],
        ...['--count', '200', '--size', String(size), '--concurrency', String(c)],
      ]);
      expect([r.status, r.stderr]).toEqual([0, '']);
      expect(r.lines).toEqual([
        'messages=200 accepted=200 refused=0',
        expect.stringMatching(SUMMARY),
      ]);
    },
  );
});

describe('smtpkit-send bench against @smtpkit/server', () => {
  let server: ReceivingServer;
  beforeAll(async () => {
    server = await startReceivingServer({ refuse: ['<nobody@example.com>'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('C connections at most, each replaced after --messages-per-connection', async () => {
    const before = { connections: server.connections, messages: server.messages.length };
    server.peak = 0;
    const r = await runCli([
      ...['bench', '--server', `127.0.0.1:${server.port}`, '--count', '30', '--size', '2000'],
      ...['--concurrency', '3', '--messages-per-connection', '5'],
    ]);
    expect(r.status).toBe(0);
    expect(r.lines[0]).toBe('messages=30 accepted=30 refused=0');
    const stored = server.messages.slice(before.messages);
    expect(stored).toHaveLength(30);
    expect(stored.every((m) => m.body.length === 2000)).toBe(true);
    const perConnection = new Map<string, number>();
    for (const m of stored) perConnection.set(m.session, (perConnection.get(m.session) ?? 0) + 1);
    expect(Math.max(...perConnection.values())).toBe(5);
    expect(server.connections - before.connections).toBeGreaterThanOrEqual(6);
    expect(server.peak).toBeLessThanOrEqual(3);
  });

  it('messages refused: exit 1, the count of refusals and the first reply', async () => {
    const r = await runCli([
      ...['bench', '--server', `127.0.0.1:${server.port}`, '--count', '5'],
      ...['--to', 'nobody@example.com'],
    ]);
    expect(r.status).toBe(1);
    expect(r.lines[0]).toBe('messages=5 accepted=0 refused=5');
    expect(r.lines[1]).toMatch(SUMMARY);
  });

  it('an unreachable server: exit 1, the error once', async () => {
    const r = await runCli(['bench', '--server', '127.0.0.1:1', '--count', '3']);
    expect(r.status).toBe(1);
    expect(r.lines[0]).toBe('messages=3 accepted=0 refused=3');
    expect(r.stderr).toMatch(/^smtpkit-send: bench: cannot connect to 127\.0\.0\.1:1: .*\n$/);
  });
});
