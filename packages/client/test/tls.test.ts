// TLS over real sockets: STARTTLS (RFC 3207) and implicit TLS (RFC 8314) against @smtpkit/server
// with a self-signed certificate, certificate checks on by default, `required` never falling back
// to plain text, and the bytes a server sends before the handshake never read (RFC 3207 §6).
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import {
  createSelfSignedCert,
  opensslSkipReason,
  runProcess,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/index.js';
import { type ReceivingServer, startReceivingServer } from './support/receiving-server.js';
import { greetAndHello, startScriptedServer } from './support/scripted-server.js';

const skip = opensslSkipReason();
const HOST = '127.0.0.1';
const MESSAGE = Buffer.from('Subject: tls\r\n\r\nsecret text\r\n');
const envelope = { from: 'a@example.org', to: 'b@example.com' };

describe.skipIf(skip !== undefined)('TLS', () => {
  let cert: SelfSignedCert;
  let other: SelfSignedCert;
  let secure: ReceivingServer;
  let plain: ReceivingServer;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
    other = await createSelfSignedCert({ commonName: 'other.example' });
    secure = await startReceivingServer({
      tls: { key: cert.key, cert: cert.cert },
      implicitTls: true,
    });
    plain = await startReceivingServer();
  });
  afterAll(async () => {
    await Promise.all([secure?.stop(), plain?.stop()]);
    await Promise.all([cert?.remove(), other?.remove()]);
  });

  it('STARTTLS with the certificate verified against the CA given, then EHLO again', async () => {
    const client = await connect({ host: HOST, port: secure.port, tls: 'required', ca: cert.cert });
    expect(client.secure).toBe(true);
    // RFC 3207 §4.2: the server no longer offers STARTTLS after the handshake.
    expect(client.capabilities.has('STARTTLS')).toBe(false);
    const before = secure.messages.length;
    await client.send(envelope, MESSAGE);
    const m = (await secure.waitForMessages(before + 1))[before];
    expect([m?.body, m?.tls]).toEqual([MESSAGE, true]);
    await client.quit();
  });

  it('the name checked is servername when given (localhost is in the certificate)', async () => {
    const client = await connect({
      host: HOST,
      port: secure.port,
      tls: 'required',
      ca: cert.cert,
      servername: 'localhost',
    });
    expect(client.secure).toBe(true);
    await client.quit();
  });

  it('opportunistic (the default) uses STARTTLS when offered', async () => {
    const client = await connect({ host: HOST, port: secure.port, ca: cert.cert });
    expect(client.secure).toBe(true);
    await client.quit();
  });

  for (const mode of ['required', 'opportunistic'] as const) {
    it(`${mode}: a certificate that does not verify is ERR_CLIENT_TLS, not plain text`, async () => {
      const before = secure.messages.length;
      await expect(connect({ host: HOST, port: secure.port, tls: mode })).rejects.toMatchObject({
        code: 'ERR_CLIENT_TLS',
        message: expect.stringMatching(/self[- ]signed/i),
      });
      expect(secure.messages.length).toBe(before);
    });
  }

  it('a certificate for another name is refused (ERR_CLIENT_TLS)', async () => {
    await expect(
      connect({
        host: HOST,
        port: secure.port,
        tls: 'required',
        ca: cert.cert,
        servername: 'mx.elsewhere.example',
      }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_TLS' });
    // A CA that did not sign the certificate does not help either.
    await expect(
      connect({ host: HOST, port: secure.port, tls: 'required', ca: other.cert }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_TLS' });
  });

  it('ca adds to the CAs Node trusts (NODE_EXTRA_CA_CERTS included), it does not replace them', async () => {
    const run = (env: Record<string, string>) =>
      runProcess(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./fixtures/connect-with-ca.ts', import.meta.url)),
          String(secure.port),
          other.certPath,
        ],
        { timeoutMs: 20_000, env: { ...(process.env as Record<string, string>), ...env } },
      );
    // The server's certificate is trusted only through NODE_EXTRA_CA_CERTS; `ca` names another.
    expect((await run({ NODE_EXTRA_CA_CERTS: cert.certPath })).stdout.trim()).toBe('secure=true');
    expect((await run({ NODE_EXTRA_CA_CERTS: '' })).stdout.trim()).toBe('error=ERR_CLIENT_TLS');
  }, 30_000);

  it('rejectUnauthorized: false accepts the self-signed certificate', async () => {
    const client = await connect({
      host: HOST,
      port: secure.port,
      tls: 'required',
      rejectUnauthorized: false,
    });
    expect(client.secure).toBe(true);
    await client.quit();
  });

  it('a ca that is no certificate is API misuse', async () => {
    await expect(
      connect({ host: HOST, port: secure.port, ca: 'not a certificate' }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT' });
  });

  it('required TLS against a server without STARTTLS fails: nothing is sent in clear', async () => {
    const before = plain.messages.length;
    await expect(connect({ host: HOST, port: plain.port, tls: 'required' })).rejects.toMatchObject({
      code: 'ERR_CLIENT_TLS_REQUIRED',
    });
    expect(plain.messages.length).toBe(before);
  });

  it('opportunistic TLS against a server without STARTTLS goes on in clear', async () => {
    const client = await connect({ host: HOST, port: plain.port });
    expect(client.secure).toBe(false);
    await client.quit();
  });

  it('tls: none never tries STARTTLS', async () => {
    const client = await connect({ host: HOST, port: secure.port, tls: 'none' });
    expect(client.secure).toBe(false);
    expect(client.capabilities.has('STARTTLS')).toBe(true);
    await client.quit();
  });

  it('implicit TLS (RFC 8314): TLS from the first byte', async () => {
    const client = await connect({
      host: HOST,
      port: secure.securePort as number,
      tls: 'implicit',
      ca: cert.cert,
    });
    expect(client.secure).toBe(true);
    expect(client.capabilities.has('STARTTLS')).toBe(false);
    const before = secure.messages.length;
    await client.send(envelope, MESSAGE);
    expect((await secure.waitForMessages(before + 1))[before]).toMatchObject({
      body: MESSAGE,
      tls: true,
    });
    await client.quit();
  });

  it('implicit TLS with a certificate that does not verify is ERR_CLIENT_TLS', async () => {
    await expect(
      connect({ host: HOST, port: secure.securePort as number, tls: 'implicit' }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_TLS' });
  });

  describe('STARTTLS refused, and replies injected before the handshake', () => {
    it('a refused STARTTLS: required fails, opportunistic goes on in clear', async () => {
      const server = await startScriptedServer(async (c) => {
        await greetAndHello(c, ['PIPELINING', 'STARTTLS']);
        for (;;) {
          const line = await c.line();
          if (line === 'STARTTLS')
            c.send('454 4.7.0 TLS not available due to temporary reason\r\n');
          else if (line === 'QUIT') {
            c.send('221 bye\r\n');
            c.socket.end();
            return;
          } else c.send('250 ok\r\n');
        }
      });
      try {
        await expect(
          connect({ host: HOST, port: server.port, tls: 'required' }),
        ).rejects.toMatchObject({
          code: 'ERR_CLIENT_TLS_REQUIRED',
          replyCode: 454,
        });
        const client = await connect({ host: HOST, port: server.port, tls: 'opportunistic' });
        expect(client.secure).toBe(false);
        expect((await client.noop()).code).toBe(250);
        await client.quit();
      } finally {
        await server.stop();
      }
    });

    it('RFC 3207 §6: a reply sent with the 220, before the handshake, is never read', async () => {
      const context = tls.createSecureContext({ key: cert.key, cert: cert.cert });
      const seen: string[] = [];
      const server = await startScriptedServer(async (c) => {
        await greetAndHello(c, ['STARTTLS']);
        expect(await c.line()).toBe('STARTTLS');
        // The 220 and a forged EHLO reply (offering AUTH PLAIN) in one segment.
        c.send('220 go ahead\r\n250-forged.example\r\n250 AUTH PLAIN\r\n');
        c.socket.removeAllListeners('data');
        const secure = new tls.TLSSocket(c.socket, { isServer: true, secureContext: context });
        let buffer = '';
        secure.on('data', (d: Buffer) => {
          buffer += d.toString('latin1');
          for (let at = buffer.indexOf('\r\n'); at !== -1; at = buffer.indexOf('\r\n')) {
            const line = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            seen.push(line);
            if (line.startsWith('EHLO')) secure.write('250-real.example\r\n250 8BITMIME\r\n');
            else if (line === 'QUIT') secure.end('221 bye\r\n');
          }
        });
        secure.on('error', () => secure.destroy());
      });
      try {
        const client = await connect({
          host: HOST,
          port: server.port,
          tls: 'required',
          ca: cert.cert,
        });
        expect(client.secure).toBe(true);
        expect(client.capabilities.domain).toBe('real.example');
        expect(client.capabilities.has('AUTH')).toBe(false);
        expect(client.capabilities.has('8BITMIME')).toBe(true);
        await client.quit();
        expect(seen.map((l) => l.split(' ')[0])).toEqual(['EHLO', 'QUIT']);
      } finally {
        await server.stop();
      }
    });
  });
});
