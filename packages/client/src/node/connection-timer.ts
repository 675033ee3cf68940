import type { ClientTimeoutName } from './client-options.js';

/** What runs when a wait runs out: told which wait, and how long it was. */
export type TimeoutAction = (name: ClientTimeoutName, ms: number) => void;

/**
 * The one timer of a client connection: the connect, the TLS handshakes, then each RFC 5321
 * §4.5.3.2 wait the session names ({@link ClientSession.waitingFor}). It is re-armed after every
 * batch of session events that made progress (a reply read, a command or body piece written), as
 * a deadline: the Node timer is set again only when the deadline moves earlier; a timer that
 * fires before the current deadline waits for the rest. Bytes of a reply that never ends are no
 * progress, so a server that trickles them cannot hold the client past the wait.
 *
 * @example
 * ```ts
 * const timer = new ConnectionTimer();
 * timer.arm(300_000, 'greeting', (name, ms) => fail(name, ms));
 * timer.clear(); // nothing awaited
 * ```
 */
export class ConnectionTimer {
  #timer: NodeJS.Timeout | undefined;
  /** When the Node timer set now fires (monotonic ms). */
  #fireAt = 0;
  /** When the current wait really ends. */
  #due = 0;
  #name: ClientTimeoutName = 'connect';
  #ms = 0;
  #action: TimeoutAction | undefined;
  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    if (now < this.#due) {
      this.#set(now, this.#due - now);
      return;
    }
    const action = this.#action;
    this.#action = undefined;
    action?.(this.#name, this.#ms);
  };

  /** A wait is being timed. */
  get armed(): boolean {
    return this.#action !== undefined;
  }

  /** Times the wait `name` for `ms` from now, replacing the wait timed before. */
  arm(ms: number, name: ClientTimeoutName, action: TimeoutAction): void {
    const now = performance.now();
    this.#name = name;
    this.#ms = ms;
    this.#action = action;
    this.#due = now + ms;
    if (this.#timer === undefined || this.#fireAt > this.#due) this.#set(now, ms);
  }

  /** Nothing is awaited. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#action = undefined;
  }

  #set(now: number, ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    // Whole milliseconds: Node keeps one timer list per distinct duration.
    const whole = Math.ceil(ms);
    this.#fireAt = now + whole;
    this.#timer = setTimeout(this.#fire, whole);
  }
}
