import type { ForwardedClient, Greeting, SessionContext } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { ServerError } from '../server-error.js';
import { feedChunk, feedData } from './body.js';
import type { Decision } from './decision.js';
import { decided } from './decisions.js';
import { pump } from './pump.js';
import { type Envelope, type ServerState, transactionOf } from './server-state.js';
import { type SessionConnectionFacts, SessionCore } from './session-core.js';
import type { SessionEvent } from './session-events.js';
import type { ServerSessionOptions, TlsInfo } from './session-options.js';
import { TRIGGERS } from './transitions.js';

/**
 * The sans-IO SMTP/LMTP server session: bytes in, {@link SessionEvent}s out. No socket, no
 * timer, no clock, no logging: the I/O layer (`createServer`) writes what it is told, asks the
 * application's hooks, pipes the body, owns the one timer ({@link ServerSession.timeoutFor}) and
 * does the TLS upgrade. States are one union ({@link ServerState}); every change of state is a
 * lookup in the transition table of `transitions.ts`; extension verbs, parameters and keywords
 * come from the registry.
 *
 * While a hook is pending, received bytes are buffered (pipelining, RFC 2920) and replies still
 * come out in command order; `wantsPause` says when the I/O layer should stop reading.
 *
 * @example
 * ```ts
 * import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
 * const session = new ServerSession({ hostname: 'mx.example', registry: createRegistry(defaultExtensions()) });
 * const events = [...session.start(), ...session.receive(new TextEncoder().encode('EHLO c.example\r\n'))];
 * // events: write 220 banner, write 250-mx.example …
 * ```
 */
export class ServerSession {
  readonly #c: SessionCore;

  constructor(options: ServerSessionOptions, connection: SessionConnectionFacts = {}) {
    this.#c = new SessionCore(options, connection);
  }

  // ---- facts for hook contexts ----

  /** The current state (read-only view). */
  get state(): ServerState {
    return this.#c.state;
  }

  /** HELO/EHLO/LHLO as given, or `undefined`. */
  get greeting(): Greeting | undefined {
    return this.#c.ctx.greeting;
  }

  /** The client's HELO/EHLO/LHLO argument (A-labels or the address literal as written). */
  get heloName(): string | undefined {
    return this.#c.heloName;
  }

  /** TLS facts when TLS is in effect. */
  get tlsInfo(): TlsInfo | undefined {
    return this.#c.tlsInfo;
  }

  /** The authenticated user after AUTH (or the user a forwarding proxy named). */
  get user(): string | undefined {
    return this.#c.user;
  }

  /** What an authorized proxy told about the real client (XCLIENT), if it did. */
  get forwardedClient(): ForwardedClient | undefined {
    return this.#c.client;
  }

  /** The open transaction, if any. */
  get envelope(): Envelope | undefined {
    const s = this.#c.state;
    const tx = transactionOf(s);
    if (tx !== undefined) return tx;
    const p = this.#c.pending;
    if (p?.kind === 'data-final' || p?.kind === 'mail') return p.tx;
    return undefined;
  }

  /** Bytes received and not yet processed. */
  get bufferedLength(): number {
    return this.#c.lines.bufferedLength;
  }

  /**
   * The session waits for a hook's decision before it reads on. With {@link bufferedLength} > 0,
   * the client has sent more (a pipelined group, RFC 2920) whose replies follow the decision: an
   * I/O layer may hold the replies so far and send the group's replies as a unit (§3.2).
   */
  get awaitingDecision(): boolean {
    return this.#c.pending !== undefined;
  }

  /** More than `limits.maxPendingBytes` are buffered: stop reading until the next `decide`. */
  get wantsPause(): boolean {
    return this.#c.lines.bufferedLength > this.#c.config.limits.maxPendingBytes;
  }

  /** The session is closed. */
  get closed(): boolean {
    return this.#c.state.phase === 'closed';
  }

  /** The extension context the registry sees (for extension hooks). */
  get context(): SessionContext {
    return this.#c.ctx;
  }

  // ---- inputs ----

  /** Starts the session: the banner, or an `ask` for the `connect` hook. */
  start(): SessionEvent[] {
    const c = this.#begin();
    if (c.state.phase === 'closed') return c.events();
    if (c.state.phase !== 'unstarted') {
      throw new ServerError('ERR_SERVER_MISUSE_STATE', 'start() called twice');
    }
    if (c.config.asks.connect) {
      c.fire(TRIGGERS.connectAsk);
      c.ask({ kind: 'connect', id: 0 }, 'connect', undefined);
    } else {
      c.fire(TRIGGERS.banner);
      c.write(c.config.banner);
      this.#run();
    }
    return c.events();
  }

