// How a data hook takes the body, over a real socket: read `message.stream` (at once or after an
// await), `message.discard()` for the size only, or neither (the body flows away).
import { defaultExtensions } from '@smtpkit/extensions';
import { ReplyException } from '@smtpkit/reply';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type SmtpServer } from '../index.js';

let server: SmtpServer | undefined;
afterEach(async () => {
  await server?.close({ graceful: false });
  server = undefined;
});

type DataHook = (ctx: unknown, message: IncomingMessage) => Promise<undefined>;

async function start(data: DataHook, sizeMax = 10_000_000): Promise<RawSmtpClient> {
  server = createServer({
    hostname: 'mx.example',
    extensions: defaultExtensions({ size: { max: sizeMax } }),
    hooks: { data },
  });
  const { port } = await server.listen({ port: 0 });
  const c = await RawSmtpClient.connect(port);
  expect(await c.readCodes()).toEqual([220]);
  await c.write('EHLO c.example\r\n');
  expect(await c.readCodes()).toEqual([250]);
  return c;
}

/** One transaction; the body is sent as it would be on the wire (dot-stuffed, terminated). */
async function send(c: RawSmtpClient, wire: string): Promise<number> {
  await c.write('MAIL FROM:<a@x.example>\r\nRCPT TO:<b@y.example>\r\nDATA\r\n');
  expect(await c.readCodes(3)).toEqual([250, 250, 354]);
  c.writeNoWait(wire);
  const [code] = await c.readCodes();
  return code as number;
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('latin1');
}

/** A body with a line-initial dot, as the hook must see it, and as the client sends it. */
const UNSTUFFED = 'Subject: t\r\n\r\n.leading dot\r\nline\r\n';
const WIRE = 'Subject: t\r\n\r\n..leading dot\r\nline\r\n.\r\n';

describe('data hook: taking the body', () => {
  it('reads the stream after an await and still gets the whole body', async () => {
    const got: string[] = [];
    const c = await start(async (_ctx, message) => {
      await new Promise((r) => setTimeout(r, 50));
      got.push(await text(message.stream));
      return undefined;
    });
    expect(await send(c, WIRE)).toBe(250);
    expect(got).toEqual([UNSTUFFED]);
    c.destroy();
  });

  it('a late reader of a body larger than the buffer: the socket waits, nothing is lost', async () => {
    const big = `Subject: big\r\n\r\n${`${'z'.repeat(998)}\r\n`.repeat(300)}`; // 300 KB
    const got: number[] = [];
    const c = await start(async (_ctx, message) => {
      await new Promise((r) => setTimeout(r, 100));
      got.push((await text(message.stream)).length);
      return undefined;
    });
    expect(await send(c, `${big}.\r\n`)).toBe(250);
    expect(got).toEqual([big.length]);
    c.destroy();
  });

  it('discard() resolves with the unstuffed size; the 250 follows the end of the body', async () => {
    const sizes: number[] = [];
    const c = await start(async (_ctx, message) => {
      sizes.push(await message.discard());
      return undefined;
    });
    expect(await send(c, WIRE)).toBe(250);
    expect(sizes).toEqual([UNSTUFFED.length]);
    c.destroy();
  });

  it('a message taken apart: destructured stream, discard and size work as its members', async () => {
    const seen: Array<[string, number, string]> = [];
    const c = await start(async (_ctx, { stream, via }) => {
      const body = await text(stream);
      seen.push([body, 0, via]);
      return undefined;
    });
    expect(await send(c, WIRE)).toBe(250);
    c.destroy();
    await server?.close({ graceful: false });
    const d = await start(async (_ctx, { discard, size }) => {
      const n = await discard();
      seen.push(['', n, String(size())]);
      return undefined;
    });
    expect(await send(d, WIRE)).toBe(250);
    expect(seen).toEqual([
      [UNSTUFFED, 0, 'DATA'],
      ['', UNSTUFFED.length, String(UNSTUFFED.length)],
    ]);
    d.destroy();
  });

  it('discard() rejects with the 552 of a message over SIZE', async () => {
    const outcomes: unknown[] = [];
    const c = await start(async (_ctx, message) => {
      message.discard().then(
        (n) => outcomes.push(n),
        (e: unknown) => outcomes.push(e instanceof ReplyException ? e.reply.code : e),
      );
      return undefined;
    }, 100);
    expect(await send(c, `Subject: x\r\n\r\n${'y'.repeat(200)}\r\n.\r\n`)).toBe(552);
    expect(outcomes).toEqual([552]);
    c.destroy();
  });

  it('a hook that takes neither: 250 at the end of the body, and the next message works', async () => {
    let calls = 0;
    const c = await start(async () => {
      calls += 1;
      return undefined;
    });
    expect(await send(c, WIRE)).toBe(250);
    expect(await send(c, WIRE)).toBe(250);
    expect(calls).toBe(2);
    c.destroy();
  });
});
