// swaks (Swiss Army Knife for SMTP, John Jetmore) against @smtpkit/server: the bytes the data
// hook stores must equal the file swaks sent, after swaks' own dot-stuffing is undone.
import { opensslSkipReason, runSwaks, swaksSkipReason } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { expectDelivered, INTEROP, useInteropServers } from './interop-suite.js';

const skip = swaksSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('swaks', INTEROP, () => {
  const account = { user: 'swaks-user', password: 'p@ss word:1' };
  const servers = useInteropServers({
    plain: {},
    secure: { tls: true, implicitTls: true },
    withAuth: { tls: true, account },
  });

  it('plain: stores the bytes sent, envelope as given', async () => {
    const data = asciiMessage('swaks plain');
    const { message } = await expectDelivered(servers.plain, data, () =>
      runSwaks({
        port: servers.plain.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        data,
      }),
    );
    expect(message.from).toBe('<sender@example.com>');
    expect(message.to).toEqual(['<rcpt@example.com>']);
    expect(message.tls).toBe(false);
  });

  it('--pipeline: MAIL, RCPTs and DATA go in one group (RFC 2920) and arrive intact', async () => {
    const data = asciiMessage('swaks pipeline');
    const { message, result } = await expectDelivered(servers.plain, data, () =>
      runSwaks({
        port: servers.plain.port,
        from: 'sender@example.com',
        to: ['one@example.com', 'two@example.com'],
        pipeline: true,
        data,
      }),
    );
    const out = result.stdout.split('\n');
    expect(out).toContain('<-  250-PIPELINING');
    // Grouped: swaks wrote the RCPT commands before reading MAIL's reply.
    const mail = out.findIndex((l) => l.startsWith(' -> MAIL FROM:'));
    const lastRcpt = out.findLastIndex((l) => l.startsWith(' -> RCPT TO:'));
    const firstReplyAfterMail = out.findIndex((l, i) => i > mail && l.startsWith('<-'));
    expect(lastRcpt).toBeLessThan(firstReplyAfterMail);
    expect(message.to).toEqual(['<one@example.com>', '<two@example.com>']);
  });

  it('8-bit body: 8BITMIME is offered and the UTF-8 bytes are stored unchanged', async () => {
    const data = eightBitMessage('swaks 8bit');
    const { result } = await expectDelivered(servers.plain, data, () =>
      runSwaks({
        port: servers.plain.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        data,
      }),
    );
    expect(result.stdout.split('\n')).toContain('<-  250-8BITMIME');
  });

  it('-tls: STARTTLS with a self-signed certificate (RFC 3207)', async () => {
    const data = asciiMessage('swaks starttls');
    const { message, result } = await expectDelivered(servers.secure, data, () =>
      runSwaks({
        port: servers.secure.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'starttls',
        data,
      }),
    );
    expect(result.stdout).toContain('TLS started');
    expect(message.tls).toBe(true);
  });

  it('-tlsc: implicit TLS (RFC 8314)', async () => {
    const data = asciiMessage('swaks implicit');
    const { message } = await expectDelivered(servers.secure, data, () =>
      runSwaks({
        port: servers.secure.securePort as number,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'implicit',
        data,
      }),
    );
    expect(message.tls).toBe(true);
  });

  it.each(['PLAIN', 'LOGIN'] as const)('AUTH %s over STARTTLS (RFC 4954)', async (mechanism) => {
    const data = asciiMessage(`swaks auth ${mechanism}`);
    const { message, result } = await expectDelivered(servers.withAuth, data, () =>
      runSwaks({
        port: servers.withAuth.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'starttls',
        auth: { mechanism, user: account.user, password: account.password },
        data,
      }),
    );
    expect(result.stdout).toMatch(/^<[-~]\s+235 /m);
    expect(message.user).toBe(account.user);
    expect(message.tls).toBe(true);
  });

  it('a wrong password is refused (535) and nothing is stored', async () => {
    const before = servers.withAuth.messages.length;
    await expect(
      runSwaks({
        port: servers.withAuth.port,
        from: 'sender@example.com',
        to: 'rcpt@example.com',
        tls: 'starttls',
        auth: { mechanism: 'PLAIN', user: account.user, password: 'wrong' },
        data: asciiMessage('swaks bad auth'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_PEER_EXIT', stdout: expect.stringContaining('535') });
    expect(servers.withAuth.messages.length).toBe(before);
  });
});
