import type net from 'node:net';
import type { ServerCapabilities } from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import type { SaslClientMechanism } from '@smtpkit/sasl';
import { ClientError } from '../client-error.js';
import type { ClientEvent, SendEnvelope, TransactionResult } from '../session/client-events.js';
import type { ClientSession } from '../session/client-session.js';
import type { ClientTimeoutName, ClientTimeoutOptions } from './client-options.js';
import { type ClientTlsSettings, startClientTls } from './client-tls.js';
import type { ConnectionTimer } from './connection-timer.js';
import { channels } from './diagnostics.js';
import { timeoutError } from './open-socket.js';

/** The event that ends an operation (`close`: QUIT's, once the socket is closed). */
type Outcome = 'greeting' | 'ready' | 'starttls' | 'authenticated' | 'sent' | 'reply' | 'close';

/** How long a connection whose session ended may take to flush its last writes. */
const END_GRACE_MS = 5000;

/** A message body read after `body-wanted`. */
export type BodySource = AsyncIterable<Uint8Array | string>;

interface Pending {
  readonly until: Outcome;
  readonly resolve: (event: ClientEvent | undefined) => void;
  readonly reject: (error: unknown) => void;
  readonly body: BodySource | undefined;
}

/** What a connection needs besides its socket and session. */
export interface ClientConnectionSettings {
  readonly id: string;
  readonly timer: ConnectionTimer;
  readonly timeouts: ClientTimeoutOptions;
  readonly tls: ClientTlsSettings;
}

/**
 * One connection to a server: feeds the socket's bytes to a {@link ClientSession}, carries out its
 * events (the writes of a batch in one system call, the STARTTLS upgrade, a streamed body with
 * backpressure), owns the connection's one timer, and turns each operation into a promise that
 * settles with the event that ends it. One operation at a time (the caller queues them).
 *
 * @example
 * ```ts
 * const connection = new ClientConnection(socket, session, settings);
 * await connection.greeting();
 * const caps = await connection.hello();
 * const result = await connection.send(envelope, bytes);
 * await connection.quit();
 * ```
 */
export class ClientConnection {
  readonly id: string;
  #socket: net.Socket;
  readonly #session: ClientSession;
  readonly #timer: ConnectionTimer;
  readonly #timeouts: ClientTimeoutOptions;
  readonly #tls: ClientTlsSettings;
  #pending: Pending | undefined;
  /** The socket closed. */
  #closed = false;
  /** Why the connection was cut by this side (a timeout, `destroy()`, a failed body source). */
  #failure: unknown;
  #socketError: Error | undefined;
  /** Octets of the message being sent (for the message channel). */
  #bodySize = 0;
  /** Replies read so far, and the last one: whether a failed send was answered at all. */
  #repliesRead = 0;
  #lastReply: Reply | undefined;
  readonly #whenClosed: Promise<void>;
  #resolveClosed: () => void = () => undefined;

