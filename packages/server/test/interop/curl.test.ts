// curl's SMTP support (smtp:// with --upload-file) against @smtpkit/server, in plain text and with
// --ssl-reqd (STARTTLS required). curl dot-stuffs the file; the stored bytes must equal it.
import { curlSkipReason, opensslSkipReason, runCurl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { expectDelivered, INTEROP, useInteropServers } from './interop-suite.js';

const skip = curlSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('curl', INTEROP, () => {
  const servers = useInteropServers({ plain: {}, secure: { tls: true, implicitTls: true } });

  it('smtp:// --upload-file: stored bytes equal the file', async () => {
    const data = asciiMessage('curl plain');
    const to = ['rcpt@example.com', 'other@example.com'];
    const { message } = await expectDelivered(servers.plain, data, () =>
      runCurl({ port: servers.plain.port, from: 'sender@example.com', to, data }),
    );
    expect(message.to).toEqual(['<rcpt@example.com>', '<other@example.com>']);
  });

  it('--ssl-reqd: STARTTLS before the envelope', async () => {
    const data = eightBitMessage('curl starttls');
    const { message } = await expectDelivered(servers.secure, data, () =>
      runCurl({
        port: servers.secure.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'starttls',
        data,
      }),
    );
    expect(message.tls).toBe(true);
  });

  it('smtps://: implicit TLS', async () => {
    const data = asciiMessage('curl smtps');
    const { message } = await expectDelivered(servers.secure, data, () =>
      runCurl({
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
