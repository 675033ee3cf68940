import diagnosticsChannel from 'node:diagnostics_channel';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type SmtpServer } from '../index.js';
import { encodeProxyV1 } from '../proxy/index.js';

let server: SmtpServer | undefined;
afterEach(async () => {
  await server?.close({ graceful: false });
  server = undefined;
});

describe('createServer: connection layer', () => {
  it('PROXY v1 from an allowed peer: the hook context gets the client address', async () => {
    const seen: unknown[] = [];
    server = createServer({
      hostname: 'mx.example',
      proxy: { allowFrom: ['127.0.0.0/8'] },
      hooks: {
        helo: async (ctx) => {
          seen.push([ctx.remoteAddress, ctx.proxied?.peerAddress]);
        },
      },
    });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.write(
      encodeProxyV1({
        family: 'ipv4',
        protocol: 'stream',
        sourceAddress: '192.0.2.7',
        destinationAddress: '192.0.2.25',
        sourcePort: 40000,
        destinationPort: 25,
      }),
    );
    expect(await c.readCodes()).toEqual([220]);
    await c.write('EHLO c.example\r\n');
    expect(await c.readCodes()).toEqual([250]);
    expect(seen).toEqual([['192.0.2.7', '127.0.0.1']]);
    c.destroy();
  });

  it('a bad PROXY header from an allowed peer closes the connection without a banner', async () => {
    server = createServer({ hostname: 'mx.example', proxy: { allowFrom: ['127.0.0.0/8'] } });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.write('EHLO c.example\r\n');
    expect(await c.waitClose()).toBe(true);
    expect(c.receivedBytes).toBe(0);
  });

  it('publishes diagnostics only to subscribers, never AUTH data', async () => {
    const messages: [string, unknown][] = [];
    const names = ['connection', 'command', 'reply', 'message'];
    const subs = names.map((n) => {
      const f = (m: unknown) => messages.push([n, m]);
      diagnosticsChannel.subscribe(`smtpkit:server:${n}`, f);
      return () => diagnosticsChannel.unsubscribe(`smtpkit:server:${n}`, f);
    });
    try {
      server = createServer({
        hostname: 'mx.example',
        hooks: { data: async (_c, m) => void (await m.stream.toArray()) },
      });
      const { port } = await server.listen({ port: 0 });
      const c = await RawSmtpClient.connect(port);
      await c.readCodes();
      await c.write('EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nDATA\r\n');
      await c.readCodes(4);
      await c.write('hi\r\n.\r\nQUIT\r\n');
      await c.readCodes(2);
      expect(await c.waitClose()).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      for (const u of subs) u();
    }
    const kinds = new Set(messages.map(([n]) => n));
    expect(kinds).toEqual(new Set(names));
    const verbs = messages
      .filter(([n]) => n === 'command')
      .map(([, m]) => (m as { verb: string }).verb);
    expect(verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT']);
    expect(messages.find(([n]) => n === 'message')?.[1]).toMatchObject({
      size: 4,
      outcome: 'accepted',
    });
  });

  it('backpressure: the socket pauses while the data hook does not read, nothing is lost', async () => {
    let release: (() => void) | undefined;
    let received = 0;
    server = createServer({
      hostname: 'mx.example',
      hooks: {
        data: async (_ctx, message) => {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          for await (const chunk of message.stream) received += (chunk as Buffer).length;
        },
      },
    });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.readCodes();
    await c.write('EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nDATA\r\n');
    await c.readCodes(4);
    const line = `${'z'.repeat(98)}\r\n`;
    const total = 4 * 1024 * 1024;
    const buffer = Buffer.from(line.repeat(total / line.length));
    c.writeNoWait(buffer);
    c.writeNoWait('.\r\n');
    await new Promise((r) => setTimeout(r, 200));
    // The server stopped reading: our socket still holds unsent data.
    expect(c.socket.writableLength).toBeGreaterThan(0);
    release?.();
    expect(await c.readCodes()).toEqual([250]);
    expect(received).toBe(buffer.length);
    c.destroy();
  });

  it('graceful close: idle clients get 421 4.3.2', async () => {
    server = createServer({ hostname: 'mx.example' });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.readCodes();
    await c.write('EHLO c\r\n');
    await c.readCodes();
    expect(server.connections).toBe(1);
    await server.close({ graceful: true, timeoutMs: 1000 });
    server = undefined;
    expect(await c.readCodes()).toEqual([421]);
  });
});

describe('createServer: PROXY and early talk', () => {
  it('bytes sent together with the PROXY header are early talk (554, close)', async () => {
    server = createServer({ hostname: 'mx.example', proxy: { allowFrom: ['127.0.0.0/8'] } });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.write('PROXY TCP4 192.0.2.7 192.0.2.25 40000 25\r\nEHLO c.example\r\n');
    expect(await c.readCodes()).toEqual([554]);
    expect(await c.waitClose()).toBe(true);
  });
});
