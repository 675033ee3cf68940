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

  constructor(highWaterMark: number, owner: BodyOwner) {
    super({ highWaterMark });
    this.#owner = owner;
    this.on('error', noop);
  }

  override _read(): void {
    this.#owner.resumeBody();
  }

  override [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return new BodyIterator(this);
  }
}

/**
 * Reads a {@link BodyStream} chunk by chunk: each `next()` takes what is buffered (`read()`, which
 * lets backpressure off) or waits for the next 'readable', 'end' or failure. Like Node's own
 * iterator: it ends with the stream, throws the error the stream was destroyed with (or a
 * premature-close error), and leaving the loop early (`return()`) destroys the stream.
 */
class BodyIterator implements AsyncIterableIterator<Buffer> {
  readonly #stream: BodyStream;
  #wake: (() => void) | undefined;
  #finished = false;
  readonly #onEvent = (): void => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };

  constructor(stream: BodyStream) {
    this.#stream = stream;
    stream.on('readable', this.#onEvent);
    stream.on('end', this.#onEvent);
    stream.on('close', this.#onEvent);
  }

  async next(): Promise<IteratorResult<Buffer>> {
    const stream = this.#stream;
    for (;;) {
      if (this.#finished) return { value: undefined, done: true };
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) return { value: chunk, done: false };
      if (stream.readableEnded) {
        this.#finish();
        return { value: undefined, done: true };
      }
      if (stream.destroyed) {
        this.#finish();
        throw stream.errored ?? prematureClose();
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<Buffer>> {
    if (!this.#finished) {
      this.#finish();
      if (!this.#stream.readableEnded) this.#stream.destroy();
    }
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<Buffer>> {
    this.#finish();
    this.#stream.destroy(error instanceof Error ? error : undefined);
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return this;
  }

  #finish(): void {
    this.#finished = true;
    const stream = this.#stream;
    stream.removeListener('readable', this.#onEvent);
    stream.removeListener('end', this.#onEvent);
    stream.removeListener('close', this.#onEvent);
  }
}

/** What Node's own iterator throws for a stream destroyed without an error. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
