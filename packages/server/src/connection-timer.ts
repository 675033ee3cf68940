import type { ServerSession } from './session/index.js';

/**
 * The one timer of a connection. After every batch of session events it is re-armed with the
 * RFC 5321 §4.5.3.2 timeout the session says applies now (`refresh()` when unchanged: no new
 * timer per command). A body trickled a byte at a time would reset the per-block timeout forever
 * (slowloris), so a whole DATA/BDAT transfer is also bounded by `dataTermination`, on the same
 * timer.
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
  readonly #dataTermination: number;
  readonly #onTimeout: () => void;

  constructor(dataTermination: number, onTimeout: () => void) {
    this.#dataTermination = dataTermination;
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
      if (phase === 'data' || phase === 'bdat') {
        const now = Date.now();
        if (this.#bodyDeadline === undefined) this.#bodyDeadline = now + this.#dataTermination;
        ms = Math.max(0, Math.min(ms, this.#bodyDeadline - now));
      } else {
        this.#bodyDeadline = undefined;
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
