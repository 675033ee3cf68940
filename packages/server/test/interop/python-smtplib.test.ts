// Python's smtplib (the standard library client) against @smtpkit/server: SMTP, SMTPUTF8 with a
// non-ASCII address, BODY=8BITMIME, STARTTLS with AUTH, and LMTP. smtplib dot-stuffs the message
// itself; the stored bytes must equal what it was given.
import { opensslSkipReason, runSmtplib, smtplibSkipReason } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { expectDelivered, INTEROP, useInteropServers } from './interop-suite.js';

const skip = smtplibSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('Python smtplib', INTEROP, () => {
  const account = { user: 'py-user', password: 'py pass' };
  const servers = useInteropServers({
    smtp: {},
    lmtp: { lmtp: true },
    withAuth: { tls: true, account },
  });

  it('sendmail: stores the bytes given', async () => {
    const data = asciiMessage('smtplib plain');
    const { message, result } = await expectDelivered(servers.smtp, data, () =>
      runSmtplib({
        port: servers.smtp.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        data,
      }),
    );
    expect(result.refused).toEqual({});
    expect(message.greeting).toBe('ehlo');
  });

  it('SMTPUTF8 (RFC 6531): a non-ASCII sender and recipient arrive as UTF-8', async () => {
    const data = eightBitMessage('smtplib smtputf8');
    const { message, result } = await expectDelivered(servers.smtp, data, () =>
      runSmtplib({
        port: servers.smtp.port,
        from: 'j\u00f8rgen@b\u00fccher.example',
        to: ['\u7528\u6237@\u4f8b\u5b50.example'],
        smtputf8: true,
        data,
      }),
    );
    expect(result.refused).toEqual({});
    expect(message.from).toBe('<j\u00f8rgen@b\u00fccher.example>');
    expect(message.to).toEqual(['<\u7528\u6237@\u4f8b\u5b50.example>']);
  });

  it('BODY=8BITMIME (RFC 6152): the 8-bit body is stored unchanged', async () => {
    const data = eightBitMessage('smtplib 8bitmime');
    const { result } = await expectDelivered(servers.smtp, data, () =>
      runSmtplib({
        port: servers.smtp.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        mailOptions: ['BODY=8BITMIME'],
        data,
      }),
    );
    expect(result.refused).toEqual({});
  });

  it('starttls() and login() (AUTH over TLS)', async () => {
    const data = asciiMessage('smtplib auth');
    const { message } = await expectDelivered(servers.withAuth, data, () =>
      runSmtplib({
        port: servers.withAuth.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        starttls: true,
        auth: account,
        data,
      }),
    );
    expect(message.tls).toBe(true);
    expect(message.user).toBe(account.user);
  });

  it('smtplib.LMTP: LHLO, one 250 per recipient after DATA (RFC 2033 §4.2)', async () => {
    const data = asciiMessage('smtplib lmtp');
    const to = ['one@example.com', 'two@example.com', 'three@example.com'];
    const { message, result } = await expectDelivered(servers.lmtp, data, () =>
      runSmtplib({ port: servers.lmtp.port, from: 'sender@example.com', to, lmtp: true, data }),
    );
    expect(result.refused).toEqual({});
    expect(result.lmtpReplies.map(([code]) => code)).toEqual([250, 250, 250]);
    expect(message.greeting).toBe('lhlo');
    expect(message.to).toEqual(to.map((t) => `<${t}>`));
  });
});
