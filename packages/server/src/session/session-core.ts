import type { ForwardedClient, Greeting, SessionContext, SessionLimits } from '@smtpkit/extensions';
import { type Reply, replies } from '@smtpkit/reply';
import { SASL_MAX_RESPONSE_LENGTH, type SaslServerMechanism } from '@smtpkit/sasl';
import { LineReader } from '@smtpkit/wire';
import { writeEvent } from './reply-bytes.js';
import type { CommandState, Envelope, EnvelopeRecipient, ServerState } from './server-state.js';
import { sessionPhaseOf, transactionOf } from './server-state.js';
import { resolveSessionConfig, type SessionConfig } from './session-config.js';
import type { AskHook, CloseReason, SessionEvent } from './session-events.js';
import type { ServerSessionOptions, TlsInfo } from './session-options.js';
import { MESSAGE_ABANDONED } from './session-replies.js';
import { nextState, TRIGGERS, type Trigger } from './transitions.js';

/** A hook the session waits for before reading further commands. */
export type Pending =
  | { readonly kind: 'connect'; readonly id: number }
  | { readonly kind: 'helo'; readonly id: number; readonly verb: Greeting; readonly name: string }
  | { readonly kind: 'mail'; readonly id: number; readonly tx: Envelope }
  | {
      readonly kind: 'rcpt';
      readonly id: number;
      readonly tx: Envelope;
      readonly recipient: EnvelopeRecipient;
    }
  | { readonly kind: 'reply'; readonly id: number; readonly fallback: Reply }
  | {
      readonly kind: 'auth-verify';
      readonly id: number;
      readonly mechanism: SaslServerMechanism;
      /** The authorization identity the client asked for, when it is not its own (RFC 4616 §2). */
      readonly authzid: string | undefined;
    }
  | { readonly kind: 'auth-lookup'; readonly id: number; readonly mechanism: SaslServerMechanism }
  | { readonly kind: 'data-final'; readonly id: number; readonly tx: Envelope };

type MutableContext = { -readonly [K in keyof SessionContext]: SessionContext[K] };

/** What the connection tells a new session about itself. */
export interface SessionConnectionFacts {
  readonly tls?: TlsInfo | undefined;
  readonly remoteAddress?: string | undefined;
  readonly observe?: boolean;
}

const UNSTARTED: ServerState = Object.freeze({ phase: 'unstarted' });

/** No event yet in the call being answered (never handed out: {@link SessionCore.events}). */
const NO_EVENTS: SessionEvent[] = Object.freeze([]) as unknown as SessionEvent[];

/**
 * The insides of one {@link ServerSession}: its state and the facts that go with it, the events
 * it has produced, and the small helpers every part of the session uses (write a reply, ask a
 * hook, count an error, close). The state, the session facts (greeting, user, TLS, a forwarded
 * client) and the extension context change only in {@link SessionCore.fire}, by a lookup in the
 * transition table. Internal: applications use `ServerSession`.
 */
export class SessionCore {
  readonly config: SessionConfig;
  readonly lines: LineReader;
  readonly observe: boolean;
  /**
   * The events of the call being answered: {@link NO_EVENTS} until the first, then an array made
   * for it (most calls give one event: a one-slot array, where `[]` grows to 16 on its first push).
   */
  out: SessionEvent[] = NO_EVENTS;
  /** Commands read, protocol errors and unknown commands so far (the limits count them). */
  commands = 0;
  errors = 0;
  unknown = 0;
  /** A graceful shutdown was asked: close once the transaction in progress ended. */
  draining = false;
  /** The peer sent FIN: close once what it sent before is answered. */
  inputEnded = false;
  /** The user an `auth` verifier granted during the exchange in progress. */
  granted: string | undefined;

  #state: ServerState = UNSTARTED;
  #pending: Pending | undefined;
  #nextId = 1;
  #ctx: MutableContext;
  #enhanced = false;
  #mailLineLimit = 512;
  #rcptLineLimit = 512;
  #heloName: string | undefined;
  #user: string | undefined;
  #tlsInfo: TlsInfo | undefined;
  #client: ForwardedClient | undefined;
  readonly #peerAddress: string | undefined;

  constructor(options: ServerSessionOptions, connection: SessionConnectionFacts = {}) {
    this.config = resolveSessionConfig(options);
    this.#tlsInfo = connection.tls ?? options.tls;
    this.#peerAddress = connection.remoteAddress ?? options.remoteAddress;
    this.observe = connection.observe ?? options.observe ?? false;
    const bare = this.config.policy.bareLineEndings === 'normalize' ? 'accept' : 'reject';
    this.lines = new LineReader({ maxLineLength: 512, bareLf: bare, bareCr: bare });
    this.#ctx = this.#newContext(undefined);
  }

