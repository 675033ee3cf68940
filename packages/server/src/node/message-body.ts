import { type BodyOwner, BodyStream } from './body-stream.js';

/**
 * How the data hook takes the body. It chooses on first use: `stream` (read it) or `discard()`
 * (only its end and size); until then chunks wait here, bounded like the stream's buffer. When
 * the hook settles without choosing, the rest of the body is dropped as it arrives.
 */
type Mode = 'undecided' | 'stream' | 'discard' | 'dropped';

/**
 * The body of one message between the session and the `data` hook: nothing is built until the
 * hook asks (a hook that decides on the envelope alone costs no stream), and `discard()` gives a
 * sink the size without a stream at all.
 *
 * @example
 * ```ts
 * const body = new MessageBody(65_536, intake);
 * if (!body.push(chunk)) socket.pause(); // resumed through intake.resumeBody()
 * body.end(size);
 * ```
 */
export class MessageBody {
  #mode: Mode = 'undecided';
  readonly #highWaterMark: number;
  readonly #owner: BodyOwner;
  /** Chunks received before the hook chose (made for the first), and their total length. */
  #waiting: Uint8Array[] | undefined;
  #waitingLength = 0;
  #stream: BodyStream | undefined;
  /** `undefined` while the body is arriving; then its end (size) or why it failed. */
  #outcome: { readonly size: number } | { readonly error: Error } | undefined;
  #discarded: { resolve(size: number): void; reject(error: Error): void } | undefined;

  constructor(highWaterMark: number, owner: BodyOwner) {
    this.#highWaterMark = highWaterMark;
    this.#owner = owner;
  }

  /** The body as a byte stream with backpressure (made on first read). */
  get stream(): BodyStream {
    if (this.#stream !== undefined) return this.#stream;
    if (this.#mode === 'discard') {
      throw new TypeError('message.stream read after message.discard()');
    }
    const stream = new BodyStream(this.#highWaterMark, this.#owner);
    this.#stream = stream;
    const late = this.#mode === 'dropped';
    this.#mode = 'stream';
    for (const chunk of this.#waiting ?? []) stream.push(chunk);
    this.#waiting = undefined;
    this.#waitingLength = 0;
    const outcome = this.#outcome;
    if (late) {
      // Read after the hook settled: what arrived meanwhile is gone.
      stream.destroy(new Error('message.stream read after the data hook settled'));
    } else if (outcome !== undefined) {
      if ('error' in outcome) stream.destroy(outcome.error);
      else stream.push(null);
    }
    this.#owner.resumeBody();
    return stream;
  }

  /**
   * Drops the body as it arrives; resolves with its size (octets after unstuffing) once it
   * ended, rejects with the reason it did not (a `ReplyException` for a refused message).
   */
  discard(): Promise<number> {
    if (this.#mode === 'stream') {
      return Promise.reject(new TypeError('message.discard() after message.stream was read'));
    }
    this.#mode = 'discard';
    this.#waiting = undefined;
    this.#waitingLength = 0;
    this.#owner.resumeBody();
    const outcome = this.#outcome;
    if (outcome !== undefined) {
      return 'error' in outcome ? Promise.reject(outcome.error) : Promise.resolve(outcome.size);
    }
    return new Promise((resolve, reject) => {
      this.#discarded = { resolve, reject };
    });
  }

  /** A body chunk; false when the socket should pause until {@link BodyOwner.resumeBody}. */
  push(chunk: Uint8Array): boolean {
    switch (this.#mode) {
      case 'stream': {
        // A stream the hook destroyed (it left its loop early, say) reads nothing more: what
        // comes is dropped, and the socket reads on.
        const stream = this.#stream as BodyStream;
        return stream.destroyed || stream.push(chunk);
      }
      case 'undecided':
        if (this.#waiting === undefined) this.#waiting = [chunk];
        else this.#waiting.push(chunk);
        this.#waitingLength += chunk.length;
        return this.#waitingLength < this.#highWaterMark;
      default:
        return true;
    }
  }

  /** True while chunks wait for the hook to choose and the socket must stay paused. */
  get full(): boolean {
    return this.#mode === 'undecided' && this.#waitingLength >= this.#highWaterMark;
  }

  /** The whole body arrived (`size` octets after unstuffing). */
  end(size: number): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = { size };
    if (this.#mode === 'stream') this.#stream?.push(null);
    else if (this.#mode === 'discard') this.#discarded?.resolve(size);
  }

  /** The body will not arrive in full: refused (a `ReplyException`) or the connection ended. */
  abort(error: Error): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = { error };
    this.#waiting = undefined;
    this.#waitingLength = 0;
    if (this.#mode === 'stream') this.#stream?.destroy(error);
    else if (this.#mode === 'discard') this.#discarded?.reject(error);
  }

  /** The data hook settled: whatever it did not take flows away. */
  release(): void {
    if (this.#mode === 'undecided') {
      this.#mode = 'dropped';
      this.#waiting = undefined;
      this.#waitingLength = 0;
    } else if (this.#mode === 'stream') {
      const stream = this.#stream as BodyStream;
      // All of it read (its 'end' comes by itself), or a loop still reading it: nothing to do.
      if (stream.drained || stream.readableEnded || stream.iterated) return;
      // Destroyed: the rest is dropped as it arrives.
      if (stream.destroyed) {
        this.#mode = 'dropped';
        return;
      }
      // What is left flows away; a 'readable' listener left behind would keep it from flowing.
      stream.removeAllListeners('readable');
      stream.resume();
    }
  }

  /** The body's end or failure has been seen. */
  get settled(): boolean {
    return this.#outcome !== undefined;
  }
}
