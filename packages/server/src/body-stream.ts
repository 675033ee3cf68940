import { Readable } from 'node:stream';

function noop(): void {}

/**
 * The `message.stream` of a data hook: a Readable in byte mode whose `_read` (the hook wants more)
 * calls `onRead`, which resumes a socket paused by backpressure. A subclass rather than
 * `new Readable({ read })`: no options closure per message. A refused message's stream is
 * destroyed with a `ReplyException` for its reader; with nobody reading, that error must not
 * crash the process, hence the no-op error listener.
 *
 * @example
 * ```ts
 * const stream = new BodyStream(65_536, () => socket.resume());
 * stream.push(chunk); // false: pause the socket until onRead
 * ```
 */
export class BodyStream extends Readable {
  readonly #onRead: () => void;

  constructor(highWaterMark: number, onRead: () => void) {
    super({ highWaterMark });
    this.#onRead = onRead;
    this.on('error', noop);
  }

  override _read(): void {
    this.#onRead();
  }
}
