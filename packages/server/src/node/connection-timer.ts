import type { ServerSession } from '../session/index.js';

/**
 * The one timer of a connection. After every batch of session events it is re-armed with the
 * RFC 5321 §4.5.3.2 timeout the session says applies now (a deadline; the Node timer is set
 * again only when the deadline moves earlier). Two slow-drip (slowloris) bounds ride on the same timer:
 * - §4.5.3.2.7 is a wait for the next *command*: the octets of a line that never ends do not
 *   re-arm it, so a command must be complete within the timeout of the previous one's end;
 * - a body trickled an octet at a time would reset the per-block timeout forever, so a whole
 *   DATA/BDAT transfer is also bounded by `messageTransfer`.
 *
 * @example
 * ```ts
 * const timer = new ConnectionTimer(600_000, () => handle(session.timeout()), 180_000);
 * timer.arm(session); // after each batch of events
 * ```
 */
export class ConnectionTimer {
  #timer: NodeJS.Timeout | undefined;
  /** When the Node timer set now fires (monotonic ms). */
  #fireAt = 0;
  /** When the current wait really ends: the timer re-checks this when it fires early. */
  #due = 0;
  // Deadlines, NaN when none: always numbers, so V8 keeps them unboxed and updating them per
  // batch of events allocates nothing (a field that also holds `undefined` boxes each number).
  #bodyDeadline = Number.NaN;
  #commandDeadline = Number.NaN;
  readonly #messageTransfer: number;
  /** The longest the Node timer is set for at once (see the constructor). */
  readonly #step: number;
  readonly #onTimeout: () => void;
  #action: () => void;
  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    if (now < this.#due) {
      // Re-armed to a later deadline since this timer was set: wait for the rest.
      this.#set(now, this.#due - now);
      return;
    }
    this.#action();
  };

  /**
   * `step`: the Node timer is never set further ahead than this; past it, it fires early, sees
   * the deadline is later and waits again. With the shortest of the session's timeouts as the step,
   * a wait that turns shorter (a DATA block's 3 minutes after a command's 5) still ends after the
   * timer already set: no Node timer is cleared and set again per message.
   */
  constructor(messageTransfer: number, onTimeout: () => void, step = Number.POSITIVE_INFINITY) {
    this.#messageTransfer = messageTransfer;
    this.#step = step;
    this.#onTimeout = onTimeout;
    this.#action = onTimeout;
  }

  /**
   * Re-arms with the session's current timeout (or clears it when none applies). Runs after every
   * batch of events, so a later deadline costs no timer work: the timer already set fires early,
   * sees the new deadline and waits for the rest. Only an earlier deadline re-sets it.
   */
  arm(session: ServerSession | undefined): void {
    let ms = session?.timeoutFor();
    if (session === undefined || ms === undefined) {
      this.clear();
      return;
    }
    const now = performance.now();
    const phase = session.state.phase;
    if (phase === 'data' || phase === 'bdat') {
      this.#commandDeadline = Number.NaN;
      if (Number.isNaN(this.#bodyDeadline)) this.#bodyDeadline = now + this.#messageTransfer;
      ms = Math.max(0, Math.min(ms, this.#bodyDeadline - now));
    } else {
      this.#bodyDeadline = Number.NaN;
      if (session.bufferedLength === 0 || Number.isNaN(this.#commandDeadline)) {
        // Nothing half-received: a fresh wait for the next command.
        this.#commandDeadline = now + ms;
      } else {
        // Part of a line is buffered: its octets do not extend the wait.
        ms = Math.max(0, Math.min(ms, this.#commandDeadline - now));
      }
    }
    this.#action = this.#onTimeout;
    this.#due = now + ms;
    if (this.#timer === undefined || this.#fireAt > this.#due) this.#set(now, ms);
  }

  /** Runs `action` after `ms` instead (closing: cut a peer that does not read). */
  after(ms: number, action: () => void): void {
    this.clear();
    this.#action = action;
    const now = performance.now();
    this.#due = now + ms;
    this.#set(now, ms);
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(now: number, ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    // Whole milliseconds: Node keeps one timer list per distinct duration.
    const whole = Math.ceil(Math.min(ms, this.#step));
    this.#fireAt = now + whole;
    this.#timer = setTimeout(this.#fire, whole);
  }
}
