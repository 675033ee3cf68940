import { Readable } from 'node:stream';

function noop(): void {}

/** Who a message body's reader tells that it wants more. */
export interface BodyOwner {
  /** The reader wants more: a socket paused by backpressure may read again. */
  resumeBody(): void;
}

/**
 * The `message.stream` of a data hook: a Readable in byte mode whose `_read` (the hook wants more)
 * calls `owner.resumeBody()`, which resumes a socket paused by backpressure. A subclass rather
 * than `new Readable({ read })`: no closure per message or per connection. A refused message's stream is
 * destroyed with a `ReplyException` for its reader; with nobody reading, that error must not
 * crash the process, hence the no-op error listener.
 *
 * `for await` is how most hooks read it, once per message; its iterator here ({@link BodyIterator})
 * does what Node's generic one does for this stream at a fraction of the cost.
 *
 * @example
 * ```ts
 * const stream = new BodyStream(65_536, { resumeBody: () => socket.resume() });
 * stream.push(chunk); // false: pause the socket until onRead
 * ```
 */
export class BodyStream extends Readable {
  readonly #owner: BodyOwner;
  /** The body's end was pushed (`push(null)`): once the buffer is read, nothing more comes. */
  #eof = false;
  /** An iterator waiting for more: woken by the next push, the end or a destroy. */
  #waiter: (() => void) | undefined;

  constructor(highWaterMark: number, owner: BodyOwner) {
    super({ highWaterMark });
    this.#owner = owner;
    this.on('error', noop);
  }

  override _read(): void {
    this.#owner.resumeBody();
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) this.#eof = true;
    const more = super.push(chunk, encoding);
    this.#wake();
    return more;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(error);
    this.#wake();
  }

  override [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return new BodyIterator(this);
  }

  /** All of the body was read: its end was pushed and nothing is left in the buffer. */
  get drained(): boolean {
    return this.#eof && this.readableLength === 0;
  }

  /** Calls `wake` once, at the next push, end or destroy. */
  waitForMore(wake: () => void): void {
    this.#waiter = wake;
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    waiter();
  }
}

/**
 * Reads a {@link BodyStream} chunk by chunk: each `next()` takes what is buffered (`read()`, which
 * lets backpressure off) or waits for the stream's next push, end or destroy, which wake it at
 * once (not through 'readable' and 'end' events, each a turn of `process.nextTick` later). Like
 * Node's own iterator: it ends with the stream, throws the error the stream was destroyed with (or
 * a premature-close error), and leaving the loop early (`return()`) destroys the stream.
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
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) return { value: chunk, done: false };
      if (stream.drained) {
        // The end was pushed and all of it read: Node emits 'end' a tick later; the loop is done.
        this.#finished = true;
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
