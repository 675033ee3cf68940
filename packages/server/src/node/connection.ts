import type net from 'node:net';
import { xclientAttributesOf } from '../proxy/xclient-extension.js';
import type {
  CloseReason,
  DataAskPayload,
  Decision,
  SessionEvent,
  TlsInfo,
} from '../session/index.js';
import { DEFAULT_TIMEOUTS, ServerSession, type ServerSessionOptions } from '../session/index.js';
import { openConnection } from './connection-opening.js';
import { ConnectionTimer } from './connection-timer.js';
import type { FlushScheduler } from './flush-scheduler.js';
import { channels } from './diagnostics.js';
import { HookAbort } from './hook-abort.js';
import { rejectedDecision, startHook } from './hook-call.js';
import { buildHookContext, type ConnectionFacts } from './hook-context.js';
import type { Logger } from './logger.js';
import { MessageIntake } from './message-intake.js';
import { ReadGate } from './read-gate.js';
import { ReplyBatch } from './reply-batch.js';
import type {
  HookAbortReason,
  HookContext,
  ServerAuthOptions,
  ServerHooks,
} from './server-options.js';
import { startServerTls } from './start-tls.js';
import { type TlsContexts, tlsInfoOf } from './tls-context.js';

/** What a connection needs from its server (shared by all connections: little per-connection state). */
export interface ConnectionShared {
  readonly sessionOptions: ServerSessionOptions;
  readonly hooks: ServerHooks;
  readonly auth: ServerAuthOptions | undefined;
  readonly logger: Logger | undefined;
  readonly tls: TlsContexts | undefined;
  readonly proxy: { allows(address: string): boolean } | undefined;
  readonly proxyMaxLength: number;
  readonly bodyHighWaterMark: number;
  /** The longest a connection's Node timer is set for at once ({@link ConnectionTimer}). */
  readonly timerStep: number;
  onClose(connection: Connection): void;
  /** When the replies of the server's connections are written, and the transactions it counts. */
  readonly flushes: FlushScheduler;
}

/**
 * One client connection: feeds socket bytes to a {@link ServerSession}, carries out its events
 * (the replies of a batch in one write, hooks asked, body piped with backpressure, STARTTLS upgrade) and
 * owns the one timer of the connection, re-armed with the session's current timeout.
 */
export class Connection implements ConnectionFacts {
  readonly id: string;
  /** The TCP peer address the per-IP limit counts. */
  readonly ip: string;
  readonly #shared: ConnectionShared;
  #socket: net.Socket;
  #session: ServerSession | undefined;
  readonly #timer: ConnectionTimer;
  readonly #gate: ReadGate;
  readonly #intake: MessageIntake;
  #closed = false;
  /** Replies not written yet. */
  readonly #replies = new ReplyBatch();
  /** The replies wait for the server's {@link FlushScheduler}. */
  #flushSoon = false;
  /** The session is in a mail transaction (counted by the server's {@link FlushScheduler}). */
  #transacting = false;
  /** The peer's FIN was read (or the socket closed without one): the session was told. */
  #peerEnded = false;
  #proxied: HookContext['proxied'];
  /** The client's endpoint as last worked out, and for which XCLIENT client (see #remote). */
  #remoteEndpoint:
    | { readonly address: string | undefined; readonly port: number | undefined }
    | undefined;
  #remoteFor: unknown;
  /** The local endpoint, read once on first use (hook contexts read it lazily). */
  #local: { readonly address: string | undefined; readonly port: number | undefined } | undefined;
  /** The hooks' `ctx.signal`. */
  readonly #hookAbort = new HookAbort();

  /** A hook that decided as it was called (no promise): told to the session after its batch. */
  #decidedId = 0;
  #decidedHook = '';
  #decided: Decision | undefined;

