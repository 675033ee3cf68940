import { describe, expect, it } from 'vitest';
import { BodyStream } from './body-stream.js';

function make(highWaterMark = 1024) {
  const owner = {
    resumed: 0,
    resumeBody(): void {
      owner.resumed += 1;
    },
  };
  return { stream: new BodyStream(highWaterMark, owner), owner };
}

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('latin1');

describe('BodyStream: for await', () => {
  it('yields every chunk, including those pushed while the loop waits, then ends', async () => {
    const { stream } = make();
    stream.push(Buffer.from('one '));
    setTimeout(() => {
      stream.push(Buffer.from('two '));
      setTimeout(() => {
        stream.push(Buffer.from('three'));
        stream.push(null);
      }, 5);
    }, 5);
    const got: Buffer[] = [];
    for await (const chunk of stream) got.push(chunk);
    expect(text(got)).toBe('one two three');
    // The loop ends as soon as the end is read; the stream's 'end' follows (a tick later).
    await new Promise((r) => setImmediate(r));
    expect(stream.readableEnded).toBe(true);
  });

  it('wakes a waiting loop at the push itself, not events later', async () => {
    const { stream } = make();
    const it = stream[Symbol.asyncIterator]();
    const next = it.next();
    stream.push(Buffer.from('now'));
    stream.push(null);
    // Two microtask turns: the wake, then next() returning. 'readable' would need a nextTick.
    let settled = false;
    void next.then(() => {
      settled = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    expect(text([(await next).value as Buffer])).toBe('now');
    expect((await it.next()).done).toBe(true);
  });

  it('a stream destroyed after its whole body was read ends the loop without an error', async () => {
    const { stream } = make();
    stream.push(Buffer.from('all'));
    stream.push(null);
    const it = stream[Symbol.asyncIterator]();
    expect(text([(await it.next()).value as Buffer])).toBe('all');
    stream.destroy();
    expect((await it.next()).done).toBe(true);
  });

  it('an empty body ends the loop at once', async () => {
    const { stream } = make();
    stream.push(null);
    const got: Buffer[] = [];
    for await (const chunk of stream) got.push(chunk);
    expect(got).toEqual([]);
  });

  it('throws the error the stream is destroyed with', async () => {
    const { stream } = make();
    stream.push(Buffer.from('part'));
    const refused = new Error('552 too big');
    setTimeout(() => stream.destroy(refused), 5);
    const got: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) got.push(chunk);
      })(),
    ).rejects.toBe(refused);
    expect(text(got)).toBe('part');
  });

  it('a stream destroyed without an error ends the loop with a premature-close error', async () => {
    const { stream } = make();
    setTimeout(() => stream.destroy(), 5);
    await expect(
      (async () => {
        for await (const _ of stream) {
          // nothing arrives
        }
      })(),
    ).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('leaving the loop early destroys the stream', async () => {
    const { stream } = make();
    stream.push(Buffer.from('a'));
    stream.push(Buffer.from('b'));
    for await (const _ of stream) break;
    expect(stream.destroyed).toBe(true);
  });

  it('reading lets backpressure off: a full buffer asks the owner for more once read', async () => {
    const { stream, owner } = make(4);
    expect(stream.push(Buffer.from('12345'))).toBe(false);
    const before = owner.resumed;
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(owner.resumed).toBeGreaterThan(before);
    await it.return?.();
  });
});
