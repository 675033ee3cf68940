import { describe, expect, it } from 'vitest';
import { ehloKeywords } from '../raw-reply.js';
import { RawSmtpClient } from '../raw-smtp-client.js';
import { aiosmtpdSkipReason, startAiosmtpd } from './aiosmtpd.js';
import { curlSkipReason, runCurl } from './curl.js';
import { runSmtplib } from './python-smtplib.js';
import { runSwaks, swaksSkipReason } from './swaks.js';
import { sampleMessage } from './test-support.js';

// aiosmtpd is a server no one here wrote: the same bytes arriving there as in the capture server
// shows the launchers, not the capture server, are what keeps them intact.
describe.skipIf(
  aiosmtpdSkipReason() !== undefined ||
    swaksSkipReason() !== undefined ||
    curlSkipReason() !== undefined,
)('startAiosmtpd', () => {
  it('stores what swaks, smtplib (SMTPUTF8) and curl send, byte for byte', {
    timeout: 30_000,
  }, async () => {
    const server = await startAiosmtpd({ smtputf8: true });
    try {
      const a = sampleMessage('aiosmtpd swaks');
      const b = sampleMessage('aiosmtpd smtplib');
      const c = sampleMessage('aiosmtpd curl');
      await runSwaks({
        port: server.port,
        from: 'a@example.com',
        to: 'b@example.com',
        pipeline: true,
        data: a,
      });
      await runSmtplib({
        port: server.port,
        from: '\u00f8@example.com',
        to: ['b@example.com'],
        data: b,
        smtputf8: true,
      });
      await runCurl({ port: server.port, from: 'a@example.com', to: ['c@example.com'], data: c });
      const got = await server.waitForMessages(3, 10_000);
      expect(got.map((m) => m.data.equals(a) || m.data.equals(b) || m.data.equals(c))).toEqual([
        true,
        true,
        true,
      ]);
      expect(got[0]?.data.equals(a)).toBe(true);
      expect(got[1]?.mailFrom).toBe('\u00f8@example.com');
      expect(got[1]?.mailOptions.map((o) => o.toUpperCase())).toContain('SMTPUTF8');
      expect(got[2]?.rcptTos).toEqual(['c@example.com']);
    } finally {
      await server.stop();
    }
  });

  it('leaves 8BITMIME out of its EHLO reply when told to', { timeout: 30_000 }, async () => {
    const seven = await startAiosmtpd({ eightBitMime: false });
    const eight = await startAiosmtpd();
    try {
      const keywords = async (port: number): Promise<string[]> => {
        const client = await RawSmtpClient.greeted(port);
        try {
          const ehlo = await client.command('EHLO again.example');
          return ehloKeywords(ehlo);
        } finally {
          client.destroy();
        }
      };
      expect(await keywords(eight.port)).toContain('8BITMIME');
      const without = await keywords(seven.port);
      expect(without).not.toContain('8BITMIME');
      expect(without).toContain('SIZE');
      // The session still works: a 7-bit message is stored.
      const data = Buffer.from('Subject: seven\r\n\r\nplain ASCII\r\n');
      await runSmtplib({ port: seven.port, from: 'a@example.com', to: ['b@example.com'], data });
      const [m] = await seven.waitForMessages(1, 10_000);
      expect(m?.data.equals(data)).toBe(true);
    } finally {
      await seven.stop();
      await eight.stop();
    }
  });

  it('speaks LMTP', { timeout: 30_000 }, async () => {
    const server = await startAiosmtpd({ lmtp: true });
    try {
      const data = sampleMessage('aiosmtpd lmtp');
      const r = await runSmtplib({
        port: server.port,
        from: 'a@example.com',
        to: ['b@example.com', 'c@example.com'],
        data,
        lmtp: true,
      });
      expect(r.lmtpReplies.map((x) => x[0])).toEqual([250, 250]);
      const [m] = await server.waitForMessages(1, 10_000);
      expect(m?.data.equals(data)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
