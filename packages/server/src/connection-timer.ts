import type { ServerSession } from './session/index.js';

/**
 * The one timer of a connection. After every batch of session events it is re-armed with the
 * RFC 5321 §4.5.3.2 timeout the session says applies now (`refresh()` when unchanged: no new
 * timer per command). Two slow-drip (slowloris) bounds ride on the same timer:
 * - §4.5.3.2.7 is a wait for the next *command*: the octets of a line that never ends do not
 *   re-arm it, so a command must be complete within the timeout of the previous one's end;
 * - a body trickled an octet at a time would reset the per-block timeout forever, so a whole
 *   DATA/BDAT transfer is also bounded by `messageTransfer`.
 *
 * @example
 * ```ts
 * const timer = new ConnectionTimer(600_000, () => handle(session.timeout()));
 * timer.arm(session); // after each batch of events
 * ```
 */
export class ConnectionTimer {
  #timer: NodeJS.Timeout | undefined;
  #ms: number | undefined;
  #bodyDeadline: number | undefined;
  #commandDeadline: number | undefined;
  readonly #messageTransfer: number;
  readonly #onTimeout: () => void;

  constructor(messageTransfer: number, onTimeout: () => void) {
    this.#messageTransfer = messageTransfer;
    this.#onTimeout = () => {
      this.#timer = undefined;
      onTimeout();
    };
  }

  /** Re-arms with the session's current timeout (or clears it when none applies). */
  arm(session: ServerSession | undefined): void {
    let ms = session?.timeoutFor();
    if (session !== undefined && ms !== undefined) {
      const phase = session.state.phase;
      const now = Date.now();
      if (phase === 'data' || phase === 'bdat') {
        this.#commandDeadline = undefined;
        if (this.#bodyDeadline === undefined) this.#bodyDeadline = now + this.#messageTransfer;
        ms = Math.max(0, Math.min(ms, this.#bodyDeadline - now));
      } else {
        this.#bodyDeadline = undefined;
        if (session.bufferedLength === 0 || this.#commandDeadline === undefined) {
          // Nothing half-received: a fresh wait for the next command.
          this.#commandDeadline = now + ms;
        } else {
          // Part of a line is buffered: its octets do not extend the wait.
          ms = Math.max(0, Math.min(ms, this.#commandDeadline - now));
        }
      }
    }
    if (ms === undefined) {
      this.clear();
    } else if (ms !== this.#ms || this.#timer === undefined) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#ms = ms;
      this.#timer = setTimeout(this.#onTimeout, ms);
    } else {
      this.#timer.refresh();
    }
  }

  /** Runs `action` after `ms` instead (closing: cut a peer that does not read). */
  after(ms: number, action: () => void): void {
    this.clear();
    this.#timer = setTimeout(action, ms);
  }

  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ms = undefined;
  }
}
