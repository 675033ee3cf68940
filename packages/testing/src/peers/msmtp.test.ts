import { describe, expect, it } from 'vitest';
import type { CapturedMessage } from './capture-smtp-server.js';
import { msmtpConfig, msmtpSkipReason, runMsmtp } from './msmtp.js';
import { PeerError } from './peer-error.js';
import { itDeliversEach, useCaptureServer } from './test-support.js';

const skip = msmtpSkipReason();

describe.skipIf(skip !== undefined)('runMsmtp', () => {
  const smtp = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });
  const from = 'a@example.com';
  const to = ['b@example.com'];

  itDeliversEach([
    {
      name: 'sends a message whose bytes arrive intact, no header added',
      server: smtp,
      send: (port, data) => runMsmtp({ port, from, to: ['b@example.com', 'c@example.com'], data }),
      check: (m) =>
        expect(m.rcptCommands).toEqual(['RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']),
    },
    {
      name: 'tls on + tls_starttls on uses STARTTLS; tls_certcheck off accepts the self-signed cert',
      server: smtp,
      send: (port, data) => runMsmtp({ port, from, to, data, tls: 'starttls' }),
      check: (m) => expect(m.tls).toBe(true),
    },
    {
      name: 'tls_starttls off speaks TLS from the first byte',
      server: implicit,
      send: (port, data) => runMsmtp({ port, from, to, data, tls: 'implicit' }),
      check: (m) => expect(m.tls).toBe(true),
    },
    ...(['PLAIN', 'LOGIN'] as const).map((mechanism) => ({
      name: `auth ${mechanism} over STARTTLS`,
      server: smtp,
      send: (port: number, data: Buffer) =>
        runMsmtp({
          port,
          from,
          to,
          data,
          tls: 'starttls',
          auth: { mechanism, user: 'mu', password: 'mp' },
        }),
      check: (m: CapturedMessage) =>
        expect(m.auth).toEqual({ mechanism, user: 'mu', password: 'mp' }),
    })),
  ]);

  it('refuses a config value with a line break (it would inject a config line)', () => {
    expect(() =>
      msmtpConfig({ port: 1, from: 'a@example.com\nhost evil', to: ['b@example.com'], data: '' }),
    ).toThrow(PeerError);
  });
});
