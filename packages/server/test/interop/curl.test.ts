// curl's SMTP support (smtp:// with --upload-file) against @smtpkit/server, in plain text and with
// --ssl-reqd (STARTTLS required). curl dot-stuffs the file; the stored bytes must equal it.
import {
  createSelfSignedCert,
  curlSkipReason,
  opensslSkipReason,
  runCurl,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiMessage, eightBitMessage } from './interop-message.js';
import { type InteropServer, startInteropServer } from './interop-server.js';

const skip = curlSkipReason() ?? opensslSkipReason();
const TIMEOUT = 20_000;

describe.skipIf(skip !== undefined)('curl', () => {
  let plain: InteropServer;
  let secure: InteropServer;
  let cert: SelfSignedCert;

  beforeAll(async () => {
    cert = await createSelfSignedCert();
    plain = await startInteropServer();
    secure = await startInteropServer({
      tls: { key: cert.key, cert: cert.cert },
      implicitTls: true,
    });
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop()]);
    await cert?.remove();
  });

  it(
    'smtp:// --upload-file: stored bytes equal the file',
    async () => {
      const data = asciiMessage('curl plain');
      await runCurl({
        port: plain.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com', 'other@example.com'],
        data,
      });
      const [m] = await plain.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.to).toEqual(['<rcpt@example.com>', '<other@example.com>']);
    },
    TIMEOUT,
  );

  it(
    '--ssl-reqd: STARTTLS before the envelope',
    async () => {
      const data = eightBitMessage('curl starttls');
      await runCurl({
        port: secure.port,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'starttls',
        data,
      });
      const [m] = await secure.waitForMessages(1);
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'smtps://: implicit TLS',
    async () => {
      const data = asciiMessage('curl smtps');
      await runCurl({
        port: secure.securePort as number,
        from: 'sender@example.com',
        to: ['rcpt@example.com'],
        tls: 'implicit',
        data,
      });
      const m = (await secure.waitForMessages(2))[1];
      expect(m?.body).toEqual(data);
      expect(m?.tls).toBe(true);
    },
    TIMEOUT,
  );
});
