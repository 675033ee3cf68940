// msmtp (a sendmail-compatible SMTP client) against @smtpkit/server: the message piped to its
// stdin must be stored unchanged (msmtp is configured not to add headers).
import { msmtpSkipReason, opensslSkipReason, runMsmtp } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { expectDelivered, INTEROP, useInteropServers } from './interop-suite.js';

const skip = msmtpSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('msmtp', INTEROP, () => {
  const account = { user: 'msmtp-user', password: 'msmtp-pass' };
  const servers = useInteropServers({
    plain: {},
    withAuth: { tls: true, account },
    lmtp: { lmtp: true },
  });

  it('plain: the stdin message is stored unchanged', async () => {
    const data = asciiMessage('msmtp plain');
    const { message } = await expectDelivered(servers.plain, data, () =>
      runMsmtp({
        port: servers.plain.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        data,
      }),
    );
    expect(message.from).toBe('<sender@example.com>');
  });

  it('STARTTLS and AUTH PLAIN, 8-bit body', async () => {
    const data = eightBitMessage('msmtp auth');
    const { message } = await expectDelivered(servers.withAuth, data, () =>
      runMsmtp({
        port: servers.withAuth.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'starttls',
        auth: { mechanism: 'PLAIN', user: account.user, password: account.password },
        data,
      }),
    );
    expect(message.tls).toBe(true);
    expect(message.user).toBe(account.user);
  });

  it('protocol lmtp', async () => {
    const data = asciiMessage('msmtp lmtp');
    const { message } = await expectDelivered(servers.lmtp, data, () =>
      runMsmtp({
        port: servers.lmtp.port,
        from: 'sender@example.com',
        to: ['one@example.com', 'two@example.com'],
        lmtp: true,
        data,
      }),
    );
    expect(message.greeting).toBe('lhlo');
  });
});
