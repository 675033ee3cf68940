import { type Reply, ReplyException } from '@smtpkit/reply';
import type { DataAskPayload } from '../session/index.js';
import { MessageBody } from './message-body.js';
import type { ReadGate } from './read-gate.js';
import type { IncomingMessage } from './server-options.js';

/**
 * The message bodies of one connection on their way to the data hook: the `MessageBody` of the
 * current message, its size so far, and the socket held while its reader is behind or while
 * chunks wait for the hook to choose between `stream` and `discard()`.
 *
 * @example
 * ```ts
 * const intake = new MessageIntake(65_536, gate);
 * const message = intake.open(askId, payload); // handed to the data hook
 * intake.chunk(bytes); intake.end(size); intake.settled(askId);
 * ```
 */
export class MessageIntake {
  readonly #highWaterMark: number;
  readonly #gate: ReadGate;
  #body: MessageBody | undefined;
  /** The data ask the current body belongs to (a refused message's hook may decide later). */
  #askId: number | undefined;
  #size = 0;

  constructor(highWaterMark: number, gate: ReadGate) {
    this.#highWaterMark = highWaterMark;
    this.#gate = gate;
  }

  /** The `message` of the data hook asked as `askId`. */
  open(askId: number, payload: DataAskPayload): IncomingMessage {
    // The session ends or aborts a message before the next one starts; a body still open here
    // would leave its hook waiting for ever, so it fails (safety net, RFC 5321 §4.1.1.5).
    if (this.#body?.settled === false) this.#body.abort(new Error('message abandoned'));
    this.#size = 0;
    this.#askId = askId;
    const body = new MessageBody(this.#highWaterMark, this);
    this.#body = body;
    return new DataHookMessage(payload, body, this);
  }

  /** Body octets of the current message so far. */
  get size(): number {
    return this.#size;
  }

  /** Body octets (unstuffed); the socket is held while the reader is behind. */
  chunk(chunk: Uint8Array): void {
    this.#size += chunk.length;
    if (this.#body?.push(chunk) === false) this.#gate.holdForBody(true);
  }

  end(size: number): void {
    this.#body?.end(size);
  }

  /** The message is refused while it arrives; returns the octets it had. */
  abort(reply: Reply): number {
    this.#body?.abort(new ReplyException(reply));
    this.#body = undefined;
    this.resumeBody();
    return this.#size;
  }

  /** The data hook asked as `askId` settled: whatever of its body it did not take flows away. */
  settled(askId: number): void {
    // Only this hook's own body: after a refusal mid-DATA the session has moved on, and the next
    // message's body must not be released before its hook reads it.
    if (this.#body === undefined || this.#askId !== askId) return;
    this.#body.release();
    this.resumeBody();
  }

  /** The connection closed: a body still arriving fails for its reader. */
  closed(): void {
    if (this.#body?.settled === false) this.#body.abort(new Error('connection closed'));
  }

  /** The reader wants more (or the hook chose): the socket may read again. */
  resumeBody(): void {
    // Chunks still waiting for the hook to choose stream or discard() keep the socket held.
    if (this.#gate.heldForBody && this.#body?.full !== true) this.#gate.holdForBody(false);
  }
}

/**
 * The `message` of a data hook. A class rather than an object literal with a getter: one is made
 * per message, and a literal's getter costs a runtime property definition each time; `stream` is
 * an accessor on the prototype (read on first use, destructuring included). `discard` and `size`
 * stay own functions, so that `const { discard } = message` keeps working.
 */
class DataHookMessage implements IncomingMessage {
  readonly envelope: IncomingMessage['envelope'];
  readonly discard: () => Promise<number>;
  readonly size: () => number;
  readonly via: 'DATA' | 'BDAT';
  readonly #body: MessageBody;

  constructor(payload: DataAskPayload, body: MessageBody, intake: MessageIntake) {
    this.envelope = payload.envelope as unknown as IncomingMessage['envelope'];
    this.discard = () => body.discard();
    this.size = () => intake.size;
    this.via = payload.via;
    this.#body = body;
  }

  get stream(): IncomingMessage['stream'] {
    return this.#body.stream;
  }
}
