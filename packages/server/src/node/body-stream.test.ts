import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { inspect } from 'node:util';
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

describe('BodyStream: a loop that reads first takes the chunks from the stream itself', () => {
  it("ends as after Node's iterator: 'end', then destroyed and 'close'; finished() resolves", async () => {
    const { stream } = make();
    const events: string[] = [];
    stream.push(Buffer.from('a'));
    stream.push(null);
    for await (const _ of stream) {
      // read
    }
    stream.on('end', () => events.push('end'));
    stream.on('close', () => events.push('close'));
    await finished(stream);
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['end', 'close']);
    expect(stream.readableEnded).toBe(true);
    expect(stream.destroyed).toBe(true);
    expect(stream.errored).toBeNull();
  });

  it('is read whole by an async generator in pipeline()', async () => {
    const { stream } = make();
    stream.push(Buffer.from('one '));
    setTimeout(() => {
      stream.push(Buffer.from('two'));
      stream.push(null);
    }, 5);
    const got: Buffer[] = [];
    await pipeline(stream, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) got.push(chunk);
    });
    expect(text(got)).toBe('one two');
  });

  it("emits 'end' to a listener", async () => {
    const { stream } = make();
    const ended = new Promise<string>((resolve) => stream.once('end', () => resolve('end')));
    stream.push(Buffer.from('a'));
    stream.push(null);
    for await (const _ of stream) {
      // read
    }
    expect(await ended).toBe('end');
  });

  it('counts the chunks waiting for a reader in readableLength', () => {
    const { stream } = make();
    stream.push(Buffer.from('12345'));
    stream.push(Buffer.from('678'));
    expect(stream.readableLength).toBe(8);
  });

  it('yields a Uint8Array pushed as a Buffer over the same memory', async () => {
    const { stream } = make();
    const bytes = new TextEncoder().encode('xyz');
    stream.push(bytes);
    stream.push(null);
    const it = stream[Symbol.asyncIterator]();
    const chunk = (await it.next()).value as Buffer;
    expect(Buffer.isBuffer(chunk)).toBe(true);
    expect(chunk.buffer).toBe(bytes.buffer);
    expect(chunk.toString('latin1')).toBe('xyz');
  });

  it('past the high-water mark push() says pause; the loop taking the chunk resumes', async () => {
    const { stream, owner } = make(4);
    expect(stream.push(Buffer.from('12'))).toBe(true);
    expect(stream.push(Buffer.from('345'))).toBe(false);
    expect(stream.push(Buffer.from('6'))).toBe(false);
    const it = stream[Symbol.asyncIterator]();
    // 4 octets still wait: not below the mark yet.
    expect(((await it.next()).value as Buffer).toString()).toBe('12');
    expect(owner.resumed).toBe(0);
    expect(((await it.next()).value as Buffer).toString()).toBe('345');
    expect(owner.resumed).toBe(1);
    await it.return?.();
  });
});

describe('BodyStream: read as a Readable', () => {
  it("chunks pushed before 'data' was listened for flow in order, then 'end'", async () => {
    const { stream } = make();
    stream.push(Buffer.from('one '));
    stream.push(Buffer.from('two '));
    const got: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => got.push(chunk));
    const ended = new Promise((r) => stream.once('end', r));
    stream.push(Buffer.from('three'));
    stream.push(null);
    await ended;
    expect(text(got)).toBe('one two three');
    expect(stream.readableEnded).toBe(true);
  });

  it('read() returns what was pushed before it', () => {
    const { stream } = make();
    stream.push(Buffer.from('abc'));
    stream.push(null);
    expect((stream.read() as Buffer).toString()).toBe('abc');
    expect(stream.read()).toBeNull();
  });

  it("a loop begun after the stream was read as a Readable reads the rest from Node's buffer", async () => {
    const { stream } = make();
    stream.push(Buffer.from('a'));
    stream.push(Buffer.from('b'));
    expect((stream.read(1) as Buffer).toString()).toBe('a');
    stream.push(Buffer.from('c'));
    stream.push(null);
    const got: Buffer[] = [];
    for await (const chunk of stream) got.push(chunk);
    expect(text(got)).toBe('bc');
  });

  it('pipes into a Writable', async () => {
    const { stream } = make();
    const { Writable } = await import('node:stream');
    const got: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        got.push(chunk);
        done();
      },
    });
    const finished = new Promise((r) => sink.once('finish', r));
    stream.push(Buffer.from('piped'));
    stream.pipe(sink);
    stream.push(Buffer.from(' body'));
    stream.push(null);
    await finished;
    expect(text(got)).toBe('piped body');
  });
});

