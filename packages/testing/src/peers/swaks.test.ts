import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapturedMessage } from './capture-smtp-server.js';
import { PeerError } from './peer-error.js';
import { runSwaks, swaksArgs, swaksSkipReason } from './swaks.js';
import { makeTempDir } from './temp-dir.js';
import { itDeliversEach, useCaptureServer } from './test-support.js';

const skip = swaksSkipReason();

describe.skipIf(skip !== undefined)('runSwaks', () => {
  const plain = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });
  const lmtp = useCaptureServer({ lmtp: true });

  const from = 'a@example.com';
  const to = 'b@example.com';

  itDeliversEach([
    {
      name: 'sends a message whose bytes arrive intact (dot lines, 8-bit, 998-octet line)',
      server: plain,
      send: (port, data) => runSwaks({ port, from, to: ['b@example.com', 'c@example.com'], data }),
      check: (m) => {
        expect(m.mailCommand).toBe('MAIL FROM:<a@example.com>');
        expect(m.rcptCommands).toEqual(['RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']);
        expect(m.tls).toBe(false);
        // RFC 5321 §4.5.2: the lone "." line went over the wire stuffed as "..".
        expect(m.wire.includes(Buffer.from('\r\n..\r\n'))).toBe(true);
      },
    },
    {
      name: '--pipeline sends MAIL, RCPT and DATA before reading their replies (RFC 2920)',
      server: plain,
      send: (port, data) => runSwaks({ port, from, to, pipeline: true, data }),
      // In swaks' transcript the DATA command precedes the reply to MAIL.
      check: (_m, r) =>
        expect(r.stdout.indexOf('DATA')).toBeLessThan(r.stdout.indexOf('250 2.1.0')),
    },
    {
      name: '-tls upgrades with STARTTLS (RFC 3207) and the message arrives under TLS',
      server: plain,
      send: (port, data) => runSwaks({ port, from, to, tls: 'starttls', data }),
      check: (m) => {
        expect(m.tls).toBe(true);
        expect(plain.server().commands).toContain('STARTTLS');
      },
    },
    {
      name: '-tlsc speaks TLS from the first byte',
      server: implicit,
      send: (port, data) => runSwaks({ port, from, to, tls: 'implicit', data }),
      check: (m) => expect(m.tls).toBe(true),
    },
    ...(['PLAIN', 'LOGIN'] as const).map((mechanism) => ({
      name: `--auth ${mechanism} passes user and password (RFC 4954)`,
      server: plain,
      send: (port: number, data: Buffer) =>
        runSwaks({
          port,
          from,
          to,
          tls: 'starttls',
          auth: { mechanism, user: `user-${mechanism}`, password: 'pa ss:word' },
          data,
        }),
      check: (m: CapturedMessage) =>
        expect(m.auth).toEqual({ mechanism, user: `user-${mechanism}`, password: 'pa ss:word' }),
    })),
    {
      name: '--data @file sends a message from a file',
      server: plain,
      send: async (port, data) => {
        const dir = await makeTempDir('swaks-test');
        try {
          const path = join(dir.path, 'm.eml');
          await writeFile(path, Buffer.concat([data, Buffer.from('.\r\n')]));
          return await runSwaks({ port, from, to, dataFile: path });
        } finally {
          await dir.remove();
        }
      },
      // The bytes arriving intact, checked for every row, is what this row is about.
      check: () => undefined,
    },
    {
      name: '--protocol LMTP greets with LHLO (RFC 2033)',
      server: lmtp,
      send: (port, data) => runSwaks({ port, from, to, protocol: 'LMTP', data }),
      check: (m) => expect(m.greeting.startsWith('LHLO ')).toBe(true),
    },
  ]);

  it('rejects with ERR_PEER_EXIT when the server refuses', async () => {
    // Nothing listens on a port we just closed: swaks fails to connect.
    const { freePort } = await import('./free-port.js');
    const port = await freePort();
    await expect(
      runSwaks({ port, from: 'a@example.com', to: 'b@example.com', timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'ERR_PEER_EXIT',
    });
  });

  it('refuses an empty recipient list as API misuse', () => {
    expect(() => swaksArgs({ port: 1, from: 'a@example.com', to: [] })).toThrow(PeerError);
  });
});
