import { Readable } from 'node:stream';

function noop(): void {}

/** Node's own getter of `readableLength`. */
const readableLengthOf = ((): ((this: Readable) => number) => {
  const get = Object.getOwnPropertyDescriptor(Readable.prototype, 'readableLength')?.get;
  if (get === undefined) throw new Error('Readable.prototype.readableLength is not an accessor');
  return get;
})();

/** Who a message body's reader tells that it wants more. */
export interface BodyOwner {
  /** The reader wants more: a socket paused by backpressure may read again. */
  resumeBody(): void;
}

/**
 * Where a body's chunks go. `held`: nobody reads yet, they wait in the stream's own queue.
 * `direct`: a `for await` loop began first and takes them from that queue itself. `readable`:
 * the stream is read as a Readable (`read()`, 'data', 'readable', `pipe()`), which asked for them
 * through `_read`; they are in Node's buffer from then on.
 */
type Feed = 'held' | 'direct' | 'readable';

/**
 * The `message.stream` of a data hook: a Readable in byte mode with backpressure (a full buffer
 * pauses the socket; reading, or Node's `_read`, calls `owner.resumeBody()`). A subclass rather
 * than `new Readable({ read })`: no closure per message or per connection. A refused message's
 * stream is destroyed with a `ReplyException` for its reader; with nobody reading, that error
 * must not crash the process, hence the no-op error listener.
 *
 * `for await` is how most hooks read it, once per message, so that path is the short one: chunks
 * wait in a queue of the stream's own until somebody reads, and a loop that begins before any
 * other reader takes them from there ({@link BodyIterator}), with none of the Readable's buffering,
 * events and ticks. The first use as a Readable (Node calls `_read`) moves what waits into Node's
 * buffer, and from then on it is an ordinary Readable. A loop that reads to the end leaves the
 * stream as Node's own iterator does: 'end', then destroyed ('close'), on the next tick.
 *
 * @example
 * ```ts
 * const stream = new BodyStream(65_536, { resumeBody: () => socket.resume() });
 * stream.push(chunk); // false: pause the socket until owner.resumeBody()
 * stream.push(null);  // the end of the body
 * ```
 */
export class BodyStream extends Readable {
  readonly #owner: BodyOwner;
  readonly #highWaterMark: number;
  #feed: Feed = 'held';
  /** Chunks pushed and not yet taken (`held` and `direct`), from `#head` on, and their octets. */
  #queue: Buffer[] = [];
  #head = 0;
  #queued = 0;
  /** The body's end was pushed (`push(null)`): once the buffer is read, nothing more comes. */
  #eof = false;
  /** An iterator waiting for more: woken by the next push, the end or a destroy. */
  #waiter: (() => void) | undefined;

  constructor(highWaterMark: number, owner: BodyOwner) {
    super({ highWaterMark });
    this.#highWaterMark = highWaterMark;
    this.#owner = owner;
    this.on('error', noop);
  }

  /**
   * A body chunk, or `null` for its end. False: past the high-water mark, the socket should
   * pause until the owner is told the reader wants more.
   */
  override push(chunk: Uint8Array | null): boolean {
    if (this.#feed === 'readable') {
      if (chunk === null) this.#eof = true;
      const more = super.push(chunk);
      this.#wake();
      return more;
    }
    if (this.destroyed) return false;
    if (chunk === null) this.#eof = true;
    else if (chunk.length > 0) {
      this.#queue.push(asBuffer(chunk));
      this.#queued += chunk.length;
    }
    this.#wake();
    return this.#queued < this.#highWaterMark;
  }

