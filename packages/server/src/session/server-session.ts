import type { Greeting, SessionContext } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import type { XclientAttributes } from '../proxy/xclient.js';
import { feedChunk, feedData } from './body.js';
import { decided } from './decisions.js';
import { pump } from './pump.js';
import { ServerSessionError } from './server-session-error.js';
import type { Envelope, ServerState } from './server-state.js';
import { SessionCore } from './session-core.js';
import type { Decision, SessionEvent } from './session-events.js';
import type { ServerSessionOptions, TlsInfo } from './session-options.js';

/**
 * The sans-IO SMTP/LMTP server session: bytes in, {@link SessionEvent}s out. No socket, no
 * timer, no clock, no logging: the I/O layer (`createServer`) writes what it is told, asks the
 * application's hooks, pipes the body, owns the one timer ({@link ServerSession.timeoutFor}) and
 * does the TLS upgrade. States are one union ({@link ServerState}); core command transitions are
 * the table in `transitions.ts`; extension verbs, parameters and keywords come from the registry.
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

  constructor(
    options: ServerSessionOptions,
    connection: {
      readonly tls?: TlsInfo | undefined;
      readonly remoteAddress?: string | undefined;
      readonly observe?: boolean;
    } = {},
  ) {
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

  /** The authenticated user after AUTH. */
  get user(): string | undefined {
    return this.#c.user;
  }

  /** XCLIENT attributes accepted on this connection. */
  get xclient(): XclientAttributes | undefined {
    return this.#c.xclient;
  }

  /** The open transaction, if any. */
  get envelope(): Envelope | undefined {
    const s = this.#c.state;
    if ('tx' in s) return s.tx;
    if (this.#c.pending?.kind === 'data-final') return this.#c.pending.tx;
    if (this.#c.pending?.kind === 'mail') return this.#c.pending.tx;
    return undefined;
  }

  /** Bytes received and not yet processed. */
  get bufferedLength(): number {
    return this.#c.lines.bufferedLength;
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
    this.#c.out = [];
    if (this.#c.state.phase === 'closed') return this.#c.out;
    if (this.#c.state.phase !== 'unstarted') {
      throw new ServerSessionError('ERR_SESSION_STATE', 'start() called twice');
    }
    if (this.#c.config.hooks.has('connect')) {
      this.#c.state = { phase: 'connecting' };
      this.#c.ask({ kind: 'connect', id: 0 }, 'connect', undefined);
    } else {
      this.#c.banner();
      pump(this.#c);
    }
    return this.#c.out;
  }

  /** Bytes from the client. Never throws for what the client sends. */
  receive(bytes: Uint8Array): SessionEvent[] {
    this.#c.out = [];
    const s = this.#c.state;
    switch (s.phase) {
      case 'closed':
      case 'tls-handshake':
        // RFC 3207 §4.2: nothing read on the plaintext side after STARTTLS counts.
        return this.#c.out;
      case 'unstarted':
      case 'connecting':
        if (this.#c.config.policy.earlyTalkers === 'reject' && bytes.length > 0) {
          this.#c.write(replies.R554_5_5_0_EarlyTalker);
          this.#c.close('early-talker');
          return this.#c.out;
        }
        this.#c.lines.push(bytes);
        return this.#c.out;
      case 'data':
        // The hot path: body bytes straight to the decoder, no copy.
        if (this.#c.lines.bufferedLength === 0) {
          if (feedData(this.#c, s, bytes)) pump(this.#c);
          return this.#c.out;
        }
        break;
      case 'bdat':
        if (s.reader !== undefined && this.#c.lines.bufferedLength === 0) {
          if (feedChunk(this.#c, s, bytes)) pump(this.#c);
          return this.#c.out;
        }
        break;
    }
    this.#c.lines.push(bytes);
    pump(this.#c);
    return this.#c.out;
  }

  /** The answer of the hook asked with `id`. Stale or unknown ids are ignored. */
  decide(id: number, decision: Decision): SessionEvent[] {
    this.#c.out = [];
    const s = this.#c.state;
    if ((s.phase === 'data' || s.phase === 'bdat') && s.body.askId === id) {
      // The data hook finished before the end of the body: keep its answer for then.
      if (s.body.decision === undefined) s.body.decision = decision;
      return this.#c.out;
    }
    const p = this.#c.pending;
    if (p === undefined || p.id !== id || s.phase === 'closed') return this.#c.out;
    this.#c.pending = undefined;
    decided(this.#c, p, decision);
    pump(this.#c);
    return this.#c.out;
  }

  /** The TLS handshake finished (after `starttls`). RFC 3207 §4.2: the client starts over. */
  tlsEstablished(info: TlsInfo): SessionEvent[] {
    this.#c.out = [];
    if (this.#c.state.phase !== 'tls-handshake') {
      throw new ServerSessionError('ERR_SESSION_STATE', 'tlsEstablished() without STARTTLS');
    }
    this.#c.tlsInfo = info;
    this.#c.heloName = undefined;
    this.#c.user = undefined;
    this.#c.state = { phase: 'connected' };
    this.#c.ctx = this.#c.newContext(undefined, false);
    pump(this.#c);
    return this.#c.out;
  }

  /** Which RFC 5321 §4.5.3.2 timeout applies now, in ms (`undefined`: none). */
  timeoutFor(): number | undefined {
    const t = this.#c.config.limits.timeouts;
    if (this.#c.pending !== undefined) {
      return this.#c.pending.kind === 'data-final' ? t.dataTermination : t.command;
    }
    const s = this.#c.state;
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
    this.#c.out = [];
    if (this.#c.state.phase === 'closed') return this.#c.out;
    this.#c.abortBody(replies.R421_4_4_2_Timeout);
    if (this.#c.state.phase !== 'tls-handshake') this.#c.write(replies.R421_4_4_2_Timeout);
    this.#c.close('timeout');
    return this.#c.out;
  }

  /**
   * Graceful shutdown: an idle session gets 421 4.3.2 and closes now; one in a transaction
   * finishes it and gets the 421 after the transaction's last reply.
   */
  shutdown(): SessionEvent[] {
    this.#c.out = [];
    this.#c.draining = true;
    this.#c.drainIfIdle();
    return this.#c.out;
  }

  /** The peer closed the connection. */
  end(): SessionEvent[] {
    this.#c.out = [];
    if (this.#c.state.phase === 'closed') return this.#c.out;
    this.#c.abortBody(replies.R421_4_4_2_BadConnection);
    this.#c.close('peer-closed');
    return this.#c.out;
  }

  // ---- the loop ----
}
