// Postfix's smtp-source load generator against @smtpkit/server: every message arrives, and each
// one's body is the one smtp-source generates. The reference for "the body it generates" is the
// same run against @smtpkit/testing's capture server, an independent minimal receiver, so no size
// is hard-coded here.
import { runSmtpSource, smtpSourceSkipReason, startCaptureSmtpServer } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InteropServer, startInteropServer } from './interop-server.js';

const skip = smtpSourceSkipReason();
const TIMEOUT = 60_000;

/** The part after the header section (RFC 5322 §2.1: the first empty line ends the headers). */
function bodyOf(message: Buffer): Buffer {
  const i = message.indexOf('\r\n\r\n');
  return i === -1 ? Buffer.alloc(0) : message.subarray(i + 4);
}

async function referenceBody(size: number): Promise<Buffer> {
  const capture = await startCaptureSmtpServer();
  try {
    await runSmtpSource({ port: capture.port, messages: 1, size, timeoutMs: 20_000 });
    const [m] = await capture.waitForMessages(1, 5000);
    return bodyOf((m as { data: Buffer }).data);
  } finally {
    await capture.close();
  }
}

describe.skipIf(skip !== undefined)('smtp-source', () => {
  let smtp: InteropServer;
  let lmtp: InteropServer;

  beforeAll(async () => {
    smtp = await startInteropServer();
    lmtp = await startInteropServer({ lmtp: true });
  });
  afterAll(async () => {
    await Promise.all([smtp?.stop(), lmtp?.stop()]);
  });

  it(
    '200 messages over 5 parallel sessions: all arrive, each with the generated body',
    async () => {
      const size = 4096;
      const expected = await referenceBody(size);
      expect(expected.length).toBeGreaterThanOrEqual(size);
      const before = smtp.messages.length;
      const r = await runSmtpSource({
        port: smtp.port,
        sessions: 5,
        messages: 200,
        size,
        timeoutMs: 50_000,
      });
      expect(r.messages).toBe(200);
      const all = (await smtp.waitForMessages(before + 200)).slice(before);
      expect(all).toHaveLength(200);
      for (const m of all) {
        expect(bodyOf(m.body)).toEqual(expected);
        expect(m.body.toString('latin1')).toMatch(
          /^From: <source@example\.com>\r\nTo: <sink@example\.com>\r\n/,
        );
        expect(m.from).toBe('<source@example.com>');
        expect(m.to).toEqual(['<sink@example.com>']);
      }
    },
    TIMEOUT,
  );

  it(
    '-d: many messages over one connection, 3 recipients each',
    async () => {
      const before = smtp.messages.length;
      await runSmtpSource({
        port: smtp.port,
        messages: 50,
        recipients: 3,
        keepConnection: true,
        size: 100,
        timeoutMs: 30_000,
      });
      const all = (await smtp.waitForMessages(before + 50)).slice(before);
      expect(all).toHaveLength(50);
      for (const m of all) expect(m.to).toHaveLength(3);
    },
    TIMEOUT,
  );

  it(
    '-L: LMTP',
    async () => {
      const size = 1000;
      const expected = await referenceBody(size);
      await runSmtpSource({ port: lmtp.port, messages: 20, size, lmtp: true, timeoutMs: 30_000 });
      const all = await lmtp.waitForMessages(20);
      for (const m of all) {
        expect(bodyOf(m.body)).toEqual(expected);
        expect(m.greeting).toBe('lhlo');
      }
    },
    TIMEOUT,
  );
});
