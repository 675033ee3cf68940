import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSelfSignedCert,
  opensslSkipReason,
  type SelfSignedCert,
} from './peers/self-signed-cert.js';
import { RawSmtpClient, RawSmtpClientError } from './raw-smtp-client.js';

/** What a scripted server does with a connection: greet, then answer each line it reads. */
interface Script {
  readonly banner?: string;
  onLine?(line: string, socket: Socket): void;
  onEnd?(socket: Socket): void;
}

let server: Server | undefined;
const sockets: Socket[] = [];
/** Every line the scripted server read, in order. */
const seen: string[] = [];

function handle(socket: Socket, script: Script): void {
  sockets.push(socket);
  socket.on('error', () => undefined);
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    for (let i = buffered.indexOf('\r\n'); i >= 0; i = buffered.indexOf('\r\n')) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 2);
      seen.push(line);
      script.onLine?.(line, socket);
    }
  });
  socket.on('end', () => script.onEnd?.(socket));
  if (script.banner !== undefined) socket.write(script.banner);
}

async function listen(s: Server): Promise<number> {
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function serve(script: Script): Promise<number> {
  return listen(createServer({ allowHalfOpen: true }, (socket) => handle(socket, script)));
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  seen.length = 0;
  const s = server;
  server = undefined;
  if (s !== undefined) await new Promise((resolve) => s.close(resolve));
});

describe('RawSmtpClient over TCP', () => {
  it('reads banner and multi-line replies, pipelined writes answered in order', async () => {
    const port = await serve({
      banner: '220 mx.example ESMTP\r\n',
      onLine: (line, socket) => {
        if (line.startsWith('EHLO'))
          socket.write('250-mx.example\r\n250-SIZE 1000\r\n250 PIPELINING\r\n');
        else socket.write('250 2.1.0 Ok\r\n');
      },
    });
    const c = await RawSmtpClient.connect(port);
    expect((await c.readReply()).code).toBe(220);
    await c.write('EHLO client.example\r\nMAIL FROM:<a@example.com>\r\n');
    const [ehlo, mail] = await c.readReplies(2);
    expect(ehlo).toEqual({
      code: 250,
      lines: ['mx.example', 'SIZE 1000', 'PIPELINING'],
      raw: ['250-mx.example', '250-SIZE 1000', '250 PIPELINING'],
    });
    expect(mail).toMatchObject({ code: 250, enhanced: { class: 2, subject: 1, detail: 0 } });
    expect((await c.command('RCPT TO:<b@example.com>')).lines).toEqual(['Ok']);
    expect(c.replies).toHaveLength(4);
    expect(c.pending).toBe(0);
    c.destroy();
  });

  it('a reply split into single bytes is one reply', async () => {
    const port = await serve({
      onLine: (_line, socket) => {
        const text = Buffer.from('250-one\r\n250 two\r\n');
        for (const [i, b] of text.entries()) setTimeout(() => socket.write(Buffer.of(b)), i * 2);
      },
    });
    const c = await RawSmtpClient.connect(port);
    expect((await c.command('NOOP')).lines).toEqual(['one', 'two']);
    c.destroy();
  });

  it('data() dot-stuffs and terminates the message; the server sees it as sent', async () => {
    const port = await serve({
      onLine: (line, socket) => {
        if (line === 'DATA') socket.write('354 go\r\n');
        else if (line === '.') socket.write('250 2.0.0 queued\r\n');
      },
    });
    const c = await RawSmtpClient.connect(port);
    expect((await c.data(Buffer.from('Subject: x\r\n\r\n.dot\r\n'))).code).toBe(250);
    expect(seen).toEqual(['DATA', 'Subject: x', '', '..dot', '.']);
    c.destroy();
  });

  it('bounds every wait: a timeout, a close before the reply, no close', async () => {
    const port = await serve({
      onLine: (line, socket) => {
        if (line === 'QUIT') socket.end('221 bye\r\n');
        if (line === 'HALF') socket.end('250 par');
      },
    });
    const c = await RawSmtpClient.connect(port, { timeoutMs: 200 });
    await expect(c.readReply()).rejects.toMatchObject({ code: 'ERR_RAW_TIMEOUT' });
    expect(await c.readReplyOrClose(50)).toBeUndefined();
    expect(await c.waitClose(50)).toBe(false);
    expect((await c.command('QUIT')).code).toBe(221);
    expect(await c.waitClose()).toBe(true);
    expect(c.closed).toBe(true);
    await expect(c.readReply()).rejects.toMatchObject({ code: 'ERR_RAW_CLOSED' });
    await expect(c.write('x')).rejects.toBeInstanceOf(RawSmtpClientError);

    const d = await RawSmtpClient.connect(port);
    d.writeNoWait('HALF\r\n');
    const e = await d.readReply().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_RAW_CLOSED' });
    expect((e as Error).message).toContain('"250 par"');
  });

  it('a malformed reply line fails every later read', async () => {
    const port = await serve({ banner: '250 ok\nsmuggled\r\n250 next\r\n' });
    const c = await RawSmtpClient.connect(port);
    await expect(c.readReply()).rejects.toMatchObject({ code: 'ERR_RAW_REPLY_SYNTAX' });
    await expect(c.readReplyOrClose()).rejects.toMatchObject({ code: 'ERR_RAW_REPLY_SYNTAX' });
    c.destroy();
  });

  it('end() half-closes: the server reads EOF and its reply still arrives', async () => {
    const port = await serve({
      onEnd: (socket) => socket.end('221 2.0.0 seen your FIN\r\n'),
    });
    const c = await RawSmtpClient.connect(port);
    c.end();
    expect(await c.readReply()).toMatchObject({ code: 221, lines: ['seen your FIN'] });
    expect(await c.waitClose()).toBe(true);
  });

  it('drain() collects replies until the line is quiet', async () => {
    const port = await serve({
      onLine: (_line, socket) => {
        socket.write('250 a\r\n');
        setTimeout(() => socket.write('250 b\r\n'), 50);
      },
    });
    const c = await RawSmtpClient.connect(port);
    c.writeNoWait('NOOP\r\n');
    expect((await c.drain(200)).map((r) => r.lines[0])).toEqual(['a', 'b']);
    expect(await c.drain(100)).toEqual([]);
    c.destroy();
  });

  it('greeted() reads the banner and sends EHLO; connects from localAddress', async () => {
    let remote: string | undefined;
    const port = await listen(
      createServer((socket) => {
        remote = socket.remoteAddress;
        handle(socket, {
          banner: '220 mx.example\r\n',
          onLine: (_line, s) => s.write('250 mx.example\r\n'),
        });
      }),
    );
    const c = await RawSmtpClient.greeted(port, {
      localAddress: '127.0.0.2',
      ehloName: 'me.example',
    });
    expect(seen).toEqual(['EHLO me.example']);
    expect(remote).toBe('127.0.0.2');
    c.destroy();
  });
});

