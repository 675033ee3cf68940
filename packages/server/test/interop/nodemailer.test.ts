// nodemailer's SMTP transport (raw message, so nodemailer does not rebuild it) against
// @smtpkit/server, in plain text and with STARTTLS.
import { nodemailerSkipReason, opensslSkipReason, sendWithNodemailer } from '@smtpkit/testing';
import { describe, expect } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { INTEROP, itDeliversEach, useInteropServers } from './interop-suite.js';

const skip = nodemailerSkipReason() ?? opensslSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);

describe.skipIf(skip !== undefined)('nodemailer', INTEROP, () => {
  const servers = useInteropServers({ plain: {}, secure: { tls: true, implicitTls: true } });
  const from = 'sender@example.com';
  const to = ['rcpt@example.com'];

  itDeliversEach(servers, [
    {
      name: 'plain: the raw message arrives byte for byte',
      server: 'plain',
      data: asciiMessage('nodemailer plain'),
      send: ({ port }, data) =>
        sendWithNodemailer({ port, from, to: ['rcpt@example.com', 'other@example.com'], data }),
      check: (m, info) => {
        expect(info.accepted).toEqual(['rcpt@example.com', 'other@example.com']);
        expect(info.response).toMatch(/^250 /);
        expect(m.to).toEqual(['<rcpt@example.com>', '<other@example.com>']);
      },
    },
    {
      name: 'requireTLS: STARTTLS, then the 8-bit message',
      server: 'secure',
      data: eightBitMessage('nodemailer starttls'),
      send: ({ port }, data) => sendWithNodemailer({ port, from, to, tls: 'starttls', data }),
      check: (m) => expect(m.tls).toBe(true),
    },
    {
      name: 'secure: implicit TLS',
      server: 'secure',
      data: asciiMessage('nodemailer implicit'),
      send: ({ securePort }, data) =>
        sendWithNodemailer({ port: securePort as number, from, to, tls: 'implicit', data }),
      check: (m) => expect(m.tls).toBe(true),
    },
  ]);
});
