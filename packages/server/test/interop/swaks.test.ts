// swaks (Swiss Army Knife for SMTP, John Jetmore) against @smtpkit/server: the bytes the data
// hook stores must equal the file swaks sent, after swaks' own dot-stuffing is undone.
import { opensslSkipReason, type ProcessResult, runSwaks, swaksSkipReason } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import type { InteropMessage, InteropServer } from './interop-server.js';
import { INTEROP, itDeliversEach, useInteropServers } from './interop-suite.js';

const skip = swaksSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('swaks', INTEROP, () => {
  const account = { user: 'swaks-user', password: 'p@ss word:1' };
  const servers = useInteropServers({
    plain: {},
    secure: { tls: true, implicitTls: true },
    withAuth: { tls: true, account },
  });
  const from = 'sender@example.com';
  const to = 'rcpt@example.com';

  itDeliversEach(servers, [
    {
      name: 'plain: stores the bytes sent, envelope as given',
      server: 'plain',
      data: asciiMessage('swaks plain'),
      send: ({ port }, data) => runSwaks({ port, from, to, data }),
      check: (m) => {
        expect(m.from).toBe('<sender@example.com>');
        expect(m.to).toEqual(['<rcpt@example.com>']);
        expect(m.tls).toBe(false);
      },
    },
    {
      name: '--pipeline: MAIL, RCPTs and DATA go in one group (RFC 2920) and arrive intact',
      server: 'plain',
      data: asciiMessage('swaks pipeline'),
      send: ({ port }, data) =>
        runSwaks({
          port,
          from,
          to: ['one@example.com', 'two@example.com'],
          pipeline: true,
          data,
        }),
      check: (m, r) => {
        const out = r.stdout.split('\n');
        expect(out).toContain('<-  250-PIPELINING');
        // Grouped: swaks wrote the RCPT commands before reading MAIL's reply.
        const mail = out.findIndex((l) => l.startsWith(' -> MAIL FROM:'));
        const lastRcpt = out.findLastIndex((l) => l.startsWith(' -> RCPT TO:'));
        const firstReplyAfterMail = out.findIndex((l, i) => i > mail && l.startsWith('<-'));
        expect(lastRcpt).toBeLessThan(firstReplyAfterMail);
        expect(m.to).toEqual(['<one@example.com>', '<two@example.com>']);
      },
    },
    {
      name: '8-bit body: 8BITMIME is offered and the UTF-8 bytes are stored unchanged',
      server: 'plain',
      data: eightBitMessage('swaks 8bit'),
      send: ({ port }, data) => runSwaks({ port, from, to, data }),
      check: (_m, r) => expect(r.stdout.split('\n')).toContain('<-  250-8BITMIME'),
    },
    {
      name: '-tls: STARTTLS with a self-signed certificate (RFC 3207)',
      server: 'secure',
      data: asciiMessage('swaks starttls'),
      send: ({ port }, data) => runSwaks({ port, from, to, tls: 'starttls', data }),
      check: (m, r) => {
        expect(r.stdout).toContain('TLS started');
        expect(m.tls).toBe(true);
      },
    },
    {
      name: '-tlsc: implicit TLS (RFC 8314)',
      server: 'secure',
      data: asciiMessage('swaks implicit'),
      send: ({ securePort }, data) =>
        runSwaks({ port: securePort as number, from, to, tls: 'implicit', data }),
      check: (m) => expect(m.tls).toBe(true),
    },
    ...(['PLAIN', 'LOGIN'] as const).map((mechanism) => ({
      name: `AUTH ${mechanism} over STARTTLS (RFC 4954)`,
      server: 'withAuth' as const,
      data: asciiMessage(`swaks auth ${mechanism}`),
      send: ({ port }: InteropServer, data: Buffer) =>
        runSwaks({
          port,
          from,
          to,
          tls: 'starttls',
          auth: { mechanism, user: account.user, password: account.password },
          data,
        }),
      check: (m: InteropMessage, r: ProcessResult) => {
        expect(r.stdout).toMatch(/^<[-~]\s+235 /m);
        expect(m.user).toBe(account.user);
        expect(m.tls).toBe(true);
      },
    })),
  ]);

  it('a wrong password is refused (535) and nothing is stored', async () => {
    const before = servers.withAuth.messages.length;
    await expect(
      runSwaks({
        port: servers.withAuth.port,
        from,
        to,
        tls: 'starttls',
        auth: { mechanism: 'PLAIN', user: account.user, password: 'wrong' },
        data: asciiMessage('swaks bad auth'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_PEER_EXIT', stdout: expect.stringContaining('535') });
    expect(servers.withAuth.messages.length).toBe(before);
  });
});
