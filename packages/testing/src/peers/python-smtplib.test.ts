import { describe, expect, it } from 'vitest';
import { runSmtplib, smtplibSkipReason } from './python-smtplib.js';
import { itDeliversEach, useCaptureServer } from './test-support.js';

const skip = smtplibSkipReason();

describe.skipIf(skip !== undefined)('runSmtplib', () => {
  const smtp = useCaptureServer({ tls: true });
  const lmtp = useCaptureServer({ lmtp: true });
  const from = 'a@example.com';
  const to = ['b@example.com'];

  itDeliversEach([
    {
      name: 'sends a message whose bytes arrive intact',
      server: smtp,
      send: (port, data) => runSmtplib({ port, from, to, data }),
      check: (m, r) => {
        expect(r.refused).toEqual({});
        // smtplib writes the verb in lower case and adds SIZE= when offered.
        expect(m.mailCommand).toMatch(/^mail FROM:<a@example\.com> size=\d+$/i);
      },
    },
    {
      name: 'SMTPUTF8 mail option carries a UTF-8 sender (RFC 6531 §3.4)',
      server: smtp,
      send: (port, data) =>
        runSmtplib({
          port,
          from: 'j\u00f8rgen@b\u00fccher.example',
          to: ['\u7528\u6237@\u4f8b\u5b50.example'],
          data,
          smtputf8: true,
        }),
      check: (m) => {
        expect(m.mailCommand).toMatch(
          /^mail FROM:<j\u00f8rgen@b\u00fccher\.example> size=\d+ SMTPUTF8$/i,
        );
        expect(m.rcptCommands).toEqual(['rcpt TO:<\u7528\u6237@\u4f8b\u5b50.example>']);
      },
    },
    {
      name: 'BODY=8BITMIME passes as a MAIL parameter (RFC 6152)',
      server: smtp,
      send: (port, data) => runSmtplib({ port, from, to, data, mailOptions: ['BODY=8BITMIME'] }),
      check: (m) =>
        expect(m.mailCommand).toMatch(/^mail FROM:<a@example\.com> size=\d+ BODY=8BITMIME$/i),
    },
    {
      name: 'STARTTLS with an unverified context, then AUTH',
      server: smtp,
      send: (port, data) =>
        runSmtplib({
          port,
          from,
          to,
          data,
          starttls: true,
          auth: { user: 'py', password: 'secret pw' },
        }),
      check: (m) => {
        expect(m.tls).toBe(true);
        expect(m.auth?.user).toBe('py');
        expect(m.auth?.password).toBe('secret pw');
      },
    },
    {
      name: 'LMTP: LHLO and one reply per recipient (RFC 2033)',
      server: lmtp,
      send: (port, data) =>
        runSmtplib({ port, from, to: ['b@example.com', 'c@example.com'], data, lmtp: true }),
      check: (m, r) => {
        expect(r.refused).toEqual({});
        expect(r.lmtpReplies.map((x) => x[0])).toEqual([250, 250]);
        expect(m.greeting).toMatch(/^lhlo /i);
        expect(m.rcptCommands).toHaveLength(2);
      },
    },
  ]);

  it('a refused connection is ERR_PEER_EXIT with the traceback', async () => {
    const { freePort } = await import('./free-port.js');
    const port = await freePort();
    const failure = runSmtplib({
      port,
      from: 'a@example.com',
      to: ['b@example.com'],
      data: 'x\r\n',
      timeoutMs: 5000,
    });
    await expect(failure).rejects.toMatchObject({ code: 'ERR_PEER_EXIT' });
    await expect(failure).rejects.toHaveProperty(
      'stderr',
      expect.stringContaining('ConnectionRefusedError'),
    );
  });
});