  get state(): ServerState {
    return this.#state;
  }
  get pending(): Pending | undefined {
    return this.#pending;
  }
  get ctx(): SessionContext {
    return this.#ctx;
  }
  get heloName(): string | undefined {
    return this.#heloName;
  }
  get user(): string | undefined {
    return this.#user;
  }
  get tlsInfo(): TlsInfo | undefined {
    return this.#tlsInfo;
  }
  get client(): ForwardedClient | undefined {
    return this.#client;
  }

  /**
   * THE state change: the transition table gives the next state; the session facts and the
   * extension context follow from the trigger. Every other part of the session fires triggers.
   */
  fire(trigger: Trigger): void {
    const greeted = trigger.type === 'greeting' || this.#ctx.greeting !== undefined;
    this.#state = nextState(this.#state, trigger, greeted);
    switch (trigger.type) {
      // 'banner' changes only the phase: the context made with the session stays (what
      // extensions advertise depends on the greeting, TLS, AUTH and the client, not the phase).
      case 'greeting':
        // RFC 5321 §4.1.4: a new greeting resets the session as RSET would.
        this.#heloName = trigger.name;
        this.#ctx = this.#newContext(trigger.greeting);
        return;
      case 'auth':
        // RFC 4954 §4: responses up to 12288 octets (the SASL module refuses longer ones).
        this.lines.maxLineLength = SASL_MAX_RESPONSE_LENGTH + 3;
        this.granted = undefined;
        return;
      case 'auth-end':
        if (trigger.user !== undefined) {
          this.#user = trigger.user;
          this.#ctx = this.#newContext(this.#ctx.greeting);
        } else {
          this.lines.maxLineLength = Math.max(this.#mailLineLimit, this.#rcptLineLimit);
        }
        this.granted = undefined;
        return;
      case 'tls':
        // RFC 3207 §4.2: "The server MUST discard any knowledge obtained from the client".
        this.#tlsInfo = trigger.info;
        this.#heloName = undefined;
        this.#user = undefined;
        this.#ctx = this.#newContext(undefined);
        return;
      case 'restart':
        this.#client = trigger.client;
        this.#heloName = trigger.client.heloName;
        this.#user = trigger.client.user;
        this.#ctx = this.#newContext(undefined);
        return;
      default: {
        const ctx = this.#ctx;
        const s = this.#state;
        ctx.phase = sessionPhaseOf(s);
        const tx = transactionOf(s);
        if (tx !== undefined) {
          ctx.mailParams = tx.mailParams;
          ctx.recipients = tx.recipients.length;
        } else {
          ctx.mailParams = undefined;
          ctx.recipients = 0;
        }
      }
    }
  }

  /**
   * Asks the application's hook `hook`; the session reads nothing more until it decides.
   * `pending` is a literal the caller made for this ask (its `id` placeholder is set here).
   */
  ask(pending: Pending, hook: AskHook, payload: unknown): void {
    const id = this.#nextId++;
    (pending as { id: number }).id = id;
    this.#pending = pending;
    this.emit({ type: 'ask', id, hook, payload });
  }

  /** An ask whose answer is not waited for (the data hook runs while the body streams). */
  askAlongside(hook: AskHook, payload: unknown): number {
    const id = this.#nextId++;
    this.emit({ type: 'ask', id, hook, payload });
    return id;
  }

  /** Waits for the answer of an ask made alongside (the data hook, once the body ended). */
  await(pending: Pending): void {
    this.#pending = pending;
  }

  /** The pending ask answered by `id`, taken; `undefined` for a stale or unknown id. */
  takePending(id: number): Pending | undefined {
    const p = this.#pending;
    if (p === undefined || p.id !== id || this.#state.phase === 'closed') return undefined;
    this.#pending = undefined;
    return p;
  }

  /** A call into the session starts: no event yet. */
  beginCall(): void {
    this.out = NO_EVENTS;
  }

  /** Adds an event to the answer of the call. */
  emit(event: SessionEvent): void {
    if (this.out === NO_EVENTS) this.out = [event];
    else this.out.push(event);
  }

  /** The events of the call, a new array (empty when there are none). */
  events(): SessionEvent[] {
    const out = this.out;
    this.out = NO_EVENTS;
    return out === NO_EVENTS ? [] : out;
  }

  write(reply: Reply): void {
    this.emit(writeEvent(reply, this.#enhanced));
  }

  /** A protocol error: counted against `limits.errors` (or `unknownCommands`), then 421. */
  error(reply: Reply, kind: 'error' | 'unknown' = 'error'): void {
    const { limits } = this.config;
    if (
      kind === 'unknown' ? ++this.unknown > limits.unknownCommands : ++this.errors > limits.errors
    ) {
      this.write(replies.R421_4_7_0_TooManyErrors);
      this.close(kind === 'unknown' ? 'too-many-unknown-commands' : 'too-many-errors');
      return;
    }
    this.write(reply);
  }

  log(
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    data?: Record<string, unknown>,
  ): void {
    this.emit(
      data === undefined ? { type: 'log', level, message } : { type: 'log', level, message, data },
    );
  }

  close(reason: CloseReason, abandoned: Reply = MESSAGE_ABANDONED): void {
    if (this.#state.phase === 'closed') return;
    // A message still open (between BDAT chunks, or mid-body) ends with the session: its hook
    // must not wait.
    this.abortBody(abandoned);
    this.fire(TRIGGERS.close);
    this.#pending = undefined;
    this.emit({ type: 'close', reason });
  }

  /** Tells the data hook of an unfinished message that it will never end (`body-abort`). */
  abortBody(reply: Reply): void {
    const s = this.#state;
    if (
      (s.phase === 'data' || s.phase === 'bdat') &&
      s.body.askId !== undefined &&
      !s.body.aborted
    ) {
      s.body.aborted = true;
      this.emit({ type: 'body-abort', id: s.body.askId, reply });
    }
  }

  /**
   * Graceful shutdown: an idle session gets 421 4.3.2 and closes; one in a transaction goes on
   * and closes once it is idle again (checked before each command is read).
   */
  drainIfIdle(): void {
    const s = this.#state;
    if (s.phase === 'closed') return;
    const idle =
      this.#pending === undefined &&
      (s.phase === 'connected' || s.phase === 'greeted' || s.phase === 'unstarted');
    if (s.phase === 'tls-handshake') {
      this.close('shutdown');
    } else if (idle || s.phase === 'auth' || s.phase === 'connecting') {
      this.write(replies.R421_4_3_2_ShuttingDown);
      this.close('shutdown');
    }
  }

  /**
   * After the peer's FIN, closes once nothing is left to do: the buffered commands were read and
   * no hook is pending. RFC 9293 §3.6: a FIN says the client sends nothing more; what it sent
   * before still gets its replies (RFC 5321 §4.1.1.10: QUIT gets its 221).
   */
  closeIfInputEnded(): void {
    if (!this.inputEnded || this.#pending !== undefined || this.#state.phase === 'closed') return;
    this.close('peer-closed', replies.R421_4_4_2_BadConnection);
  }

  /** The command state the session is in, or `undefined` outside one. */
  commandState(): CommandState | undefined {
    const s = this.#state;
    switch (s.phase) {
      case 'connected':
      case 'greeted':
      case 'mail':
      case 'rcpt':
        return s;
      case 'bdat':
        return s.reader === undefined ? s : undefined;
      default:
        return undefined;
    }
  }

  /**
   * A new context object whenever what extensions advertise may change (greeting, TLS, AUTH, a
   * forwarded client): the registry caches the extensions in effect per context object.
   */
  #newContext(greeting: Greeting | undefined): MutableContext {
    const ctx: MutableContext = {
      phase: sessionPhaseOf(this.#state),
      greeting,
      lmtp: this.config.lmtp,
      tls: this.#tlsInfo !== undefined,
      authenticated: this.#user !== undefined,
      limits: this.config.sessionLimits as SessionLimits,
      mailParams: undefined,
      recipients: 0,
      peerAddress: this.#peerAddress,
    };
    const { registry } = this.config;
    this.#enhanced = registry.enhancedStatusCodes(ctx);
    // Fixed for as long as this context is the session's: the registry derives them from the
    // extensions in effect, which it keeps per context object.
    this.#mailLineLimit = registry.commandLineLimit('MAIL', ctx);
    this.#rcptLineLimit = registry.commandLineLimit('RCPT', ctx);
    this.lines.maxLineLength = Math.max(this.#mailLineLimit, this.#rcptLineLimit);
    return ctx;
  }

  /**
   * RFC 5321 §4.5.3.1.4: 512 octets per command line, CRLF included; MAIL and RCPT get what the
   * parameters in effect add (RFC 1869 §4.1.2).
   */
  lineLimit(verb: string): number {
    if (verb === 'MAIL') return this.#mailLineLimit;
    if (verb === 'RCPT') return this.#rcptLineLimit;
    return this.#ctx.limits.commandLine;
  }
}
