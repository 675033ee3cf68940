import { Readable } from 'node:stream';

function noop(): void {}

/**
 * The `message.stream` of a data hook: a Readable in byte mode whose `_read` (the hook wants more)
 * calls `owner.resumeBody()`, which resumes a socket paused by backpressure. A subclass rather
 * than `new Readable({ read })`: no closure per message or per connection. A refused message's stream is
 * destroyed with a `ReplyException` for its reader; with nobody reading, that error must not
 * crash the process, hence the no-op error listener.
 *
 * @example
 * ```ts
 * const stream = new BodyStream(65_536, { resumeBody: () => socket.resume() });
 * stream.push(chunk); // false: pause the socket until onRead
 * ```
 */
export class BodyStream extends Readable {
  readonly #owner: { resumeBody(): void };

  constructor(highWaterMark: number, owner: { resumeBody(): void }) {
    super({ highWaterMark });
    this.#owner = owner;
    this.on('error', noop);
  }

  override _read(): void {
    this.#owner.resumeBody();
  }
}