  /** Node asks for data: the stream is read as a Readable from now on. */
  override _read(): void {
    if (this.#feed !== 'readable') this.#becomeReadable();
    this.#owner.resumeBody();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(error);
    this.#wake();
  }

  override [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    if (this.#feed === 'held') this.#feed = 'direct';
    return new BodyIterator(this);
  }

  // Node's `readableLength` (an accessor on Readable.prototype, typed as a property, hence
  // defined here rather than as a `get`) counts the chunks in the stream's own queue too.
  static {
    Object.defineProperty(BodyStream.prototype, 'readableLength', {
      configurable: true,
      get(this: BodyStream): number {
        return this.#queued + readableLengthOf.call(this);
      },
    });
  }

  /** All of the body was read: its end was pushed and nothing is left in the buffer. */
  get drained(): boolean {
    return this.#eof && this.readableLength === 0;
  }

  /** Calls `wake` once, at the next push, end or destroy. */
  waitForMore(wake: () => void): void {
    this.#waiter = wake;
  }

  /** A `for await` loop began before any other reader: it takes the chunks from the queue. */
  get direct(): boolean {
    return this.#feed === 'direct';
  }

  /** The next chunk of a direct loop, or `null`; below the high-water mark again, the owner is told. */
  takeQueued(): Buffer | null {
    if (this.#head === this.#queue.length) return null;
    const chunk = this.#queue[this.#head] as Buffer;
    this.#queue[this.#head] = EMPTY;
    this.#head += 1;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    const before = this.#queued;
    this.#queued -= chunk.length;
    if (before >= this.#highWaterMark && this.#queued < this.#highWaterMark) {
      this.#owner.resumeBody();
    }
    return chunk;
  }

  /**
   * A direct loop read the end: the end goes to Node's buffer and is read there, so the stream
   * ends as after Node's own iterator: 'end', then (autoDestroy) 'close'. That runs on the next
   * tick, once the microtasks that follow the loop (the hook settling, its reply written) ran:
   * ending a Readable is work that nobody waits for.
   */
  endedDirectly(): void {
    if (this.#feed !== 'direct') return;
    this.#feed = 'readable';
    process.nextTick(BodyStream.#endAsReadable, this);
  }

  /** The end of a direct loop, read through Node's buffer ({@link endedDirectly}). */
  static #endAsReadable(this: void, stream: BodyStream): void {
    stream.#becomeReadable();
    stream.read();
  }

  #becomeReadable(): void {
    this.#feed = 'readable';
    const queue = this.#queue;
    for (let i = this.#head; i < queue.length; i++) super.push(queue[i]);
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    if (this.#eof) super.push(null);
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    waiter();
  }
}

const EMPTY = Buffer.alloc(0);

/** The chunk as a Buffer (what a byte-mode Readable yields), without a copy. */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

/**
 * Reads a {@link BodyStream} chunk by chunk: each `next()` takes a waiting chunk (from the
 * stream's own queue, or `read()` once it is a Readable, which lets backpressure off) or waits
 * for the stream's next push, end or destroy, which wake it at once (not through 'readable' and
 * 'end' events, each a turn of `process.nextTick` later). Like Node's own iterator: it ends with
 * the stream, throws the error the stream was destroyed with (or a premature-close error), and
 * leaving the loop early (`return()`) destroys the stream.
 */
class BodyIterator implements AsyncIterableIterator<Buffer> {
  readonly #stream: BodyStream;
  #finished = false;

  constructor(stream: BodyStream) {
    this.#stream = stream;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    const stream = this.#stream;
    for (;;) {
      if (this.#finished) return { value: undefined, done: true };
      if (stream.destroyed) {
        this.#finished = true;
        // Destroyed after its end was read whole (autoDestroy, or by the hook): done. Else cut.
        if (stream.readableEnded || (stream.drained && !stream.errored)) {
          return { value: undefined, done: true };
        }
        throw stream.errored ?? prematureClose();
      }
      // Direct: from the stream's queue (`read()` would make it a Readable). Else from Node's buffer.
      const chunk = stream.direct ? stream.takeQueued() : (stream.read() as Buffer | null);
      if (chunk !== null) return { value: chunk, done: false };
      if (stream.drained) {
        // The end was pushed and all of it read. Read directly: the stream ends now. As a
        // Readable: Node emits 'end' a tick later; the loop is done.
        this.#finished = true;
        stream.endedDirectly();
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => stream.waitForMore(resolve));
    }
  }

  async return(): Promise<IteratorResult<Buffer>> {
    if (!this.#finished) {
      this.#finished = true;
      if (!this.#stream.readableEnded) this.#stream.destroy();
    }
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<Buffer>> {
    this.#finished = true;
    this.#stream.destroy(error instanceof Error ? error : undefined);
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return this;
  }
}

/** What Node's own iterator throws for a stream destroyed without an error. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
