// Shared by the launcher tests only (not exported from the package).
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type CapturedMessage,
  type CaptureSmtpServer,
  startCaptureSmtpServer,
} from './capture-smtp-server.js';
import { createSelfSignedCert, type SelfSignedCert } from './self-signed-cert.js';

/**
 * A message whose bytes a careless peer would change: a line starting with ".", a lone ".", 8-bit
 * UTF-8 text, a 998-octet line (RFC 5321 §4.5.3.1.6 limit with CRLF), trailing spaces and an empty line.
 */
export function sampleMessage(tag: string): Buffer {
  return Buffer.concat([
    Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: ${tag}\r\n`),
    Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n'),
    Buffer.from('Content-Transfer-Encoding: 8bit\r\n\r\n'),
    Buffer.from('.starts with a dot\r\n.\r\n..two dots\r\ntrailing spaces   \r\n\r\n'),
    Buffer.from('caf\u00e9 \u00fcber \u65e5\u672c\u8a9e\r\n', 'utf8'),
    Buffer.from(`${'x'.repeat(998)}\r\n`),
    Buffer.from('last line\r\n'),
  ]);
}

/** Starts a capture server (plain, or with a fresh self-signed certificate) for one test file. */
export function useCaptureServer(
  options: { tls?: boolean; implicitTls?: boolean; lmtp?: boolean } = {},
): {
  server: () => CaptureSmtpServer;
} {
  let server: CaptureSmtpServer | undefined;
  let cert: SelfSignedCert | undefined;
  beforeAll(async () => {
    if (options.tls === true || options.implicitTls === true) cert = await createSelfSignedCert();
    server = await startCaptureSmtpServer({
      ...(cert === undefined ? {} : { tls: { key: cert.key, cert: cert.cert } }),
      ...(options.implicitTls === true ? { implicitTls: true } : {}),
      ...(options.lmtp === true ? { lmtp: true } : {}),
    });
  });
  afterAll(async () => {
    await server?.close();
    await cert?.remove();
  });
  return {
    server: () => {
      if (server === undefined) throw new Error('capture server not started');
      return server;
    },
  };
}

/** One run of a peer against a capture server, a row of {@link itDeliversEach}. */
export interface DeliveryCase<Result> {
  /** The test name; also the sample message's subject. */
  readonly name: string;
  /** The capture server to send to, from {@link useCaptureServer}. */
  readonly server: { readonly server: () => CaptureSmtpServer };
  /** Runs the peer against `port` with the sample message `data`. */
  readonly send: (port: number, data: Buffer) => Promise<Result>;
  /** The case's own assertions on the message delivered and on what `send` resolved with. */
  readonly check: (message: CapturedMessage, result: Result) => void;
}

/**
 * One test per row: run the peer with a {@link sampleMessage}, wait for the one message it
 * delivers, assert that its bytes arrived intact, then run the row's own checks.
 */
export function itDeliversEach<Result>(cases: readonly DeliveryCase<Result>[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const s = c.server.server();
      const n = s.messages.length;
      const data = sampleMessage(c.name);
      const result = await c.send(s.port, data);
      const m = (await s.waitForMessages(n + 1, 10_000))[n];
      expect(m?.data.equals(data)).toBe(true);
      c.check(m as CapturedMessage, result);
    });
  }
}