  readonly #onData = (chunk: Buffer): void => {
    this.#handle(this.#session.receive(chunk), false);
  };
  /** The server's FIN: nothing more will come; what was awaited fails. */
  readonly #onEnd = (): void => {
    this.#handle(this.#session.serverClosed(), false);
  };
  readonly #onError = (error: Error): void => {
    this.#socketError ??= error;
    if (channels.error.hasSubscribers) channels.error.publish({ id: this.id, error });
  };
  readonly #onClose = (): void => {
    this.#closed = true;
    this.#timer.clear();
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#pending = undefined;
      if (pending.until === 'close' && this.#failure === undefined) pending.resolve(undefined);
      else pending.reject(this.#closedError());
    }
    if (!this.#session.closed) this.#session.serverClosed();
    this.#resolveClosed();
    if (channels.connection.hasSubscribers) {
      channels.connection.publish({ id: this.id, event: 'close' });
    }
  };
  readonly #onTimeout = (name: ClientTimeoutName, ms: number): void => {
    this.#fail(timeoutError(name, ms));
  };

  constructor(socket: net.Socket, session: ClientSession, settings: ClientConnectionSettings) {
    this.id = settings.id;
    this.#socket = socket;
    this.#session = session;
    this.#timer = settings.timer;
    this.#timeouts = settings.timeouts;
    this.#tls = settings.tls;
    this.#whenClosed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    socket.setNoDelay(true);
    socket.on('error', this.#onError);
    socket.once('close', this.#onClose);
    socket.on('data', this.#onData);
    socket.once('end', this.#onEnd);
    if (channels.connection.hasSubscribers) {
      channels.connection.publish({
        id: this.id,
        event: 'open',
        remoteAddress: socket.remoteAddress,
        remotePort: socket.remotePort,
        localAddress: socket.localAddress,
        localPort: socket.localPort,
      });
    }
    this.#rearm(true);
  }

  /** The server's capabilities after the last EHLO/LHLO. */
  get capabilities(): ServerCapabilities | undefined {
    return this.#session.capabilities;
  }

  /** Under TLS (implicit, or after STARTTLS). */
  get secure(): boolean {
    return this.#session.secure;
  }

  /** Nothing more can be sent: the session or the socket is closed. */
  get closed(): boolean {
    return this.#closed || this.#socket.destroyed || this.#session.closed;
  }

  /** The session ended normally with a transaction-free state: another message may follow. */
  get ready(): boolean {
    return !this.closed && this.#session.state.phase === 'ready';
  }

  /** Resolves once the socket is closed. */
  get whenClosed(): Promise<void> {
    return this.#whenClosed;
  }

  /**
   * Replies read on this connection so far. A pool compares it before and after a failed send:
   * a connection that closed before any reply to MAIL took nothing of the message.
   */
  get repliesRead(): number {
    return this.#repliesRead;
  }

  /** The last reply read (a 421 says the server is closing: RFC 5321 §3.8). */
  get lastReply(): Reply | undefined {
    return this.#lastReply;
  }

  // ---- operations ----

  /** The server's 220 (RFC 5321 §3.1); rejects with its refusal. */
  async greeting(): Promise<Reply | undefined> {
    if (this.#session.state.phase !== 'connecting') return undefined;
    const e = await this.#run('greeting', () => []);
    return e?.type === 'greeting' ? e.reply : undefined;
  }

  /** EHLO (LHLO), HELO when EHLO is refused: the server's capabilities. */
  async hello(): Promise<ServerCapabilities> {
    const e = await this.#run('ready', () => this.#session.hello());
    return (e as Extract<ClientEvent, { type: 'ready' }>).capabilities;
  }

  /** STARTTLS and the handshake (RFC 3207); EHLO comes next. */
  async startTls(): Promise<void> {
    await this.#run('starttls', () => this.#session.startTls());
  }

  async authenticate(mechanism: SaslClientMechanism): Promise<Reply> {
    const e = await this.#run('authenticated', () => this.#session.authenticate(mechanism));
    return (e as Extract<ClientEvent, { type: 'authenticated' }>).reply;
  }

  /** One transaction: the whole message, or a body streamed after the server asks for it. */
  async send(envelope: SendEnvelope, message: Uint8Array | BodySource): Promise<TransactionResult> {
    const whole = message instanceof Uint8Array ? message : undefined;
    this.#bodySize = whole?.length ?? 0;
    const e = await this.#run(
      'sent',
      () => this.#session.send(envelope, whole),
      whole === undefined ? (message as BodySource) : undefined,
    );
    return (e as Extract<ClientEvent, { type: 'sent' }>).result;
  }

  async reset(): Promise<Reply> {
    const e = await this.#run('reply', () => this.#session.reset());
    return (e as Extract<ClientEvent, { type: 'reply' }>).reply;
  }

  async noop(): Promise<Reply> {
    const e = await this.#run('reply', () => this.#session.noop());
    return (e as Extract<ClientEvent, { type: 'reply' }>).reply;
  }

  /** QUIT, the 221, then our FIN; resolves once the socket is closed. */
  async quit(): Promise<void> {
    if (!this.closed) await this.#run('close', () => this.#session.quit());
    await this.#whenClosed;
  }

  /** Cuts the connection; an operation in progress fails with `ERR_CLIENT_CLOSED`. */
  async destroy(): Promise<void> {
    if (!this.#closed) {
      this.#fail(new ClientError('ERR_CLIENT_CLOSED', 'the connection was closed by the client'));
    }
    await this.#whenClosed;
  }

  // ---- events ----

  #run(
    until: Outcome,
    act: () => ClientEvent[],
    body?: BodySource,
  ): Promise<ClientEvent | undefined> {
    if (this.closed) return Promise.reject(this.#closedError());
    if (this.#pending !== undefined) {
      return Promise.reject(
        new ClientError('ERR_CLIENT_MISUSE_STATE', 'another operation is in progress'),
      );
    }
    return new Promise((resolve, reject) => {
      this.#pending = { until, resolve, reject, body };
      let events: ClientEvent[];
      try {
        events = act();
      } catch (error) {
        this.#pending = undefined;
        reject(error);
        return;
      }
      this.#handle(events, true);
    });
  }

  /**
   * Carries out a batch of session events. Writes of one batch (a pipelined group) go out in one
   * system call. Returns false when the socket's buffer is past its high-water mark.
   */
  #handle(events: readonly ClientEvent[], progress: boolean): boolean {
    let first: Uint8Array | undefined;
    let more: Uint8Array[] | undefined;
    let outcome: ClientEvent | undefined;
    let error: ClientError | undefined;
    let upgrade = false;
    let bodyWanted = false;
    let close = false;
    const until = this.#pending?.until;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as ClientEvent;
      switch (e.type) {
        case 'write':
          if (first === undefined) first = e.bytes;
          else if (more === undefined) more = [first, e.bytes];
          else more.push(e.bytes);
          break;
        case 'command':
          if (channels.command.hasSubscribers) {
            channels.command.publish({ id: this.id, verb: e.verb });
          }
          break;
        case 'received':
          progress = true;
          this.#repliesRead++;
          this.#lastReply = e.reply;
          if (channels.reply.hasSubscribers) {
            channels.reply.publish({ id: this.id, code: e.reply.code, enhanced: e.reply.enhanced });
          }
          break;
        case 'error':
          error ??= e.error;
          break;
        case 'starttls':
          upgrade = true;
          break;
        case 'body-wanted':
          bodyWanted = true;
          break;
        case 'close':
          close = true;
          break;
        case 'sent':
          if (channels.message.hasSubscribers) this.#publishMessage(e.result);
          outcome = e;
          break;
        default:
          if (e.type === until) outcome = e;
      }
    }
    const flowing = this.#write(first, more);
    if (close) this.#end();
    else this.#rearm(progress);
    if (error !== undefined) this.#settle(error, undefined);
    else if (upgrade) this.#upgrade();
    else if (outcome !== undefined) this.#settle(undefined, outcome);
    else if (bodyWanted && this.#pending?.body !== undefined) void this.#stream(this.#pending.body);
    return flowing;
  }

  #write(first: Uint8Array | undefined, more: Uint8Array[] | undefined): boolean {
    const socket = this.#socket;
    if (first === undefined || socket.destroyed) return true;
    if (more === undefined) return socket.write(first);
    // Several pieces (a dot-stuffed body, a BDAT line and its chunk): one writev, no copy.
    socket.cork();
    let flowing = true;
    for (const piece of more) flowing = socket.write(piece);
    socket.uncork();
    return flowing;
  }

  /** The session's wait in force, re-timed when something moved (RFC 5321 §4.5.3.2). */
  #rearm(progress: boolean): void {
    if (this.#session.closed || this.#closed) return;
    const wait = this.#session.waitingFor();
    if (wait === undefined) {
      this.#timer.clear();
      return;
    }
    if (progress || !this.#timer.armed)
      this.#timer.arm(this.#timeouts[wait], wait, this.#onTimeout);
  }

  #settle(error: unknown, outcome: ClientEvent | undefined): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    if (error !== undefined) pending.reject(error);
    else pending.resolve(outcome);
  }

  /**
   * The session is over: our FIN after its last writes, then the descriptor is released (after a
   * QUIT nothing more is read); a server that does not read what is left is cut after a grace.
   */
  #end(): void {
    const socket = this.#socket;
    if (socket.destroyed) return;
    socket.end(() => socket.destroy());
    this.#timer.arm(Math.min(END_GRACE_MS, this.#timeouts.command), 'command', () =>
      socket.destroy(),
    );
  }

  /** Cuts the connection now: the operation in progress fails with `error`. */
  #fail(error: unknown): void {
    this.#failure ??= error;
    if (channels.error.hasSubscribers) channels.error.publish({ id: this.id, error });
    this.#settle(error, undefined);
    this.#socket.destroy();
  }

  #closedError(): unknown {
    if (this.#failure !== undefined) return this.#failure;
    const phase = this.#session.state.phase;
    return new ClientError('ERR_CLIENT_CLOSED', `the connection is closed (${phase})`, {
      ...(this.#socketError === undefined ? {} : { cause: this.#socketError }),
    });
  }

  // RFC 3207 §4: the handshake on the same connection after the 220. The session already dropped
  // what the server sent after its 220 (§6, response injection); the plain socket's bytes are no
  // longer read, so nothing sent before the handshake reaches the session.
  #upgrade(): void {
    const plain = this.#socket;
    plain.removeListener('data', this.#onData);
    plain.removeListener('end', this.#onEnd);
    plain.removeListener('close', this.#onClose);
    plain.removeListener('error', this.#onError);
    this.#timer.arm(this.#timeouts.tlsHandshake, 'tlsHandshake', this.#onTimeout);
    const secure = startClientTls(plain, this.#tls, (error) => {
      if (error !== undefined) {
        this.#fail(error);
        return;
      }
      secure.on('data', this.#onData);
      secure.once('end', this.#onEnd);
      if (channels.connection.hasSubscribers) {
        channels.connection.publish({
          id: this.id,
          event: 'secure',
          protocol: secure.getProtocol(),
          cipher: secure.getCipher()?.name,
        });
      }
      this.#handle(this.#session.tlsEstablished(), true);
      this.#settle(undefined, { type: 'starttls' });
    });
    plain.on('error', () => secure.destroy());
    this.#socket = secure;
    secure.on('error', this.#onError);
    secure.once('close', this.#onClose);
  }

  /**
   * Streams a message body after `body-wanted`: each piece through the session (dot-stuffed for
   * DATA, a BDAT chunk otherwise), waiting for the socket's 'drain' whenever its buffer is full.
   * A source that fails cuts the connection: ending the message would deliver part of it.
   */
  async #stream(source: BodySource): Promise<void> {
    try {
      for await (const chunk of source) {
        if (this.#session.state.phase !== 'body') return;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        if (!(bytes instanceof Uint8Array)) {
          throw new ClientError(
            'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
            'a message stream must give Uint8Array or string chunks',
          );
        }
        if (bytes.length === 0) continue;
        this.#bodySize += bytes.length;
        if (!this.#handle(this.#session.bodyChunk(bytes), true)) await this.#drained();
      }
      if (this.#session.state.phase !== 'body') return;
      this.#handle(this.#session.bodyEnd(), true);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The socket's buffer drained (or the socket closed). */
  #drained(): Promise<void> {
    const socket = this.#socket;
    if (this.#closed || socket.destroyed || !socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        socket.removeListener('drain', done);
        socket.removeListener('close', done);
        resolve();
      };
      socket.once('drain', done);
      socket.once('close', done);
    });
  }

  #publishMessage(result: TransactionResult): void {
    channels.message.publish({
      id: this.id,
      size: this.#bodySize,
      recipients: result.recipients.length,
      accepted: result.recipients.filter((r) => r.accepted).length,
      via: result.via,
      code: result.message?.code,
    });
  }
}
