import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

function noop(): void {}

/** Node's own accessors of Readable.prototype that BodyStream answers itself when it can. */
function nodeAccessor<T>(name: string): {
  get(this: unknown): T;
  set(this: unknown, value: T): void;
} {
  const d = Object.getOwnPropertyDescriptor(Readable.prototype, name);
  if (d?.get === undefined) throw new Error(`Readable.prototype.${name} is not an accessor`);
  const set = d.set ?? (() => {});
  return { get: d.get as (this: unknown) => T, set: set as (this: unknown, value: T) => void };
}
const nodeReadableLength = nodeAccessor<number>('readableLength');
const nodeReadableEnded = nodeAccessor<boolean>('readableEnded');
const nodeDestroyed = nodeAccessor<boolean>('destroyed');
const nodeReadable = nodeAccessor<boolean>('readable');
const nodeReadableDidRead = nodeAccessor<boolean>('readableDidRead');
const eventsPrepend = EventEmitter.prototype.prependListener;

/** Who a message body's reader tells that it wants more. */
export interface BodyOwner {
  /** The reader wants more: a socket paused by backpressure may read again. */
  resumeBody(): void;
}

/**
 * Where a body's chunks go. `held`: nobody reads yet, they wait in the stream's own queue.
 * `direct`: a `for await` loop began first and takes them from that queue itself. `readable`:
 * the stream was used as a Readable (Node's state made: 'data', 'readable', `pipe()`, `read()`,
 * `setEncoding()`, any listener), or a direct loop read it whole; chunks go to Node's buffer.
 */
type Feed = 'held' | 'direct' | 'readable';

/**
 * The `message.stream` of a data hook: a Readable in byte mode with backpressure (a full buffer
 * pauses the socket; reading, or Node's `_read`, calls `owner.resumeBody()`). A refused message's
 * stream is destroyed with a `ReplyException` for its reader; with nobody reading, that error must
 * not crash the process, hence a no-op error listener.
 *
 * `for await` is how most hooks read it, once per message, so that path is the short one: chunks
 * wait in a queue of the stream's own until somebody reads, and a loop that begins before any
 * other reader takes them from there ({@link BodyIterator}), with none of the Readable's buffering,
 * events and ticks. Nor is the Readable itself made for it: the class is a Readable by its
 * prototype, and Node's state (`_readableState`, which every Readable method reads first) is made
 * on first use, by `Readable.call` as a subclass's constructor would. From the first use as a
 * Readable (Node calls `_read`: 'data', 'readable', `pipe()`, `read()`) what waits moves into
 * Node's buffer and it is an ordinary Readable. A loop that read to the end leaves the stream as
 * Node's own iterator does: ended and destroyed, with 'end' then 'close' for whoever listens (on
 * the next tick).
 *
 * @example
 * ```ts
 * const stream = new BodyStream(65_536, { resumeBody: () => socket.resume() });
 * stream.push(chunk); // false: pause the socket until owner.resumeBody()
 * stream.push(null);  // the end of the body
 * ```
 */
// A Readable by its prototype chain (set below the class), typed as one by this interface.
export interface BodyStream extends Readable {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the Readable members come from the prototype chain set below the class.
export class BodyStream {
  readonly #owner: BodyOwner;
  readonly #highWaterMark: number;
  #feed: Feed = 'held';
  /** Node's Readable state was made (by `Readable.call`): the stream was used as a Readable. */
  #readable = false;
  /** Chunks pushed and not yet taken (`held` and `direct`), from `#head` on, and their octets. */
  #queue: Buffer[] = [];
  #head = 0;
  #queued = 0;
  /** The body's end was pushed (`push(null)`): once the buffer is read, nothing more comes. */
  #eof = false;
  /** A direct loop read the end before anything used the stream as a Readable. */
  #endedUnseen = false;
  /** A direct loop took a chunk (Node's `readableDidRead`, which its state does not know). */
  #didRead = false;
  /** Loops begun and not finished: while one runs, the stream is not made to flow (`release`). */
  #loops = 0;
  /** Iterators waiting for more (one, or several loops at once): woken by the next push, the end or a destroy. */
  #waiter: (() => void) | Array<() => void> | undefined;

  constructor(highWaterMark: number, owner: BodyOwner) {
    this.#highWaterMark = highWaterMark;
    this.#owner = owner;
  }