  /** Bytes from the client. Never throws for what the client sends. */
  receive(bytes: Uint8Array): SessionEvent[] {
    const c = this.#begin();
    const s = c.state;
    switch (s.phase) {
      case 'closed':
      case 'tls-handshake':
        // RFC 3207 §4.2: nothing read on the plaintext side after STARTTLS counts.
        return c.events();
      case 'unstarted':
      case 'connecting':
        if (c.config.policy.earlyTalkers === 'reject' && bytes.length > 0) {
          c.write(replies.R554_5_5_0_EarlyTalker);
          c.close('early-talker');
          return c.events();
        }
        c.lines.push(bytes);
        return c.events();
      case 'data':
        // The hot path: body bytes straight to the decoder, no copy.
        if (c.lines.bufferedLength === 0) {
          if (feedData(c, s, bytes)) this.#run();
          return c.events();
        }
        break;
      case 'bdat':
        if (s.reader !== undefined && c.lines.bufferedLength === 0) {
          if (feedChunk(c, s, bytes)) this.#run();
          return c.events();
        }
        break;
    }
    c.lines.push(bytes);
    this.#run();
    return c.events();
  }

  /** The answer of the hook asked with `id`. Stale or unknown ids are ignored. */
  decide(id: number, decision: Decision): SessionEvent[] {
    const c = this.#begin();
    const s = c.state;
    if ((s.phase === 'data' || s.phase === 'bdat') && s.body.askId === id) {
      // The data hook finished before the end of the body: keep its answer for then.
      if (s.body.decision === undefined) s.body.decision = decision;
      return c.events();
    }
    const p = c.takePending(id);
    if (p === undefined) return c.events();
    decided(c, p, decision);
    this.#run();
    return c.events();
  }

  /** The TLS handshake finished (after `starttls`). RFC 3207 §4.2: the client starts over. */
  tlsEstablished(info: TlsInfo): SessionEvent[] {
    const c = this.#begin();
    if (c.state.phase !== 'tls-handshake') {
      throw new ServerError('ERR_SERVER_MISUSE_STATE', 'tlsEstablished() without STARTTLS');
    }
    c.fire({ type: 'tls', info });
    this.#run();
    return c.events();
  }

  /** Which RFC 5321 §4.5.3.2 timeout applies now, in ms (`undefined`: none). */
  timeoutFor(): number | undefined {
    const c = this.#c;
    const t = c.config.limits.timeouts;
    if (c.pending !== undefined) {
      return c.pending.kind === 'data-final' ? t.dataTermination : t.command;
    }
    const s = c.state;
    switch (s.phase) {
      case 'unstarted':
      case 'connecting':
        return t.greeting;
      case 'mail':
        return t.mail;
      case 'rcpt':
        return t.rcpt;
      case 'data':
        return s.decoder.wireLength === 0 ? t.dataInit : t.dataBlock;
      case 'bdat':
        return s.reader === undefined ? t.command : t.dataBlock;
      case 'skip':
        return t.dataBlock;
      case 'tls-handshake':
        return t.tlsHandshake;
      case 'closed':
        return undefined;
      default:
        return t.command;
    }
  }

  /** The timer ran out: 421 4.4.2 and close (RFC 5321 §4.5.3.2). */
  timeout(): SessionEvent[] {
    const c = this.#begin();
    if (c.state.phase === 'closed') return c.events();
    if (c.state.phase !== 'tls-handshake') c.write(replies.R421_4_4_2_Timeout);
    c.close('timeout', replies.R421_4_4_2_Timeout);
    return c.events();
  }

  /**
   * Graceful shutdown: an idle session gets 421 4.3.2 and closes now; one in a transaction
   * finishes it and gets the 421 after the transaction's last reply.
   */
  shutdown(): SessionEvent[] {
    const c = this.#begin();
    c.draining = true;
    c.drainIfIdle();
    return c.events();
  }

  /**
   * The peer will send nothing more (TCP FIN). Bytes already received are still processed, and
   * replies to them are still produced as hooks decide (RFC 5321 §4.1.1.10: a QUIT followed by
   * FIN gets its 221); the session closes (`peer-closed`, or `quit` after a QUIT) once nothing
   * is left to do: at once when idle, else after the pending hook and the buffered commands. A
   * message whose end never came is aborted (`body-abort`).
   */
  end(): SessionEvent[] {
    const c = this.#begin();
    if (c.state.phase === 'closed') return c.events();
    c.inputEnded = true;
    this.#run();
    return c.events();
  }

  #begin(): SessionCore {
    this.#c.beginCall();
    return this.#c;
  }

  /** Reads what is buffered as far as it goes, then closes if the peer's FIN left nothing to do. */
  #run(): void {
    pump(this.#c);
    this.#c.closeIfInputEnded();
  }
}
