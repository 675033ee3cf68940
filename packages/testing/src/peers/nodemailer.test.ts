import { describe, expect, it } from 'vitest';
import { nodemailerSkipReason, sendWithNodemailer } from './nodemailer.js';
import { sampleMessage, useCaptureServer } from './test-support.js';

const skip = nodemailerSkipReason();

describe.skipIf(skip !== undefined)('sendWithNodemailer', () => {
  const smtp = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });

  it('sends raw bytes intact with ignoreTLS', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('nodemailer plain');
    const info = await sendWithNodemailer({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data,
    });
    expect(info.accepted).toEqual(['b@example.com']);
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.tls).toBe(false);
    expect(m?.data.equals(data)).toBe(true);
  });

  it('requireTLS upgrades with STARTTLS', async () => {
    const s = smtp.server();
    const n = s.messages.length;
    const data = sampleMessage('nodemailer starttls');
    await sendWithNodemailer({
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

  it('secure: true speaks TLS from the first byte', async () => {
    const s = implicit.server();
    const n = s.messages.length;
    const data = sampleMessage('nodemailer implicit');
    await sendWithNodemailer({
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

  it.each(['PLAIN', 'LOGIN'] as const)('auth %s', async (mechanism) => {
    const s = smtp.server();
    const n = s.messages.length;
    await sendWithNodemailer({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data: sampleMessage(`nodemailer ${mechanism}`),
      tls: 'starttls',
      auth: { mechanism, user: 'nu', password: 'np' },
    });
    const m = (await s.waitForMessages(n + 1, 10_000))[n];
    expect(m?.auth).toEqual({ mechanism, user: 'nu', password: 'np' });
  });
});
