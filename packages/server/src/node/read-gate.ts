import type net from 'node:net';

/**
 * Whether a connection's socket reads. Two things can hold it: the session waiting for a hook's
 * decision (pipelined commands then wait in the kernel's buffer, not in memory), and a message
 * body whose reader is behind (backpressure). It reads again only when neither holds.
 *
 * @example
 * ```ts
 * const gate = new ReadGate(socket);
 * gate.holdForBody(true); // paused
 * gate.holdForSession(session.wantsPause);
 * gate.holdForBody(false); // reads again unless the session still holds it
 * ```
 */
export class ReadGate {
  #socket: net.Socket;
  #forSession = false;
  #forBody = false;
  #paused = false;

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

  #apply(): void {
    const hold = this.#forSession || this.#forBody;
    if (hold === this.#paused) return;
    this.#paused = hold;
    if (hold) this.#socket.pause();
    else this.#socket.resume();
  }
}
