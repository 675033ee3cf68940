// nodemailer's SMTP transport (raw message, so nodemailer does not rebuild it) against
// @smtpkit/server, in plain text and with STARTTLS.
import { nodemailerSkipReason, opensslSkipReason, sendWithNodemailer } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { expectDelivered, INTEROP, useInteropServers } from './interop-suite.js';

const skip = nodemailerSkipReason() ?? opensslSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);

describe.skipIf(skip !== undefined)('nodemailer', INTEROP, () => {
  const servers = useInteropServers({ plain: {}, secure: { tls: true, implicitTls: true } });

  it('plain: the raw message arrives byte for byte', async () => {
    const data = asciiMessage('nodemailer plain');
    const to = ['rcpt@example.com', 'other@example.com'];
    const { message, result: info } = await expectDelivered(servers.plain, data, () =>
      sendWithNodemailer({ port: servers.plain.port, from: 'sender@example.com', to, data }),
    );
    expect(info.accepted).toEqual(['rcpt@example.com', 'other@example.com']);
    expect(info.response).toMatch(/^250 /);
    expect(message.to).toEqual(['<rcpt@example.com>', '<other@example.com>']);
  });

  it('requireTLS: STARTTLS, then the 8-bit message', async () => {
    const data = eightBitMessage('nodemailer starttls');
    const { message } = await expectDelivered(servers.secure, data, () =>
      sendWithNodemailer({
        port: servers.secure.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'starttls',
        data,
      }),
    );
    expect(message.tls).toBe(true);
  });

  it('secure: implicit TLS', async () => {
    const data = asciiMessage('nodemailer implicit');
    const { message } = await expectDelivered(servers.secure, data, () =>
      sendWithNodemailer({
        port: servers.secure.securePort as number,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'implicit',
        data,
      }),
    );
    expect(message.tls).toBe(true);
  });
});
