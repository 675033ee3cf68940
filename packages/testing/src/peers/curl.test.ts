import { describe, expect, it } from 'vitest';
import { curlArgs, curlSkipReason, runCurl } from './curl.js';
import { itDeliversEach, useCaptureServer } from './test-support.js';

const skip = curlSkipReason();

describe.skipIf(skip !== undefined)('runCurl', () => {
  const smtp = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });
  const from = 'a@example.com';
  const to = ['b@example.com'];

  itDeliversEach([
    {
      name: 'sends a message whose bytes arrive intact',
      server: smtp,
      send: (port, data) => runCurl({ port, from, to: ['b@example.com', 'c@example.com'], data }),
      check: (m) => {
        expect(m.mailCommand.startsWith('MAIL FROM:<a@example.com>')).toBe(true);
        expect(m.rcptCommands).toEqual(['RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']);
      },
    },
    {
      name: '--ssl-reqd -k upgrades with STARTTLS',
      server: smtp,
      send: (port, data) => runCurl({ port, from, to, data, tls: 'starttls' }),
      check: (m) => expect(m.tls).toBe(true),
    },
    {
      name: 'smtps:// speaks TLS from the first byte',
      server: implicit,
      send: (port, data) => runCurl({ port, from, to, data, tls: 'implicit' }),
      check: (m) => expect(m.tls).toBe(true),
    },
    {
      name: '--user authenticates',
      server: smtp,
      send: (port, data) =>
        runCurl({ port, from, to, data, tls: 'starttls', auth: { user: 'cu', password: 'cp' } }),
      check: (m) => {
        expect(m.auth?.user).toBe('cu');
        expect(m.auth?.password).toBe('cp');
      },
    },
  ]);

  it('builds smtp:// with --mail-from, one --mail-rcpt per recipient and --upload-file', () => {
    const args = curlArgs(
      { port: 2525, from: 'a@example.com', to: ['b@example.com', 'c@example.com'], data: '' },
      '/m',
    );
    expect(args).toContain('smtp://127.0.0.1:2525');
    expect(args.filter((a) => a === '--mail-rcpt')).toHaveLength(2);
    expect(args.slice(args.indexOf('--upload-file'), args.indexOf('--upload-file') + 2)).toEqual([
      '--upload-file',
      '/m',
    ]);
  });
});
