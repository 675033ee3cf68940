import { ReplyException, replies } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { MessageBody } from './message-body.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function owner() {
  const o = {
    resumed: 0,
    resumeBody() {
      o.resumed += 1;
    },
  };
  return o;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += Buffer.from(chunk).toString('latin1');
  return text;
}

describe('MessageBody', () => {
  it('chunks that came before the hook read the stream are in it, in order', async () => {
    const body = new MessageBody(1024, owner());
    body.push(bytes('Subject: a\r\n'));
    body.push(bytes('\r\nhello\r\n'));
    const stream = body.stream;
    body.push(bytes('more\r\n'));
    body.end(27);
    expect(await readAll(stream)).toBe('Subject: a\r\n\r\nhello\r\nmore\r\n');
  });

  it('a stream first read after the end still has the whole body', async () => {
    const body = new MessageBody(1024, owner());
    body.push(bytes('x\r\n'));
    body.end(3);
    expect(await readAll(body.stream)).toBe('x\r\n');
  });

  it('is the same stream on every read', () => {
    const body = new MessageBody(1024, owner());
    expect(body.stream).toBe(body.stream);
  });

  it('waiting chunks are bounded: past the high-water mark push() asks for a pause', () => {
    const o = owner();
    const body = new MessageBody(8, o);
    expect(body.push(bytes('1234'))).toBe(true);
    expect(body.full).toBe(false);
    expect(body.push(bytes('5678'))).toBe(false);
    expect(body.full).toBe(true);
    // Choosing releases the pause.
    void body.discard();
    expect(body.full).toBe(false);
    expect(o.resumed).toBe(1);
  });

  it('discard() resolves with the size once the body ended', async () => {
    const body = new MessageBody(1024, owner());
    body.push(bytes('abc'));
    const size = body.discard();
    body.push(bytes('def'));
    body.end(6);
    await expect(size).resolves.toBe(6);
  });

  it('discard() after the end resolves at once', async () => {
    const body = new MessageBody(1024, owner());
    body.end(0);
    await expect(body.discard()).resolves.toBe(0);
  });

  it('a refused body rejects discard() with the reply', async () => {
    const body = new MessageBody(1024, owner());
    const size = body.discard();
    body.abort(new ReplyException(replies.R552_5_3_4_MessageTooBig));
    const error = await size.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyException);
    expect((error as ReplyException).reply.code).toBe(552);
  });

  it('a refused body destroys the stream, even one first read after the refusal', async () => {
    const body = new MessageBody(1024, owner());
    body.push(bytes('abc'));
    body.abort(new ReplyException(replies.R554_5_6_0_BareLineFeed));
    await expect(readAll(body.stream)).rejects.toBeInstanceOf(ReplyException);
  });

  it('stream and discard() exclude each other', async () => {
    const a = new MessageBody(1024, owner());
    void a.stream;
    await expect(a.discard()).rejects.toThrow(TypeError);
    const b = new MessageBody(1024, owner());
    void b.discard();
    expect(() => b.stream).toThrow(TypeError);
  });

  it('when the hook settles without choosing, the rest is dropped and a late read fails', async () => {
    const body = new MessageBody(4, owner());
    body.push(bytes('12345'));
    expect(body.full).toBe(true);
    body.release();
    expect(body.full).toBe(false);
    expect(body.push(bytes('67890'))).toBe(true);
    body.end(10);
    await expect(readAll(body.stream)).rejects.toThrow(/after the data hook settled/);
  });

  it('a stream the hook stopped reading flows away after it settled', async () => {
    const body = new MessageBody(4, owner());
    const stream = body.stream;
    expect(body.push(bytes('12345'))).toBe(false);
    body.release();
    expect(stream.readableFlowing).toBe(true);
    body.end(5);
    await new Promise((r) => stream.once('end', r));
  });

  it('a hook that left its loop early and settled: the rest is dropped, the socket reads on', async () => {
    const o = owner();
    const body = new MessageBody(4, o);
    body.push(bytes('12'));
    for await (const _ of body.stream) break;
    body.release();
    expect(body.push(bytes('34567'))).toBe(true);
    expect(body.push(bytes('89012'))).toBe(true);
    body.end(12);
  });

  it("a 'readable' listener left behind does not keep the rest from flowing away", async () => {
    const body = new MessageBody(4, owner());
    const stream = body.stream;
    stream.on('readable', () => {});
    body.push(bytes('12345'));
    body.release();
    body.end(5);
    await new Promise((r) => stream.once('end', r));
    expect(stream.readableEnded).toBe(true);
  });

  it('a loop still running after its hook settled gets the whole body', async () => {
    const body = new MessageBody(1024, owner());
    const stream = body.stream;
    const read = readAll(stream);
    await new Promise((r) => setImmediate(r));
    body.release();
    body.push(bytes('after '));
    body.push(bytes('settling'));
    body.end(14);
    expect(await read).toBe('after settling');
  });
});