describe('BodyStream: a Readable made on first use', () => {
  it('is a Readable, and ended and destroyed as soon as a direct loop read it whole', async () => {
    const { stream } = make();
    expect(stream).toBeInstanceOf(Readable);
    stream.push(Buffer.from('a'));
    stream.push(null);
    for await (const _ of stream) {
      // read
    }
    expect(stream.readableEnded).toBe(true);
    expect(stream.destroyed).toBe(true);
    expect(stream.readableLength).toBe(0);
  });

  it("a listener added first gets 'data' and 'end' for chunks pushed later", async () => {
    const { stream } = make();
    const got: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => got.push(chunk));
    const ended = new Promise((r) => stream.once('end', r));
    stream.push(Buffer.from('late '));
    stream.push(Buffer.from('chunks'));
    stream.push(null);
    await ended;
    expect(text(got)).toBe('late chunks');
  });

  it('destroyed before anything read it: errored, and a loop throws the error', async () => {
    const { stream } = make();
    const refused = new Error('552 too big');
    stream.destroy(refused);
    expect(stream.destroyed).toBe(true);
    expect(stream.errored).toBe(refused);
    await expect(
      (async () => {
        for await (const _ of stream) {
          // nothing
        }
      })(),
    ).rejects.toBe(refused);
  });

  it('answers what Node answers for a fresh stream', () => {
    const { stream } = make(2048);
    expect(stream.readable).toBe(true);
    expect(stream.readableHighWaterMark).toBe(2048);
    expect(stream.readableObjectMode).toBe(false);
    expect(stream.readableFlowing).toBeNull();
    expect(inspect(stream)).toContain('BodyStream');
  });

  it('decodes text with setEncoding', async () => {
    const { stream } = make();
    stream.setEncoding('utf8');
    stream.push(Buffer.from('caf\xc3', 'latin1'));
    stream.push(Buffer.from('\xa9', 'latin1'));
    stream.push(null);
    let got = '';
    for await (const chunk of stream) got += chunk;
    expect(got).toBe('café');
  });
});

describe('BodyStream: as a Readable in the corners', () => {
  it('two loops at once both end (each takes some chunks)', async () => {
    const { stream } = make();
    const got: Buffer[] = [];
    const loop = async () => {
      for await (const chunk of stream) got.push(chunk);
    };
    const both = Promise.all([loop(), loop()]);
    await new Promise((r) => setImmediate(r));
    stream.push(Buffer.from('a'));
    stream.push(Buffer.from('b'));
    stream.push(null);
    await both;
    expect(text(got)).toBe('ab');
  });

  it('two waiting loops both throw the error of a destroy', async () => {
    const { stream } = make();
    const loop = async () => {
      for await (const _ of stream) {
        // nothing arrives
      }
    };
    const both = Promise.allSettled([loop(), loop()]);
    await new Promise((r) => setImmediate(r));
    const refused = new Error('refused');
    stream.destroy(refused);
    expect((await both).map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual([
      refused,
      refused,
    ]);
  });

  it("prependListener('end') and prependOnceListener('close') hear a direct loop end", async () => {
    const { stream } = make();
    const events: string[] = [];
    stream.prependListener('end', () => events.push('end'));
    stream.prependOnceListener('close', () => events.push('close'));
    stream.push(Buffer.from('x'));
    stream.push(null);
    for await (const _ of stream) {
      // read
    }
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['end', 'close']);
  });

  it('read whole by a direct loop: not readable, did read, disturbed', async () => {
    expect(Readable.isDisturbed(make().stream)).toBe(false);
    const { stream } = make();
    expect(stream.readableDidRead).toBe(false);
    stream.push(Buffer.from('x'));
    stream.push(null);
    for await (const _ of stream) {
      // read
    }
    expect(stream.readable).toBe(false);
    expect(stream.readableDidRead).toBe(true);
    expect(Readable.isDisturbed(stream)).toBe(true);
  });
});
