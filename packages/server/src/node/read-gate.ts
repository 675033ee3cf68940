import type net from 'node:net';

/**
 * Whether a connection's socket reads. Three things can hold it: the session waiting for a hook's
 * decision (pipelined commands then wait in the kernel's buffer, not in memory), a message body
 * whose reader is behind (backpressure), and replies the peer does not read (a client that
 * pipelines and never reads would otherwise make the server queue replies without bound). It
 * reads again only when none holds.
 *
 * @example
 * ```ts
 * const gate = new ReadGate(socket);
 * gate.holdForBody(true); // paused
 * gate.holdForSession(session.wantsPause);
 * if (!socket.write(replyBytes)) gate.holdForWrites(); // until the socket's 'drain'
 * gate.holdForBody(false); // reads again unless the session or the writes still hold it
 * ```
 */
export class ReadGate {
  #socket: net.Socket;
  #forSession = false;
  #forBody = false;
  #forWrites = false;
  #paused = false;
  /** The socket's 'drain' listener, made the first time replies back up (rarely). */
  #drained: (() => void) | undefined;

  constructor(socket: net.Socket) {
    this.#socket = socket;
  }

  /** The socket now carrying the connection (the TLS socket after STARTTLS or implicit TLS). */
  set socket(socket: net.Socket) {
    this.#socket = socket;
  }

  get heldForBody(): boolean {
    return this.#forBody;
  }

  holdForSession(hold: boolean): void {
    this.#forSession = hold;
    this.#apply();
  }

  holdForBody(hold: boolean): void {
    this.#forBody = hold;
    this.#apply();
  }

  get heldForWrites(): boolean {
    return this.#forWrites;
  }

  /**
   * The socket's `write()` returned false: its buffer is past the writable high-water mark, the
   * peer is not reading its replies. No more commands are read, so no more replies are made, until
   * the socket's 'drain'; the peer's further commands wait in the kernel's buffers, and then in its
   * own (RFC 2920 §3.2 expects a pipelining client to read its replies).
   */
  holdForWrites(): void {
    if (this.#forWrites) return;
    this.#forWrites = true;
    this.#drained ??= () => {
      this.#forWrites = false;
      this.#apply();
    };
    this.#socket.once('drain', this.#drained);
    this.#apply();
  }

  #apply(): void {
    const hold = this.#forSession || this.#forBody || this.#forWrites;
    if (hold === this.#paused) return;
    this.#paused = hold;
    if (hold) this.#socket.pause();
    else this.#socket.resume();
  }
}
