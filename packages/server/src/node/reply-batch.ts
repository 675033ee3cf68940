import type net from 'node:net';

/**
 * The replies of one batch of session events (or of a pipelined group, RFC 2920 §3.2) not written
 * yet: the first, and all of them once there are more. `flushTo` sends them in one socket write.
 *
 * @example
 * ```ts
 * const replies = new ReplyBatch();
 * replies.hold(bytes250); replies.hold(bytes354);
 * if (replies.flushTo(socket) === false) gate.holdForWrites();
 * ```
 */
export class ReplyBatch {
  #first: Uint8Array | undefined;
  #more: Uint8Array[] | undefined;

  /** Replies wait to be written. */
  get held(): boolean {
    return this.#first !== undefined;
  }

  /** A reply to send with the others of its batch. */
  hold(bytes: Uint8Array): void {
    if (this.#first === undefined) this.#first = bytes;
    else if (this.#more === undefined) this.#more = [this.#first, bytes];
    else this.#more.push(bytes);
  }

  /**
   * One socket write for the replies held (one system call, no cork); nothing when none are held
   * or the socket is destroyed. False when the write went past the socket's writable high-water
   * mark: the peer is not reading its replies.
   */
  flushTo(socket: net.Socket): boolean {
    const first = this.#first;
    if (first === undefined) return true;
    const more = this.#more;
    this.#first = undefined;
    this.#more = undefined;
    if (socket.destroyed) return true;
    return socket.write(more === undefined ? bufferOf(first) : Buffer.concat(more));
  }
}

/** Buffer views of reply bytes, made once per reply's bytes (the session keeps those per reply). */
const buffers = new WeakMap<Uint8Array, Buffer>();

/**
 * The bytes of a reply as a Buffer: a socket given any other Uint8Array makes a Buffer view of it
 * on every write. The session's reply bytes are kept per reply, so the view is made once.
 */
function bufferOf(bytes: Uint8Array): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  let buffer = buffers.get(bytes);
  if (buffer === undefined) {
    buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    buffers.set(bytes, buffer);
  }
  return buffer;
}