describe.skipIf(opensslSkipReason() !== undefined)('RawSmtpClient over TLS', () => {
  let cert: SelfSignedCert;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
  });
  afterAll(async () => {
    await cert?.remove();
  });

  it('connects with implicit TLS (RFC 8314)', async () => {
    const port = await listen(
      createTlsServer({ key: cert.key, cert: cert.cert }, (socket) =>
        handle(socket, { banner: '220 tls.example\r\n', onLine: (_l, s) => s.write('250 ok\r\n') }),
      ),
    );
    const c = await RawSmtpClient.connect(port, { implicitTls: true });
    expect((await c.readReply()).lines).toEqual(['tls.example']);
    expect((await c.command('NOOP')).code).toBe(250);
    expect((c.socket as TLSSocket).encrypted).toBe(true);
    c.destroy();
  });

  it('startTls(): 220, the handshake, then commands over TLS (RFC 3207)', async () => {
    const context = createSecureContext({ key: cert.key, cert: cert.cert });
    const port = await serve({
      onLine: (line, socket) => {
        if (line !== 'STARTTLS') return;
        socket.removeAllListeners('data');
        socket.write('220 2.0.0 go ahead\r\n');
        const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
        handle(secure, { onLine: (l, s) => s.write(`250 secure ${l}\r\n`) });
      },
    });
    const c = await RawSmtpClient.connect(port);
    expect(replyText(await c.startTls())).toBe('220 2.0.0 go ahead');
    expect((await c.command('NOOP')).lines).toEqual(['secure NOOP']);
    expect((c.socket as TLSSocket).encrypted).toBe(true);
    c.destroy();
  });
});

function replyText(r: { raw: readonly string[] }): string {
  return r.raw.join('\n');
}
