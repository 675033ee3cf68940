import tls from 'node:tls';
import { defaultExtensions, startTls } from '@smtpkit/extensions';
import {
  createSelfSignedCert,
  opensslSkipReason,
  RawSmtpClient,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SmtpServer } from '../index.js';

const skip = opensslSkipReason();

/** Reads one complete reply from a TLS socket. */
function readReply(socket: tls.TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (d: Buffer) => {
      buffer += d.toString('latin1');
      const lines = buffer.split('\r\n');
      const done = lines.slice(0, -1).some((l) => l.charAt(3) === ' ');
      if (done) {
        socket.removeListener('data', onData);
        resolve(buffer);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe.skipIf(skip !== undefined)('TLS: STARTTLS, implicit TLS, SNI, reload', () => {
  let a: SelfSignedCert;
  let b: SelfSignedCert;
  let server: SmtpServer | undefined;
  beforeAll(async () => {
    a = await createSelfSignedCert({ commonName: 'mx.example' });
    b = await createSelfSignedCert({ commonName: 'other.example' });
  });
  afterAll(async () => {
    await a?.remove();
    await b?.remove();
  });
  afterEach(async () => {
    await server?.close({ graceful: false });
    server = undefined;
  });

  const peerCert = (socket: tls.TLSSocket) => socket.getPeerCertificate().subject?.CN;

  it('STARTTLS: handshake on the same connection, EHLO again, the hook sees tls', async () => {
    const seen: unknown[] = [];
    server = createServer({
      hostname: 'mx.example',
      extensions: [...defaultExtensions(), startTls()],
      tls: { key: a.key, cert: a.cert },
      hooks: {
        mail: async (ctx) => {
          seen.push([ctx.tls, ctx.tlsInfo?.protocol]);
        },
      },
    });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.readCodes();
    await c.write('EHLO c.example\r\nSTARTTLS\r\n');
    const [ehlo, go] = (await c.readReplies(2)).map((reply) => reply.raw);
    expect(ehlo?.some((l) => l.slice(4) === 'STARTTLS')).toBe(true);
    expect(go?.[0]).toMatch(/^220 2\.0\.0 /);
    const secure = tls.connect({
      socket: c.socket,
      rejectUnauthorized: false,
      servername: 'mx.example',
    });
    await new Promise<void>((resolve) => secure.once('secureConnect', () => resolve()));
    expect(peerCert(secure)).toBe('mx.example');
    secure.write('EHLO c.example\r\n');
    const reply = await readReply(secure);
    expect(reply).not.toContain('STARTTLS');
    secure.write('MAIL FROM:<a@b.example>\r\n');
    expect(await readReply(secure)).toMatch(/^250 /);
    expect(seen).toEqual([[true, secure.getProtocol()]]);
    secure.destroy();
  });

  it('implicit TLS (RFC 8314): the banner comes over TLS; SNI picks the certificate; setTls reloads', async () => {
    server = createServer({
      hostname: 'mx.example',
      tls: {
        key: a.key,
        cert: a.cert,
        sni: (name) => (name === 'other.example' ? { key: b.key, cert: b.cert } : undefined),
      },
    });
    const { port } = await server.listen({ port: 0, tls: 'implicit' });
    const connect = async (servername: string) => {
      const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, servername });
      const banner = readReply(s);
      await new Promise<void>((resolve) => s.once('secureConnect', () => resolve()));
      return { s, banner: await banner };
    };
    const one = await connect('mx.example');
    expect(one.banner).toMatch(/^220 mx\.example/);
    expect(peerCert(one.s)).toBe('mx.example');
    one.s.destroy();
    const two = await connect('other.example');
    expect(peerCert(two.s)).toBe('other.example');
    two.s.destroy();
    server.setTls({ key: b.key, cert: b.cert });
    const three = await connect('mx.example');
    expect(peerCert(three.s)).toBe('other.example');
    three.s.destroy();
  });

  it('refuses STARTTLS without certificates at creation (API misuse)', () => {
    expect(() => createServer({ extensions: [...defaultExtensions(), startTls()] })).toThrow(
      /STARTTLS needs the tls option/,
    );
  });
});
