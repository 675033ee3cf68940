// curl's SMTP support (smtp:// with --upload-file) against @smtpkit/server, in plain text and with
// --ssl-reqd (STARTTLS required). curl dot-stuffs the file; the stored bytes must equal it.
import { curlSkipReason, opensslSkipReason, runCurl } from '@smtpkit/testing';
import { describe, expect } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { INTEROP, itDeliversEach, useInteropServers } from './interop-suite.js';

const skip = curlSkipReason() ?? opensslSkipReason();

describe.skipIf(skip !== undefined)('curl', INTEROP, () => {
  const servers = useInteropServers({ plain: {}, secure: { tls: true, implicitTls: true } });
  const from = 'sender@example.com';
  const to = ['rcpt@example.com'];

  itDeliversEach(servers, [
    {
      name: 'smtp:// --upload-file: stored bytes equal the file',
      server: 'plain',
      data: asciiMessage('curl plain'),
      send: ({ port }, data) =>
        runCurl({ port, from, to: ['rcpt@example.com', 'other@example.com'], data }),
      check: (m) => expect(m.to).toEqual(['<rcpt@example.com>', '<other@example.com>']),
    },
    {
      name: '--ssl-reqd: STARTTLS before the envelope',
      server: 'secure',
      data: eightBitMessage('curl starttls'),
      send: ({ port }, data) => runCurl({ port, from, to, tls: 'starttls', data }),
      check: (m) => expect(m.tls).toBe(true),
    },
    {
      name: 'smtps://: implicit TLS',
      server: 'secure',
      data: asciiMessage('curl smtps'),
      send: ({ securePort }, data) =>
        runCurl({ port: securePort as number, from, to, tls: 'implicit', data }),
      check: (m) => expect(m.tls).toBe(true),
    },
  ]);
});
