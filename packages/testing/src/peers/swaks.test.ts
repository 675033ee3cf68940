import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PeerError } from './peer-error.js';
import { runSwaks, swaksArgs, swaksSkipReason } from './swaks.js';
import { makeTempDir } from './temp-dir.js';
import { sampleMessage, useCaptureServer } from './test-support.js';

const skip = swaksSkipReason();

describe.skipIf(skip !== undefined)('runSwaks', () => {
  const plain = useCaptureServer({ tls: true });
  const implicit = useCaptureServer({ implicitTls: true });
  const lmtp = useCaptureServer({ lmtp: true });

  async function lastMessage(server: ReturnType<typeof plain.server>, before: number) {
    const all = await server.waitForMessages(before + 1, 10_000);
    return all[before];
  }

  it('sends a message whose bytes arrive intact (dot lines, 8-bit, 998-octet line)', async () => {
    const s = plain.server();
    const n = s.messages.length;
    const data = sampleMessage('swaks plain');
    await runSwaks({
      port: s.port,
      from: 'a@example.com',
      to: ['b@example.com', 'c@example.com'],
      data,
    });
    const m = await lastMessage(s, n);
    expect(m?.data.equals(data)).toBe(true);
    expect(m?.mailCommand).toBe('MAIL FROM:<a@example.com>');
    expect(m?.rcptCommands).toEqual(['RCPT TO:<b@example.com>', 'RCPT TO:<c@example.com>']);
    expect(m?.tls).toBe(false);
    // RFC 5321 §4.5.2: the lone "." line went over the wire stuffed as "..".
    expect(m?.wire.includes(Buffer.from('\r\n..\r\n'))).toBe(true);
  });

  it('--pipeline sends MAIL, RCPT and DATA before reading their replies (RFC 2920)', async () => {
    const s = plain.server();
    const n = s.messages.length;
    const data = sampleMessage('swaks pipeline');
    const r = await runSwaks({
      port: s.port,
      from: 'a@example.com',
      to: 'b@example.com',
      pipeline: true,
      data,
    });
    const m = await lastMessage(s, n);
    expect(m?.data.equals(data)).toBe(true);
    // In swaks' transcript the DATA command precedes the reply to MAIL.
    expect(r.stdout.indexOf('DATA')).toBeLessThan(r.stdout.indexOf('250 2.1.0'));
  });

  it('-tls upgrades with STARTTLS (RFC 3207) and the message arrives under TLS', async () => {
    const s = plain.server();
    const n = s.messages.length;
    const data = sampleMessage('swaks starttls');
    await runSwaks({
      port: s.port,
      from: 'a@example.com',
      to: 'b@example.com',
      tls: 'starttls',
      data,
    });
    const m = await lastMessage(s, n);
    expect(m?.tls).toBe(true);
    expect(m?.data.equals(data)).toBe(true);
    expect(s.commands).toContain('STARTTLS');
  });

  it('-tlsc speaks TLS from the first byte', async () => {
    const s = implicit.server();
    const n = s.messages.length;
    const data = sampleMessage('swaks implicit');
    await runSwaks({
      port: s.port,
      from: 'a@example.com',
      to: 'b@example.com',
      tls: 'implicit',
      data,
    });
    const m = await lastMessage(s, n);
    expect(m?.tls).toBe(true);
    expect(m?.data.equals(data)).toBe(true);
  });

  it.each(['PLAIN', 'LOGIN'] as const)(
    '--auth %s passes user and password (RFC 4954)',
    async (mechanism) => {
      const s = plain.server();
      const n = s.messages.length;
      await runSwaks({
        port: s.port,
        from: 'a@example.com',
        to: 'b@example.com',
        tls: 'starttls',
        auth: { mechanism, user: `user-${mechanism}`, password: 'pa ss:word' },
        data: sampleMessage(`swaks auth ${mechanism}`),
      });
      const m = await lastMessage(s, n);
      expect(m?.auth).toEqual({ mechanism, user: `user-${mechanism}`, password: 'pa ss:word' });
    },
  );

  it('--data @file sends a message from a file', async () => {
    const s = plain.server();
    const n = s.messages.length;
    const dir = await makeTempDir('swaks-test');
    try {
      const path = join(dir.path, 'm.eml');
      const data = sampleMessage('swaks file');
      await writeFile(path, Buffer.concat([data, Buffer.from('.\r\n')]));
      await runSwaks({ port: s.port, from: 'a@example.com', to: 'b@example.com', dataFile: path });
      const m = await lastMessage(s, n);
      expect(m?.data.equals(data)).toBe(true);
    } finally {
      await dir.remove();
    }
  });

  it('--protocol LMTP greets with LHLO (RFC 2033)', async () => {
    const s = lmtp.server();
    const n = s.messages.length;
    const data = sampleMessage('swaks lmtp');
    await runSwaks({
      port: s.port,
      from: 'a@example.com',
      to: 'b@example.com',
      protocol: 'LMTP',
      data,
    });
    const m = await lastMessage(s, n);
    expect(m?.greeting.startsWith('LHLO ')).toBe(true);
    expect(m?.data.equals(data)).toBe(true);
  });

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
