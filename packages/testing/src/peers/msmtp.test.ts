import { describe, expect, it } from 'vitest';
import { msmtpConfig, msmtpSkipReason, runMsmtp } from './msmtp.js';
import { PeerError } from './peer-error.js';
import { sampleMessage, useCaptureServer } from './test-support.js';

const skip = msmtpSkipReason();

describe.skipIf(skip !== undefined)('runMsmtp', () => {
  const smtp = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });

  it('sends a message whose bytes arrive intact, no header added', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('msmtp plain');
    await runMsmtp({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com'],
      data,
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.data.equals(data)).toBe(true);
    expect(m?.rcptCommands).toEqual(['RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']);
  });

  it('tls on + tls_starttls on uses STARTTLS; tls_certcheck off accepts the self-signed cert', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('msmtp starttls');
    await runMsmtp({
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

  it('tls_starttls off speaks TLS from the first byte', async () => {
    const s = implicit.server();
    const n = s.messages.length;
    const data = sampleMessage('msmtp implicit');
    await runMsmtp({
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

  it.each(['PLAIN', 'LOGIN'] as const)('auth %s over STARTTLS', async (mechanism) => {
    const s = smtp.server();
    const n = s.messages.length;
    await runMsmtp({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data: sampleMessage(`msmtp ${mechanism}`),
      tls: 'starttls',
      auth: { mechanism, user: 'mu', password: 'mp' },
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.auth).toEqual({ mechanism, user: 'mu', password: 'mp' });
  });

  it('refuses a config value with a line break (it would inject a config line)', () => {
    expect(() =>
      msmtpConfig({ port: 1, from: 'a@example.com\nhost evil', to: ['b@example.com'], data: '' }),
    ).toThrow(PeerError);
  });
});
