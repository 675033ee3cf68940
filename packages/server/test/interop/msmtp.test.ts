// msmtp (a sendmail-compatible SMTP client) against @smtpkit/server: the message piped to its
// stdin must be stored unchanged (msmtp is configured not to add headers).
import { msmtpSkipReason, opensslSkipReason, runMsmtp } from '@smtpkit/testing';
import { describe, expect } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { INTEROP, itDeliversEach, useInteropServers } from './interop-suite.js';

const skip = msmtpSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('msmtp', INTEROP, () => {
  const account = { user: 'msmtp-user', password: 'msmtp-pass' };
  const servers = useInteropServers({
    plain: {},
    withAuth: { tls: true, account },
    lmtp: { lmtp: true },
  });
  const from = 'sender@example.com';
  const to = ['rcpt@example.com'];

  itDeliversEach(servers, [
    {
      name: 'plain: the stdin message is stored unchanged',
      server: 'plain',
      data: asciiMessage('msmtp plain'),
      send: ({ port }, data) => runMsmtp({ port, from, to, data }),
      check: (m) => expect(m.from).toBe('<sender@example.com>'),
    },
    {
      name: 'STARTTLS and AUTH PLAIN, 8-bit body',
      server: 'withAuth',
      data: eightBitMessage('msmtp auth'),
      send: ({ port }, data) =>
        runMsmtp({
          port,
          from,
          to,
          tls: 'starttls',
          auth: { mechanism: 'PLAIN', user: account.user, password: account.password },
          data,
        }),
      check: (m) => {
        expect(m.tls).toBe(true);
        expect(m.user).toBe(account.user);
      },
    },
    {
      name: 'protocol lmtp',
      server: 'lmtp',
      data: asciiMessage('msmtp lmtp'),
      send: ({ port }, data) =>
        runMsmtp({ port, from, to: ['one@example.com', 'two@example.com'], lmtp: true, data }),
      check: (m) => expect(m.greeting).toBe('lhlo'),
    },
  ]);
});
