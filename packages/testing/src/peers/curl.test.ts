import { describe, expect, it } from 'vitest';
import { curlArgs, curlSkipReason, runCurl } from './curl.js';
import { sampleMessage, useCaptureServer } from './test-support.js';

const skip = curlSkipReason();

describe.skipIf(skip !== undefined)('runCurl', () => {
  const smtp = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });

  it('sends a message whose bytes arrive intact', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('curl plain');
    await runCurl({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com'],
      data,
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.data.equals(data)).toBe(true);
    expect(m?.mailCommand.startsWith('MAIL FROM:<a@example.com>')).toBe(true);
    expect(m?.rcptCommands).toEqual(['RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']);
  });

  it('--ssl-reqd -k upgrades with STARTTLS', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('curl starttls');
    await runCurl({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data,
      tls: 'starttls',
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.tls).toBe(true);
    expect(m?.data.equals(data)).toBe(true);
  });

  it('smtps:// speaks TLS from the first byte', async () => {
    const s = implicit.server();
    const n = s.messages.length;
    const data = sampleMessage('curl implicit');
    await runCurl({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data,
      tls: 'implicit',
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.tls).toBe(true);
    expect(m?.data.equals(data)).toBe(true);
  });

  it('--user authenticates', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    await runCurl({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data: sampleMessage('curl auth'),
      tls: 'starttls',
      auth: { user: 'cu', password: 'cp' },
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.auth?.user).toBe('cu');
    expect(m?.auth?.password).toBe('cp');
  });

  it('builds smtp:// with --mail-from, one --mail-rcpt per recipient and --upload-file', () => {
    const args = curlArgs(
      { port: 2525, from: 'a@example.com', to: ['b@example.com', 'c@example.com'], data: '' },
      '/m',
    );
    expect(args).toContain('smtp://127.0.0.1:2525');
    expect(args.filter((a) => a === '--mail-rcpt')).toHaveLength(2);
    expect(args.slice(args.indexOf('--upload-file'), args.indexOf('--upload-file') + 2)).toEqual([
      '--upload-file',
      '/m',
    ]);
  });
});