  /**
   * Node's Readable state, made on first use: every Readable method and accessor starts by
   * reading it. Made here, the stream becomes what `new Readable({ highWaterMark })` makes, with a
   * no-op 'error' listener (a refused body's stream is destroyed with a `ReplyException`; with
   * nobody reading, that must not crash the process). A stream a direct loop read to the end
   * before anybody looked ends as a Readable now: 'end', then 'close', a tick later.
   */
  static {
    Object.defineProperty(BodyStream.prototype, '_readableState', {
      configurable: true,
      get(this: BodyStream): unknown {
        this.#makeReadable();
        // `Readable.call` made it the stream's own property (undefined while it runs).
        return Object.hasOwn(this, '_readableState')
          ? (this as unknown as { _readableState: unknown })._readableState
          : undefined;
      },
      // `Readable.call` assigns it: from then on it is the stream's own property.
      set(this: BodyStream, state: unknown): void {
        Object.defineProperty(this, '_readableState', {
          value: state,
          writable: true,
          configurable: true,
          enumerable: true,
        });
      },
    });
  }

  #makeReadable(): void {
    if (this.#readable) return;
    this.#readable = true;
    Readable.call(this as unknown as Readable, { highWaterMark: this.#highWaterMark });
    this.on('error', noop);
    // From here on an ordinary Readable (`setEncoding`, listeners, `pipe()`, a loop begun later
    // all go through Node): what waits, and the end if it came, move into Node's buffer.
    this.#feed = 'readable';
    const queue = this.#queue;
    for (let i = this.#head; i < queue.length; i++) readablePush.call(this, queue[i]);
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    if (this.#eof) readablePush.call(this, null);
    // A direct loop read it to the end already: the end is read, 'end' and 'close' follow.
    if (this.#endedUnseen) this.read();
  }

  /**
   * A body chunk, or `null` for its end. False: past the high-water mark, the socket should
   * pause until the owner is told the reader wants more.
   */
  push(chunk: Uint8Array | null): boolean {
    if (this.#feed === 'readable') {
      if (chunk === null) this.#eof = true;
      const more = readablePush.call(this, chunk);
      this.#wake();
      return more;
    }
    if (this.cut) return false;
    if (chunk === null) this.#eof = true;
    else if (chunk.length > 0) {
      this.#queue.push(asBuffer(chunk));
      this.#queued += chunk.length;
    }
    this.#wake();
    return this.#queued < this.#highWaterMark;
  }

  /** Node asks for more (its state was made first, and took what waited): the socket may read. */
  _read(): void {
    this.#owner.resumeBody();
  }

  _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(error);
    this.#wake();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    if (this.#feed === 'held') this.#feed = 'direct';
    return new BodyIterator(this);
  }

  // Node's accessors (on Readable.prototype, typed as properties, hence defined here rather than
  // as `get`), answered without making the Readable where they can be: `readableLength` counts
  // the chunks in the stream's own queue too; a stream a direct loop read to the end is ended and
  // destroyed, as after Node's own iterator.
  static {
    Object.defineProperties(BodyStream.prototype, {
      // Node's Readable does not override `prependListener` (nor `prependOnceListener`, which
      // calls it) to read its state, as `on` does: the state is made here.
      prependListener: {
        configurable: true,
        writable: true,
        value(this: BodyStream, event: string | symbol, listener: (...args: unknown[]) => void) {
          this.#makeReadable();
          return eventsPrepend.call(this, event, listener);
        },
      },
      readableLength: {
        configurable: true,
        get(this: BodyStream): number {
          return this.#readable ? this.#queued + nodeReadableLength.get.call(this) : this.#queued;
        },
      },
      readableEnded: {
        configurable: true,
        get(this: BodyStream): boolean {
          return this.#endedUnseen || (this.#readable && nodeReadableEnded.get.call(this));
        },
      },
      readable: {
        configurable: true,
        get(this: BodyStream): boolean {
          return !this.#endedUnseen && nodeReadable.get.call(this);
        },
        set(this: BodyStream, value: boolean): void {
          nodeReadable.set.call(this, value);
        },
      },
      readableDidRead: {
        configurable: true,
        get(this: BodyStream): boolean {
          return this.#didRead || (this.#readable && nodeReadableDidRead.get.call(this));
        },
      },
      destroyed: {
        configurable: true,
        get(this: BodyStream): boolean {
          return this.#endedUnseen || (this.#readable && nodeDestroyed.get.call(this));
        },
        set(this: BodyStream, value: boolean): void {
          nodeDestroyed.set.call(this, value);
        },
      },
    });
  }

  /** Destroyed (only a Readable can be: `destroy()` makes its state first). */
  get cut(): boolean {
    return this.#readable && this.destroyed;
  }

  /** All of the body was read: its end was pushed and nothing is left in the buffer. */
  get drained(): boolean {
    return this.#eof && this.readableLength === 0;
  }

  /** Calls `wake` once, at the next push, end or destroy. */
  waitForMore(wake: () => void): void {
    const waiter = this.#waiter;
    if (waiter === undefined) this.#waiter = wake;
    else if (Array.isArray(waiter)) waiter.push(wake);
    else this.#waiter = [waiter, wake];
  }

  /** A loop over the stream is running (begun, not yet finished or left). */
  get iterated(): boolean {
    return this.#loops > 0;
  }

  /** A loop began ({@link BodyIterator}); `loopEnded` when it finished or was left. */
  loopBegan(): void {
    this.#loops += 1;
  }

  loopEnded(): void {
    this.#loops -= 1;
  }

  /** A `for await` loop began before any other reader: it takes the chunks from the queue. */
  get direct(): boolean {
    return this.#feed === 'direct';
  }

  /** The next chunk of a direct loop, or `null`; below the high-water mark again, the owner is told. */
  takeQueued(): Buffer | null {
    if (this.#head === this.#queue.length) return null;
    const chunk = this.#queue[this.#head] as Buffer;
    this.#didRead = true;
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
   * A direct loop read the end. Nothing has used the stream as a Readable (that ends a direct
   * loop's hold on the chunks), so nobody listens: it ends as a Readable only if somebody looks
   * later ({@link BodyStream#makeReadable}); its accessors say ended and destroyed meanwhile.
   */
  endedDirectly(): void {
    if (this.#feed !== 'direct') return;
    this.#feed = 'readable';
    this.#endedUnseen = true;
    // Listeners that came without making the state (EventEmitter's own methods) hear it end.
    if (Object.hasOwn(this, '_events')) this.#makeReadable();
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    if (Array.isArray(waiter)) for (const wake of waiter) wake();
    else waiter();
  }
}

Object.setPrototypeOf(BodyStream.prototype, Readable.prototype);
Object.setPrototypeOf(BodyStream, Readable);

const readablePush = Readable.prototype.push as (this: BodyStream, chunk: unknown) => boolean;

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
  /** `next()` was called: the loop runs (as Node's iterator, which listens from then on). */
  #started = false;
  #finished = false;

  constructor(stream: BodyStream) {
    this.#stream = stream;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    const stream = this.#stream;
    if (!this.#started && !this.#finished) {
      this.#started = true;
      stream.loopBegan();
    }
    for (;;) {
      if (this.#finished) return DONE;
      if (stream.cut) {
        this.#finish();
        // Destroyed after its end was read whole (autoDestroy, or by the hook): done. Else cut.
        if (stream.readableEnded || (stream.drained && !stream.errored)) return DONE;
        throw stream.errored ?? prematureClose();
      }
      // Direct: from the stream's queue (`read()` would make it a Readable). Else from Node's buffer.
      const chunk = stream.direct ? stream.takeQueued() : (stream.read() as Buffer | null);
      if (chunk !== null) return { value: chunk, done: false };
      if (stream.drained) {
        // The end was pushed and all of it read. Read directly: the stream ends now. As a
        // Readable: Node emits 'end' a tick later; the loop is done.
        this.#finish();
        stream.endedDirectly();
        return DONE;
      }
      await new Promise<void>((resolve) => stream.waitForMore(resolve));
    }
  }

  async return(): Promise<IteratorResult<Buffer>> {
    if (!this.#finished) {
      this.#finish();
      if (!this.#stream.readableEnded) this.#stream.destroy();
    }
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<Buffer>> {
    this.#finish();
    this.#stream.destroy(error instanceof Error ? error : undefined);
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return this;
  }

  /** The loop is over (done, cut or left): the stream may be made to flow again. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#started) this.#stream.loopEnded();
  }
}

const DONE: IteratorResult<Buffer> = Object.freeze({ value: undefined, done: true });

/** What Node's own iterator throws for a stream destroyed without an error. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
