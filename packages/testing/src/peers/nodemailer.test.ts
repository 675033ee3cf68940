import { describe, expect } from 'vitest';
import type { CapturedMessage } from './capture-smtp-server.js';
import { nodemailerSkipReason, sendWithNodemailer } from './nodemailer.js';
import { itDeliversEach, useCaptureServer } from './test-support.js';

const skip = nodemailerSkipReason();

describe.skipIf(skip !== undefined)('sendWithNodemailer', () => {
  const smtp = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });
  const from = 'a@example.com';
  const to = ['b@example.com'];

  itDeliversEach([
    {
      name: 'sends raw bytes intact with ignoreTLS',
      server: smtp,
      send: (port, data) => sendWithNodemailer({ port, from, to, data }),
      check: (m, info) => {
        expect(info.accepted).toEqual(['b@example.com']);
        expect(m.tls).toBe(false);
      },
    },
    {
      name: 'requireTLS upgrades with STARTTLS',
      server: smtp,
      send: (port, data) => sendWithNodemailer({ port, from, to, data, tls: 'starttls' }),
      check: (m) => expect(m.tls).toBe(true),
    },
    {
      name: 'secure: true speaks TLS from the first byte',
      server: implicit,
      send: (port, data) => sendWithNodemailer({ port, from, to, data, tls: 'implicit' }),
      check: (m) => expect(m.tls).toBe(true),
    },
    ...(['PLAIN', 'LOGIN'] as const).map((mechanism) => ({
      name: `auth ${mechanism}`,
      server: smtp,
      send: (port: number, data: Buffer) =>
        sendWithNodemailer({
          port,
          from,
          to,
          data,
          tls: 'starttls',
          auth: { mechanism, user: 'nu', password: 'np' },
        }),
      check: (m: CapturedMessage) =>
        expect(m.auth).toEqual({ mechanism, user: 'nu', password: 'np' }),
    })),
  ]);
});