  #logger: Logger | undefined;
  readonly #onData = (chunk: Buffer): void => {
    const session = this.#session;
    if (session !== undefined) this.#handle(session.receive(chunk));
  };
  /**
   * The peer's FIN: it will send nothing more (RFC 9293 §3.6) but may still read. The session
   * answers what it already received as its hooks decide (the 250 for a message, the 221 for a
   * QUIT read before the FIN) and emits `close` once nothing is left, which ends our side. Until
   * then its timeouts bound a peer that neither sends nor reads.
   */
  readonly #onEnd = (): void => {
    const session = this.#session;
    if (session === undefined || this.#peerEnded) return;
    this.#peerEnded = true;
    if (!session.closed) this.#handle(session.end());
  };

  constructor(socket: net.Socket, id: string, shared: ConnectionShared) {
    this.id = id;
    this.ip = socket.remoteAddress ?? '';
    this.#socket = socket;
    this.#gate = new ReadGate(socket);
    this.#intake = new MessageIntake(shared.bodyHighWaterMark, this.#gate);
    this.#shared = shared;
    this.#logger = shared.logger?.child?.({ session: id }) ?? shared.logger;
    this.#timer = new ConnectionTimer(
      shared.sessionOptions.limits?.timeouts?.messageTransfer ?? DEFAULT_TIMEOUTS.messageTransfer,
      () => {
        if (this.#session !== undefined) this.#handle(this.#session.timeout());
      },
      shared.timerStep,
    );
    socket.setNoDelay(true);
    socket.on('error', (error) => {
      this.#log('debug', 'socket error', { error: error.message });
      socket.destroy();
    });
    // 'close' comes once: `on` rather than `once`, which wraps the listener per connection.
    socket.on('close', () => this.#onClosed());
    // The close hook's ctx is built after the socket closed, when the endpoint can no longer be read.
    if (shared.hooks.close !== undefined) this.localEndpoint();
  }

  /** Starts: PROXY header (allow-listed peers), implicit TLS, then the session. */
  begin(implicitTls: boolean): void {
    const shared = this.#shared;
    if (shared.proxy === undefined && !implicitTls) {
      // Nothing to read or negotiate before the session (openConnection's first step, inline).
      this.#startSession(undefined, undefined);
      return;
    }
    const timeouts = shared.sessionOptions.limits?.timeouts;
    openConnection(
      this.#socket,
      {
        proxy: shared.proxy,
        proxyMaxLength: shared.proxyMaxLength,
        headerTimeoutMs: timeouts?.greeting ?? 30_000,
        implicitTls,
        tls: shared.tls,
        handshakeTimeoutMs: timeouts?.tlsHandshake ?? 30_000,
      },
      (opened) => {
        this.#socket = opened.socket;
        this.#gate.socket = opened.socket;
        this.#proxied = opened.proxied;
        this.#startSession(opened.tlsInfo, opened.early);
      },
      (what, error) => this.#log('warn', what, { error: error.message }),
    );
  }

  /** Graceful shutdown: 421 now when idle, after the transaction otherwise. */
  shutdown(): void {
    if (this.#session === undefined) {
      this.#socket.destroy();
      return;
    }
    this.#handle(this.#session.shutdown());
  }

  /** Cuts the connection (server shutdown: a pending hook's signal is aborted with 'shutdown'). */
  destroy(): void {
    this.#hookAbort.abort('shutdown');
    this.#socket.destroy();
  }

  /** The signal of every hook context of this connection, made on first read. */
  get signal(): AbortSignal {
    return this.#hookAbort.signal;
  }

  // ---- the session ----

  #startSession(tlsInfo: TlsInfo | undefined, early?: Buffer): void {
    const socket = this.#socket;
    const session = new ServerSession(this.#shared.sessionOptions, {
      tls: tlsInfo,
      remoteAddress: socket.remoteAddress,
      observe: channels.command.hasSubscribers,
    });
    this.#session = session;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    if (socket.isPaused()) socket.resume();
    // Bytes that came with the PROXY header were sent before the banner: early talk.
    if (early !== undefined && early.length > 0) this.#handle(session.receive(early));
    if (!session.closed) this.#handle(session.start());
  }

  /** The client: the XCLIENT or PROXY source when one was accepted, else the TCP peer. */
  get remoteAddress(): string | undefined {
    return this.#remote().address;
  }

  get remotePort(): number | undefined {
    return this.#remote().port;
  }

  /**
   * The client's address and port, worked out once per client the session knows: again only
   * after XCLIENT names another (the PROXY header and the TCP peer are fixed by then).
   */
  #remote(): { readonly address: string | undefined; readonly port: number | undefined } {
    const client = this.#session?.forwardedClient;
    const known = this.#remoteEndpoint;
    if (known !== undefined && this.#remoteFor === client) return known;
    const x = xclientAttributesOf(client);
    const a = this.#proxied?.header.addresses;
    const address =
      x?.addr?.kind === 'value'
        ? x.addr.value
        : a !== undefined && a.family !== 'unix'
          ? a.sourceAddress
          : this.#socket.remoteAddress;
    const port =
      x?.port?.kind === 'value'
        ? x.port.value
        : (this.#proxied?.header.addresses?.sourcePort ?? this.#socket.remotePort);
    const endpoint = { address, port };
    // Kept only once the session exists: before it, the PROXY header may still be read.
    if (this.#session !== undefined) {
      this.#remoteEndpoint = endpoint;
      this.#remoteFor = client;
    }
    return endpoint;
  }

  // ---- events ----

  #handle(batch: readonly SessionEvent[]): void {
    const socket = this.#socket;
    let events = batch;
    for (;;) {
      this.#carryOut(events, socket);
      // A hook that decided synchronously: the session hears it now, and what follows from it
      // (its reply, the rest of a pipelined group) joins this batch and its one write.
      const decision = this.#decided;
      if (decision === undefined) break;
      this.#decided = undefined;
      events = this.#settle(this.#decidedId, this.#decidedHook, decision);
    }
    const session = this.#session;
    if (session === undefined || this.#closed) {
      this.#flush();
      return;
    }
    // RFC 2920 §3.2: while a hook decides on a command with more of its group buffered behind
    // it, the replies so far wait for the rest of the group; otherwise the client waits for them.
    if ((!session.awaitingDecision || session.bufferedLength === 0) && !this.#flushSoon) {
      if (this.#replies.held) {
        this.#flushSoon = true;
        this.#shared.flushes.soon(this);
      }
    }
    this.#gate.holdForSession(session.wantsPause);
    this.#timer.arm(session);
    const transacting = session.envelope !== undefined;
    if (transacting !== this.#transacting) {
      this.#transacting = transacting;
      this.#shared.flushes.transacting(transacting ? 1 : -1);
    }
  }

  #carryOut(events: readonly SessionEvent[], socket: net.Socket): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as SessionEvent;
      switch (e.type) {
        case 'write':
          if (socket.destroyed) break;
          this.#replies.hold(e.bytes);
          if (channels.reply.hasSubscribers) {
            channels.reply.publish({ id: this.id, code: e.reply.code, enhanced: e.reply.enhanced });
          }
          break;
        case 'ask':
          // Replies the client waits for go out before the hook runs (its synchronous start, a
          // data hook setting up its reader say, then runs while the client reads them), unless
          // more of a pipelined group waits behind this ask: then they wait for the group's
          // other replies (RFC 2920 §3.2).
          if (this.#session?.bufferedLength === 0) this.#flush();
          this.#ask(e.id, e.hook, e.payload);
          break;
        case 'body':
          this.#intake.chunk(e.chunk);
          break;
        case 'body-end':
          this.#intake.end(e.size);
          this.#publishMessage(e.size, 'accepted');
          break;
        case 'body-abort':
          this.#publishMessage(this.#intake.abort(e.reply), 'refused');
          break;
        case 'starttls':
          this.#flush();
          this.#upgrade();
          break;
        case 'close':
          // Before the last reply goes out: a client told 421 finds the hook's signal aborted.
          this.#hookAbort.abort(abortReasonOf(e.reason));
          this.#flush();
          this.#timer.clear();
          this.#closed = true;
          // Our last reply and FIN, then the descriptor is released at once (no waiting for the
          // peer's FIN). What the kernel took goes out whatever the peer does; only bytes still
          // held here wait for a peer that does not read, and the one timer cuts it.
          socket.on('finish', destroySocket);
          socket.end();
          if (socket.writableLength > 0) this.#timer.after(5000, () => socket.destroy());
          break;
        case 'command':
          if (channels.command.hasSubscribers) {
            channels.command.publish({ id: this.id, verb: e.verb, phase: e.phase });
          }
          break;
        case 'log':
          this.#log(e.level, e.message, e.data);
          break;
      }
    }
  }

  /**
   * One socket write for the replies held: a batch, or a pipelined group. Past the socket's
   * writable high-water mark the peer is not reading its replies: reading stops until 'drain', so
   * what the server holds for it stays within that mark plus the replies to one read (the rest
   * waits in the kernel's buffers).
   */
  #flush(): void {
    if (!this.#replies.flushTo(this.#socket)) this.#gate.holdForWrites();
  }

  /** Writes the replies held (called by the {@link FlushScheduler}). */
  flushNow(): void {
    this.#flushSoon = false;
    this.#flush();
  }

  /** The local endpoint, read from the socket once (a system call), when first asked. */
  localEndpoint(): { readonly address: string | undefined; readonly port: number | undefined } {
    if (this.#local === undefined) {
      this.#local = { address: this.#socket.localAddress, port: this.#socket.localPort };
    }
    return this.#local;
  }

  /** The PROXY header accepted before the session, if any. */
  get proxied(): HookContext['proxied'] {
    return this.#proxied;
  }

  #ask(id: number, hook: string, payload: unknown): void {
    const shared = this.#shared;
    const message = hook === 'data' ? this.#intake.open(id, payload as DataAskPayload) : undefined;
    const started = startHook(shared.hooks, shared.auth, hook, this.#context(), payload, message);
    if (started instanceof Promise) {
      started.then(
        (value) => this.#decide(id, hook, { kind: 'resolved', value }),
        (error: unknown) => this.#decide(id, hook, rejectedDecision(error)),
      );
      return;
    }
    // Only from #handle's batch (the session asks one hook at a time): decided after it.
    this.#decidedId = id;
    this.#decidedHook = hook;
    this.#decided = started;
  }

  /** A hook's promise settled. */
  #decide(id: number, hook: string, decision: Decision): void {
    const events = this.#settle(id, hook, decision);
    // No events: nothing changed (a data hook that decided before its message ended, whose
    // decision waits for the end of the body; a stale decision): no batch to handle.
    if (events.length > 0) this.#handle(events);
  }

  /** Tells the session how a hook ended; the events that follow. */
  #settle(id: number, hook: string, decision: Decision): readonly SessionEvent[] {
    if (decision.kind === 'error' && channels.error.hasSubscribers) {
      channels.error.publish({ id: this.id, hook, error: decision.error });
    }
    if (hook === 'data') this.#intake.settled(id);
    const session = this.#session;
    if (session === undefined || this.#socket.destroyed) return NO_EVENTS;
    return session.decide(id, decision);
  }

  /** The `ctx` of a hook call; the connection gives its own facts (no object made for them). */
  #context(): HookContext {
    return buildHookContext(this.#session, this);
  }

  // RFC 3207 §4: after 220, the TLS handshake on the same connection.
  #upgrade(): void {
    const contexts = this.#shared.tls;
    const plain = this.#socket;
    plain.removeListener('data', this.#onData);
    if (contexts === undefined) {
      plain.destroy();
      return;
    }
    // The connection's timer bounds the handshake (the session's tls-handshake timeout).
    this.#timer.arm(this.#session);
    startServerTls(
      plain,
      contexts,
      { failed: (error) => this.#log('debug', 'TLS failed', { error: error.message }) },
      (secure) => {
        this.#socket = secure;
        this.#gate.socket = secure;
        secure.on('data', this.#onData);
        secure.once('end', this.#onEnd);
        const session = this.#session;
        if (session !== undefined) this.#handle(session.tlsEstablished(tlsInfoOf(secure)));
      },
    );
  }

  #publishMessage(size: number, outcome: 'accepted' | 'refused'): void {
    if (!channels.message.hasSubscribers) return;
    const envelope = this.#session?.envelope;
    channels.message.publish({
      id: this.id,
      size,
      outcome,
      recipients: envelope?.recipients.length,
    });
  }

  #onClosed(): void {
    this.#hookAbort.abort('closed');
    // Gone without a FIN (a reset, an error, a cut): the session learns it too, so a body still
    // arriving is aborted. Nothing is written any more and no timer stays armed.
    const session = this.#session;
    if (session !== undefined && !session.closed && !this.#peerEnded) {
      this.#peerEnded = true;
      this.#handle(session.end());
    }
    this.#closed = true;
    this.#timer.clear();
    this.#intake.closed();
    if (this.#transacting) {
      this.#transacting = false;
      this.#shared.flushes.transacting(-1);
    }
    const close = this.#shared.hooks.close;
    if (close !== undefined) {
      const ctx = this.#context();
      Promise.resolve()
        .then(() => close(ctx))
        .catch((error: unknown) => this.#log('error', 'close hook failed', { error }));
    }
    this.#shared.onClose(this);
  }

  #log(
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    data?: Readonly<Record<string, unknown>>,
  ): void {
    const logger = this.#logger;
    if (logger !== undefined) logger[level]({ ...data }, message);
    if (level === 'error' && channels.error.hasSubscribers) {
      channels.error.publish({ id: this.id, message, ...data });
    }
  }
}

const NO_EVENTS: readonly SessionEvent[] = [];

/** A socket's 'finish' listener (our FIN is out): one function for every connection. */
function destroySocket(this: net.Socket): void {
  this.destroy();
}

/** The hooks' abort reason for a session's close reason. */
function abortReasonOf(reason: CloseReason): HookAbortReason {
  return reason === 'timeout' || reason === 'shutdown' ? reason : 'closed';
}
