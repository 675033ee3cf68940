import type { HookAbortReason } from './server-options.js';

/**
 * The `ctx.signal` of a connection's hooks: its AbortController is made on first read (most
 * connections never need one), and a signal first read after the connection ended is born
 * aborted with the reason it ended for.
 *
 * @example
 * ```ts
 * const hooks = new HookAbort();
 * hooks.abort('timeout'); // a pending hook must not commit
 * hooks.signal.aborted;   // true, reason 'timeout'
 * ```
 */
export class HookAbort {
  #controller: AbortController | undefined;
  #reason: HookAbortReason | undefined;

  get signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = new AbortController();
      this.#controller = controller;
      if (this.#reason !== undefined) controller.abort(this.#reason);
    }
    return controller.signal;
  }

  /**
   * The connection is over: hooks still pending must not commit. RFC 5321 §4.5.3.2.6: a timeout
   * after the end of data "would typically result in delivery of multiple copies of the message"
   * (the client was told 421 and sends it again). The first reason sticks.
   */
  abort(reason: HookAbortReason): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
