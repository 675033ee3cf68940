import { requiresSmtpUtf8 } from '@smtpkit/address';
import type { Greeting, SessionContext, SessionLimits } from '@smtpkit/extensions';
import { isReply, type Reply, replies } from '@smtpkit/reply';
import {
  BdatReader,
  type Command,
  DataDecoder,
  type EsmtpParameter,
  type LineEvent,
  LineReader,
  parseCommand,
  WireError,
  wireReplies,
} from '@smtpkit/wire';
import { handleXclient, type XclientAttributes } from '../proxy/xclient.js';
import type { SaslCredentials } from '../sasl/sasl-credentials.js';
import {
  SASL_MAX_RESPONSE_LENGTH,
  type SaslServerMechanism,
  type SaslStep,
  type ScramStoredSecrets,
} from '../sasl/sasl-mechanism.js';
import { saslChallengeReply, saslReplies } from '../sasl/sasl-replies.js';
import { replyBytes } from './reply-bytes.js';
import {
  type BodyProgress,
  type CommandState,
  type Envelope,
  type EnvelopeRecipient,
  type ServerState,
  sessionPhaseOf,
} from './server-state.js';
import { ServerSessionError } from './server-session-error.js';
import { ehloReply, resolveSessionConfig, type SessionConfig } from './session-config.js';
import type { AskHook, CloseReason, Decision, SessionEvent } from './session-events.js';
import type { ServerSessionOptions, TlsInfo } from './session-options.js';
import { type CoreVerb, transition } from './transitions.js';

/** A hook the session waits for before reading further commands. */
type Pending =
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
  | { readonly kind: 'auth-verify'; readonly id: number; readonly mechanism: SaslServerMechanism }
  | { readonly kind: 'auth-lookup'; readonly id: number; readonly mechanism: SaslServerMechanism }
  | { readonly kind: 'data-final'; readonly id: number; readonly tx: Envelope };

type MutableContext = {
  -readonly [K in keyof SessionContext]: SessionContext[K];
};

// RFC 7230 §3.1.1 request methods: an HTTP client talking to the SMTP port (cross-protocol
// attacks, probes). nodemailer's smtp-server closes on these; so do we, without a reply.
const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'PATCH',
  'TRACE',
]);

const CORE_VERBS: ReadonlySet<string> = new Set<CoreVerb>([
  'HELO',
  'EHLO',
  'LHLO',
  'MAIL',
  'RCPT',
  'DATA',
  'RSET',
  'QUIT',
  'NOOP',
  'HELP',
  'VRFY',
  'EXPN',
]);

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
  readonly #config: SessionConfig;
  #state: ServerState = { phase: 'unstarted' };
  #pending: Pending | undefined;
  readonly #lines: LineReader;
  #ctx: MutableContext;
  #enhanced = false;
  #out: SessionEvent[] = [];
  #nextId = 1;
  #commands = 0;
  #errors = 0;
  #unknown = 0;
  #draining = false;
  #tlsInfo: TlsInfo | undefined;
  #heloName: string | undefined;
  #user: string | undefined;
  #authUser: string | undefined;
  #xclient: XclientAttributes | undefined;
  readonly #remoteAddress: string | undefined;
  readonly #observe: boolean;
  readonly #xclientAllowed: boolean;

  constructor(
    options: ServerSessionOptions,
    connection: {
      readonly tls?: TlsInfo | undefined;
      readonly remoteAddress?: string | undefined;
      readonly observe?: boolean;
    } = {},
  ) {
    this.#config = resolveSessionConfig(options);
    this.#tlsInfo = connection.tls ?? options.tls;
    this.#remoteAddress = connection.remoteAddress ?? options.remoteAddress;
    this.#observe = connection.observe ?? options.observe ?? false;
    const xc = this.#config.xclient;
    this.#xclientAllowed =
      xc !== undefined && this.#remoteAddress !== undefined && xc.allows(this.#remoteAddress);
    const bare = this.#config.policy.bareLineEndings === 'normalize' ? 'accept' : 'reject';
    this.#lines = new LineReader({ maxLineLength: 512, bareLf: bare, bareCr: bare });
    this.#ctx = this.#newContext(undefined, false);
  }

  // ---- facts for hook contexts ----

  /** The current state (read-only view). */
  get state(): ServerState {
    return this.#state;
  }
  /** HELO/EHLO/LHLO as given, or `undefined`. */
  get greeting(): Greeting | undefined {
    return this.#ctx.greeting;
  }
  /** The client's HELO/EHLO/LHLO argument (A-labels or the address literal as written). */
  get heloName(): string | undefined {
    return this.#heloName;
  }
  /** TLS facts when TLS is in effect. */
  get tlsInfo(): TlsInfo | undefined {
    return this.#tlsInfo;
  }
  /** The authenticated user after AUTH. */
  get user(): string | undefined {
    return this.#user;
  }
  /** XCLIENT attributes accepted on this connection. */
  get xclient(): XclientAttributes | undefined {
    return this.#xclient;
  }
  /** The open transaction, if any. */
  get envelope(): Envelope | undefined {
    const s = this.#state;
    if ('tx' in s) return s.tx;
    if (this.#pending?.kind === 'data-final') return this.#pending.tx;
    if (this.#pending?.kind === 'mail') return this.#pending.tx;
    return undefined;
  }
  /** Bytes received and not yet processed. */
  get bufferedLength(): number {
    return this.#lines.bufferedLength;
  }
  /** More than `limits.maxPendingBytes` are buffered: stop reading until the next `decide`. */
  get wantsPause(): boolean {
    return this.#lines.bufferedLength > this.#config.limits.maxPendingBytes;
  }
  /** The session is closed. */
  get closed(): boolean {
    return this.#state.phase === 'closed';
  }
  /** The extension context the registry sees (for extension hooks). */
  get context(): SessionContext {
    return this.#ctx;
  }

  // ---- inputs ----

  /** Starts the session: the banner, or an `ask` for the `connect` hook. */
  start(): SessionEvent[] {
    this.#out = [];
    if (this.#state.phase === 'closed') return this.#out;
    if (this.#state.phase !== 'unstarted') {
      throw new ServerSessionError('ERR_SESSION_STATE', 'start() called twice');
    }
    if (this.#config.hooks.has('connect')) {
      this.#state = { phase: 'connecting' };
      this.#ask({ kind: 'connect', id: 0 }, 'connect', undefined);
    } else {
      this.#banner();
    }
    return this.#out;
  }

  /** Bytes from the client. Never throws for what the client sends. */
  receive(bytes: Uint8Array): SessionEvent[] {
    this.#out = [];
    const s = this.#state;
    switch (s.phase) {
      case 'closed':
      case 'tls-handshake':
        // RFC 3207 §4.2: nothing read on the plaintext side after STARTTLS counts.
        return this.#out;
      case 'unstarted':
      case 'connecting':
        if (this.#config.policy.earlyTalkers === 'reject' && bytes.length > 0) {
          this.#write(replies.R554_5_5_0_EarlyTalker);
          this.#close('early-talker');
          return this.#out;
        }
        this.#lines.push(bytes);
        return this.#out;
      case 'data':
        // The hot path: body bytes straight to the decoder, no copy.
        if (this.#lines.bufferedLength === 0) {
          if (this.#feedData(s, bytes)) this.#pump();
          return this.#out;
        }
        break;
      case 'bdat':
        if (s.reader !== undefined && this.#lines.bufferedLength === 0) {
          if (this.#feedChunk(s, bytes)) this.#pump();
          return this.#out;
        }
        break;
    }
    this.#lines.push(bytes);
    this.#pump();
    return this.#out;
  }

  /** The answer of the hook asked with `id`. Stale or unknown ids are ignored. */
  decide(id: number, decision: Decision): SessionEvent[] {
    this.#out = [];
    const s = this.#state;
    if ((s.phase === 'data' || s.phase === 'bdat') && s.body.askId === id) {
      // The data hook finished before the end of the body: keep its answer for then.
      if (s.body.decision === undefined) s.body.decision = decision;
      return this.#out;
    }
    const p = this.#pending;
    if (p === undefined || p.id !== id || s.phase === 'closed') return this.#out;
    this.#pending = undefined;
    this.#decided(p, decision);
    this.#pump();
    return this.#out;
  }

  /** The TLS handshake finished (after `starttls`). RFC 3207 §4.2: the client starts over. */
  tlsEstablished(info: TlsInfo): SessionEvent[] {
    this.#out = [];
    if (this.#state.phase !== 'tls-handshake') {
      throw new ServerSessionError('ERR_SESSION_STATE', 'tlsEstablished() without STARTTLS');
    }
    this.#tlsInfo = info;
    this.#heloName = undefined;
    this.#user = undefined;
    this.#state = { phase: 'connected' };
    this.#ctx = this.#newContext(undefined, false);
    this.#pump();
    return this.#out;
  }

  /** Which RFC 5321 §4.5.3.2 timeout applies now, in ms (`undefined`: none). */
  timeoutFor(): number | undefined {
    const t = this.#config.limits.timeouts;
    if (this.#pending !== undefined) {
      return this.#pending.kind === 'data-final' ? t.dataTermination : t.command;
    }
    const s = this.#state;
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
    this.#out = [];
    if (this.#state.phase === 'closed') return this.#out;
    this.#abortBody(replies.R421_4_4_2_Timeout);
    if (this.#state.phase !== 'tls-handshake') this.#write(replies.R421_4_4_2_Timeout);
    this.#close('timeout');
    return this.#out;
  }

  /**
   * Graceful shutdown: an idle session gets 421 4.3.2 and closes now; one in a transaction
   * finishes it and gets the 421 after the transaction's last reply.
   */
  shutdown(): SessionEvent[] {
    this.#out = [];
    this.#draining = true;
    this.#drainIfIdle();
    return this.#out;
  }

  /** The peer closed the connection. */
  end(): SessionEvent[] {
    this.#out = [];
    if (this.#state.phase === 'closed') return this.#out;
    this.#abortBody(replies.R421_4_4_2_BadConnection);
    this.#close('peer-closed');
    return this.#out;
  }

  // ---- the loop ----

  #pump(): void {
    for (;;) {
      if (this.#draining) this.#drainIfIdle();
      const s = this.#state;
      switch (s.phase) {
        case 'data': {
          const rest = this.#lines.takeRest();
          if (rest.length === 0 || !this.#feedData(s, rest)) return;
          break;
        }
        case 'skip': {
          const r = s.reader.push(this.#lines.takeRest());
          if (!r.done) return;
          this.#state = s.resume;
          if (r.rest !== undefined && r.rest.length > 0) this.#lines.push(r.rest);
          break;
        }
        case 'auth': {
          if (this.#pending !== undefined) return;
          const e = this.#lines.next();
          if (e.type === 'need-data') return;
          this.#authLine(s.mechanism, e);
          break;
        }
        case 'bdat':
          if (s.reader !== undefined) {
            const rest = this.#lines.takeRest();
            if (rest.length === 0 && s.reader.remaining > 0) return;
            if (!this.#feedChunk(s, rest)) return;
          } else if (!this.#readCommand()) {
            return;
          }
          break;
        case 'connected':
        case 'greeted':
        case 'mail':
        case 'rcpt':
          if (!this.#readCommand()) return;
          break;
        default:
          return;
      }
    }
  }

  /** Reads and handles one command line; false when there is none to read now. */
  #readCommand(): boolean {
    if (this.#pending !== undefined) return false;
    const e = this.#lines.next();
    if (e.type === 'need-data') return false;
    this.#commandLine(e);
    return true;
  }

  #commandLine(e: Exclude<LineEvent, { type: 'need-data' }>): void {
    if (e.type === 'invalid') {
      this.#error(
        e.fault === 'too-long'
          ? replies.R500_5_5_2_LineTooLong
          : e.fault === 'bare-lf'
            ? wireReplies.R500_5_5_2_BareLf
            : wireReplies.R500_5_5_2_BareCr,
      );
      return;
    }
    let line: string;
    try {
      line = utf8.decode(e.bytes);
    } catch {
      this.#error(wireReplies.R500_5_5_2_InvalidUtf8);
      return;
    }
    this.#commands++;
    const space = line.indexOf(' ');
    const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    if (this.#observe) {
      this.#out.push({ type: 'command', verb, phase: this.#state.phase });
    }
    const { registry } = this.#config;
    if (!CORE_VERBS.has(verb) && registry.hasVerb(verb)) {
      this.#extensionVerb(verb, space === -1 ? undefined : argumentOf(line, space));
      return;
    }
    if (this.#commands === 1 && HTTP_METHODS.has(verb)) {
      this.#log('warn', 'HTTP request on the SMTP port', { verb });
      this.#close('http-probe');
      return;
    }
    // RFC 5321 §4.5.3.1.4: 512 octets per command line; MAIL and RCPT get what the parameters
    // in effect add (RFC 1869 §4.1.2).
    const limit =
      verb === 'MAIL' || verb === 'RCPT'
        ? registry.commandLineLimit(verb, this.#ctx)
        : this.#ctx.limits.commandLine;
    if (e.bytes.length + 2 > limit) {
      this.#error(replies.R500_5_5_2_LineTooLong);
      return;
    }
    let command: Command;
    try {
      command = parseCommand(line, {
        smtputf8: true,
        spaceAfterColon: this.#config.policy.spaceAfterColon,
      });
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      this.#error(error.reply ?? replies.R500_5_5_2_SyntaxError);
      return;
    }
    if (command.verb === 'UNKNOWN') {
      if (command.name.toUpperCase() === 'XCLIENT' && this.#config.xclient !== undefined) {
        this.#xclientCommand(command.argument);
        return;
      }
      this.#error(replies.R500_5_5_1_CommandUnrecognized, 'unknown');
      return;
    }
    this.#coreCommand(command);
  }

  #coreCommand(command: Exclude<Command, { verb: 'UNKNOWN' }>): void {
    const verb = command.verb as CoreVerb;
    if (!CORE_VERBS.has(verb)) {
      // An extension verb whose extension is not registered (STARTTLS, AUTH, BDAT, ETRN).
      this.#error(replies.R502_5_5_1_CommandNotImplemented);
      return;
    }
    const s = this.#state as CommandState;
    const t = transition(verb, s.phase, this.#config.lmtp);
    if (t.kind === 'refuse') {
      this.#error(t.reply);
      return;
    }
    if (verb !== 'QUIT' && verb !== 'RSET') {
      const refused = this.#config.registry.guard(verb, this.#ctx);
      if (refused !== undefined) {
        this.#error(refused);
        return;
      }
    }
    switch (command.verb) {
      case 'HELO':
      case 'EHLO':
      case 'LHLO': {
        const d = command.domain;
        const name = d.kind === 'domain' ? d.ascii : d.text;
        const greeting = command.verb.toLowerCase() as Greeting;
        this.#setState(this.#state.phase === 'connected' ? { phase: 'connected' } : this.#idle());
        if (this.#config.hooks.has('helo')) {
          this.#ask({ kind: 'helo', id: 0, verb: greeting, name }, 'helo', {
            domain: name,
            verb: command.verb,
          });
        } else {
          this.#greet(greeting, name, undefined);
        }
        return;
      }
      case 'MAIL':
        this.#mail(command.reversePath, command.params);
        return;
      case 'RCPT':
        this.#rcpt(s as Extract<CommandState, { tx: Envelope }>, command);
        return;
      case 'DATA':
        this.#data((s as Extract<CommandState, { phase: 'rcpt' }>).tx);
        return;
      case 'RSET':
        this.#setState(s.phase === 'connected' ? { phase: 'connected' } : this.#idle());
        this.#write(replies.R250_2_0_0_Ok);
        return;
      case 'QUIT':
        this.#write(replies.R221_2_0_0_ServiceClosing);
        this.#close('quit');
        return;
      case 'NOOP':
        this.#write(replies.R250_2_0_0_Ok);
        return;
      case 'HELP':
        this.#write(replies.R214_2_0_0_Help);
        return;
      case 'VRFY': {
        const policy = this.#config.policy.vrfy;
        // RFC 5321 §3.5.3: 252 when the server will not verify but will accept the message.
        if (policy === 'hook' && this.#config.hooks.has('vrfy')) {
          this.#ask({ kind: 'reply', id: 0, fallback: replies.R252_2_0_0_CannotVerify }, 'vrfy', {
            argument: command.argument,
          });
        } else if (policy === 'disabled') {
          this.#write(replies.R502_5_5_1_CommandNotImplemented);
        } else {
          this.#write(replies.R252_2_0_0_CannotVerify);
        }
        return;
      }
      case 'EXPN':
        if (this.#config.policy.expn === 'hook' && this.#config.hooks.has('expn')) {
          this.#ask(
            { kind: 'reply', id: 0, fallback: replies.R502_5_5_1_CommandNotImplemented },
            'expn',
            { argument: command.argument },
          );
        } else {
          this.#write(replies.R502_5_5_1_CommandNotImplemented);
        }
        return;
    }
  }

  #greet(greeting: Greeting, name: string, reply: Reply | undefined): void {
    this.#heloName = name;
    this.#state = { phase: 'greeted' };
    this.#ctx = this.#newContext(greeting, this.#user !== undefined);
    if (reply !== undefined) {
      this.#write(reply);
    } else if (greeting === 'helo') {
      this.#write(this.#config.heloReply);
    } else {
      const lines = this.#config.registry.advertise(this.#ctx);
      this.#write(
        ehloReply(
          this.#config,
          this.#xclientAllowed
            ? [...lines, 'XCLIENT NAME ADDR PORT PROTO HELO LOGIN DESTADDR DESTPORT']
            : lines,
        ),
      );
    }
  }

  // RFC 5321 §4.1.1.2: "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
  #mail(reversePath: Envelope['reversePath'], raw: readonly EsmtpParameter[]): void {
    const { registry, maxMessageSize } = this.#config;
    const params = registry.parseMailParams(raw, this.#ctx);
    if (!params.ok) {
      this.#error(params.reply);
      return;
    }
    const effects = registry.transactionEffects(params.value);
    // RFC 1870 §6.1: a declared size over the server's fixed maximum gets 552.
    if (
      maxMessageSize !== undefined &&
      effects.declaredSize !== undefined &&
      effects.declaredSize > maxMessageSize
    ) {
      this.#write(replies.R552_5_3_4_MessageTooBig);
      return;
    }
    // RFC 6531 §3.5: a non-ASCII address without the SMTPUTF8 parameter is refused (553 5.6.7).
    if (
      reversePath.kind === 'mailbox' &&
      !effects.smtputf8 &&
      requiresSmtpUtf8(reversePath.mailbox)
    ) {
      this.#write(replies.R553_5_6_7_Utf8AddressNotPermitted);
      return;
    }
    const tx: Envelope = {
      reversePath,
      mailParams: params.value,
      rawMailParams: raw,
      recipients: [],
      effects,
    };
    if (this.#config.hooks.has('mail')) {
      this.#ask({ kind: 'mail', id: 0, tx }, 'mail', { reversePath, params: params.value });
    } else {
      this.#setState({ phase: 'mail', tx });
      this.#write(replies.R250_2_1_0_SenderOk);
    }
  }

  // RFC 5321 §4.1.1.3: "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters] CRLF
  #rcpt(
    s: Extract<CommandState, { tx: Envelope }>,
    command: Extract<Command, { verb: 'RCPT' }>,
  ): void {
    const { tx } = s;
    // RFC 5321 §4.5.3.1.10: too many recipients → 452 (4.5.3).
    if (tx.recipients.length >= this.#config.limits.recipients) {
      this.#write(replies.R452_4_5_3_TooManyRecipients);
      return;
    }
    const params = this.#config.registry.parseRcptParams(command.params, this.#ctx);
    if (!params.ok) {
      this.#error(params.reply);
      return;
    }
    const path = command.forwardPath;
    if (path.kind === 'mailbox' && !tx.effects.smtputf8 && requiresSmtpUtf8(path.mailbox)) {
      this.#write(replies.R553_5_6_7_Utf8AddressNotPermitted);
      return;
    }
    const recipient: EnvelopeRecipient = {
      forwardPath: path,
      params: params.value,
      rawParams: command.params,
    };
    if (this.#config.hooks.has('rcpt')) {
      this.#ask({ kind: 'rcpt', id: 0, tx, recipient }, 'rcpt', {
        forwardPath: path,
        params: params.value,
      });
    } else {
      this.#acceptRecipient(tx, recipient, replies.R250_2_1_5_RecipientOk);
    }
  }

  #acceptRecipient(tx: Envelope, recipient: EnvelopeRecipient, reply: Reply): void {
    tx.recipients.push(recipient);
    this.#setState({ phase: 'rcpt', tx });
    this.#write(reply);
  }

  // RFC 5321 §4.1.1.4: 354, then the mail data up to CRLF.CRLF.
  #data(tx: Envelope): void {
    const decoder = new DataDecoder({ bareLineEndings: this.#config.policy.bareLineEndings });
    this.#write(replies.R354_StartMailInput);
    const body = this.#openBody(tx, 'DATA');
    this.#setState({ phase: 'data', tx, decoder, body });
  }

  #openBody(tx: Envelope, via: 'DATA' | 'BDAT'): BodyProgress {
    const body: BodyProgress = {
      askId: undefined,
      size: 0,
      failure: undefined,
      aborted: false,
      decision: undefined,
    };
    if (this.#config.hooks.has('data')) {
      body.askId = this.#nextId++;
      this.#out.push({ type: 'ask', id: body.askId, hook: 'data', payload: { envelope: tx, via } });
    }
    return body;
  }

  /** Feeds DATA bytes; true when the message ended (the state moved on). */
  #feedData(s: Extract<ServerState, { phase: 'data' }>, bytes: Uint8Array): boolean {
    const { decoder, body } = s;
    const r = decoder.push(bytes);
    if (body.failure === undefined) {
      const max = this.#config.maxMessageSize;
      // RFC 1870 §6.3: a message over the limit is refused with 552 (enforced while receiving).
      if (max !== undefined && decoder.bodyLength > max) {
        this.#fail(body, replies.R552_5_3_4_MessageTooBig);
      } else if (decoder.error !== undefined) {
        // Bare LF / bare CR (SMTP smuggling) or over-long lines: the message is refused and the
        // application never sees the rest of it.
        this.#fail(body, decoder.error.reply ?? replies.R554_5_6_0_BareLineFeed);
      } else if (body.askId !== undefined) {
        for (const chunk of r.chunks) {
          this.#out.push({ type: 'body', id: body.askId, chunk });
        }
      }
    }
    if (!r.done) return false;
    body.size = decoder.bodyLength;
    this.#endBody(s.tx, body);
    if (r.rest !== undefined && r.rest.length > 0) this.#lines.push(r.rest);
    return true;
  }

  #bdat(size: number, last: boolean): void {
    const s = this.#state;
    const reader = new BdatReader(size);
    if (s.phase === 'bdat') {
      s.reader = reader;
      s.last = last;
    } else if (s.phase === 'rcpt') {
      const body = this.#openBody(s.tx, 'BDAT');
      this.#setState({ phase: 'bdat', tx: s.tx, body, reader, last });
    }
  }

  /** Feeds BDAT chunk octets; true when the chunk is complete (the state moved on). */
  #feedChunk(s: Extract<ServerState, { phase: 'bdat' }>, bytes: Uint8Array): boolean {
    const reader = s.reader as BdatReader;
    const r = reader.push(bytes);
    const { body } = s;
    body.size += r.chunk.length;
    if (body.failure === undefined) {
      const max = this.#config.maxMessageSize;
      if (max !== undefined && body.size > max) {
        this.#fail(body, replies.R552_5_3_4_MessageTooBig);
      } else if (body.askId !== undefined && r.chunk.length > 0) {
        this.#out.push({ type: 'body', id: body.askId, chunk: r.chunk });
      }
    }
    if (!r.done) return false;
    s.reader = undefined;
    if (body.failure !== undefined) {
      // RFC 3030 §2: after a failed chunk the transaction is over; later BDATs get 503.
      this.#endBody(s.tx, body);
    } else if (!s.last) {
      this.#write(replies.R250_2_0_0_ChunkAccepted);
    } else {
      this.#endBody(s.tx, body);
    }
    if (r.rest !== undefined && r.rest.length > 0) this.#lines.push(r.rest);
    return true;
  }

  #fail(body: BodyProgress, reply: Reply): void {
    body.failure = reply;
    if (body.askId !== undefined && !body.aborted) {
      body.aborted = true;
      this.#out.push({ type: 'body-abort', id: body.askId, reply });
    }
  }

  /** The end of a message: its final reply now, or once the data hook decides. */
  #endBody(tx: Envelope, body: BodyProgress): void {
    this.#setState(this.#idle());
    if (body.failure !== undefined) {
      this.#finalReplies(tx, { kind: 'reply', reply: body.failure });
      return;
    }
    if (body.askId === undefined) {
      this.#finalReplies(tx, { kind: 'resolved' });
      return;
    }
    this.#out.push({ type: 'body-end', id: body.askId, size: body.size });
    if (body.decision !== undefined) {
      this.#finalReplies(tx, body.decision);
    } else {
      this.#pending = { kind: 'data-final', id: body.askId, tx };
    }
  }

  /**
   * RFC 5321 §4.1.1.4: the final reply comes after the data hook resolved. RFC 2033 §4.2: in
   * LMTP, one reply per accepted recipient, in RCPT order.
   */
  #finalReplies(tx: Envelope, decision: Decision): void {
    const n = this.#config.lmtp ? tx.recipients.length : 1;
    if (decision.kind === 'resolved' && Array.isArray(decision.value)) {
      const list = decision.value as readonly unknown[];
      for (let i = 0; i < n; i++) {
        const r = list[i] ?? list[list.length - 1];
        this.#write(isReply(r) ? r : replies.R250_2_0_0_MessageAccepted);
      }
    } else {
      const reply = this.#outcome('data', decision, replies.R250_2_0_0_MessageAccepted);
      for (let i = 0; i < n; i++) this.#write(reply);
    }
  }

  #extensionVerb(verb: string, argument: string | undefined): void {
    const r = this.#config.registry.dispatch(verb, argument, this.#ctx);
    if (r === undefined) return;
    switch (r.kind) {
      case 'reply':
        if (r.reply.code >= 400) this.#error(r.reply);
        else this.#write(r.reply);
        if (this.#state.phase === 'closed') return;
        if (r.close === true) {
          this.#close('protocol');
        } else if (r.discard !== undefined && r.discard > 0) {
          // RFC 3030 §2: a refused BDAT's octets still follow; read and drop them.
          this.#state = {
            phase: 'skip',
            reader: new BdatReader(r.discard),
            resume: this.#state as CommandState,
          };
        }
        return;
      case 'ask':
        if (this.#config.hooks.has(r.hook)) {
          this.#ask({ kind: 'reply', id: 0, fallback: replies.R250_2_0_0_Ok }, r.hook, r.payload);
        } else {
          this.#write(replies.R502_5_5_1_CommandNotImplemented);
        }
        return;
      case 'bdat':
        this.#bdat(r.size, r.last);
        return;
      case 'starttls':
        this.#write(r.reply);
        this.#startTls();
        return;
      case 'auth':
        this.#auth(r.mechanism, r.initialResponse);
        return;
    }
  }

  // RFC 3207 §4.2: "the server MUST discard any knowledge obtained from the client … [and] the
  // SMTP client … MUST discard" — and bytes pipelined after STARTTLS are thrown away unread.
  #startTls(): void {
    const dropped = this.#lines.discardRest();
    if (dropped > 0) {
      this.#log('warn', 'plaintext after STARTTLS discarded', { bytes: dropped });
    }
    this.#state = { phase: 'tls-handshake' };
    this.#out.push({ type: 'starttls' });
  }

  // RFC 4954 §4: AUTH mechanism [initial-response], then 334 challenges until 235 or an error.
  #auth(name: string, initialResponse: string | undefined): void {
    if (this.#tlsInfo === undefined && this.#config.policy.authWithoutTls === false) {
      this.#error(replies.R538_5_7_11_EncryptionRequiredForAuthMechanism);
      return;
    }
    const mechanism = this.#config.sasl?.(name);
    if (mechanism === undefined) {
      this.#error(replies.R504_5_5_4_UnrecognizedAuthType);
      return;
    }
    this.#state = { phase: 'auth', mechanism, resume: this.#state as CommandState };
    // RFC 4954 §4: responses up to 12288 octets (the SASL module refuses longer ones).
    this.#lines.maxLineLength = SASL_MAX_RESPONSE_LENGTH + 3;
    this.#authUser = undefined;
    this.#saslStep(mechanism, mechanism.start(initialResponse));
  }

  #authLine(mechanism: SaslServerMechanism, e: Exclude<LineEvent, { type: 'need-data' }>): void {
    if (e.type === 'invalid') {
      this.#saslStep(mechanism, {
        kind: 'failed',
        reply:
          e.fault === 'too-long'
            ? saslReplies.R500_5_5_6_AuthLineTooLong
            : saslReplies.R501_5_5_2_CannotDecodeResponse,
      });
      return;
    }
    this.#saslStep(mechanism, mechanism.next(latin1.decode(e.bytes)));
  }

  #saslStep(mechanism: SaslServerMechanism, step: SaslStep): void {
    switch (step.kind) {
      case 'challenge':
        this.#write(saslChallengeReply(step.data));
        return;
      case 'verify':
        if (this.#config.hooks.has('auth')) {
          this.#ask({ kind: 'auth-verify', id: 0, mechanism }, 'auth', {
            credentials: step.credentials,
          });
        } else {
          this.#saslStep(mechanism, mechanism.verified({ kind: 'reject' }));
        }
        return;
      case 'lookup':
        if (this.#config.hooks.has('auth-lookup')) {
          this.#ask({ kind: 'auth-lookup', id: 0, mechanism }, 'auth-lookup', {
            username: step.username,
            authorizationIdentity: step.authorizationIdentity,
          });
        } else {
          this.#saslStep(mechanism, mechanism.secrets(undefined));
        }
        return;
      case 'success': {
        const resume = this.#authResume();
        this.#user = this.#authUser ?? userOf(step.credentials);
        this.#state = resume;
        this.#ctx = this.#newContext(this.#ctx.greeting, true);
        this.#write(step.reply);
        return;
      }
      case 'failed':
      case 'cancelled':
        this.#state = this.#authResume();
        this.#lines.maxLineLength = this.#config.registry.maxCommandLine(this.#ctx);
        this.#error(step.reply);
        return;
    }
  }

  #authResume(): CommandState {
    const s = this.#state;
    return s.phase === 'auth' ? s.resume : { phase: 'greeted' };
  }

  // Postfix XCLIENT_README: attributes from an authorized proxy, then a new 220 greeting.
  #xclientCommand(argument: string | undefined): void {
    const phase = this.#state.phase;
    const outcome = handleXclient(argument ?? '', {
      remoteAddress: this.#xclientAllowed ? this.#remoteAddress : undefined,
      allowedPeers: this.#config.xclient ?? [],
      inTransaction: phase === 'mail' || phase === 'rcpt' || phase === 'bdat',
    });
    if (outcome.kind === 'refused') {
      this.#error(outcome.reply);
      return;
    }
    this.#xclient = outcome.attributes;
    const helo = outcome.attributes.helo;
    this.#heloName = helo?.kind === 'value' ? helo.value : undefined;
    const login = outcome.attributes.login;
    this.#user = login?.kind === 'value' ? login.value : undefined;
    this.#state = { phase: 'connected' };
    this.#ctx = this.#newContext(undefined, this.#user !== undefined);
    this.#write(this.#config.banner);
  }

  // ---- decisions ----

  #decided(p: Pending, decision: Decision): void {
    switch (p.kind) {
      case 'connect': {
        const reply = this.#outcome('connect', decision, this.#config.banner);
        if (reply.code >= 400) {
          this.#write(reply);
          this.#close('refused');
        } else {
          this.#banner(reply);
        }
        return;
      }
      case 'helo': {
        const reply = this.#outcome('helo', decision, undefined);
        if (reply !== undefined && reply.code >= 400) this.#write(reply);
        else this.#greet(p.verb, p.name, isReply(reply) ? reply : undefined);
        return;
      }
      case 'mail': {
        const reply = this.#outcome('mail', decision, replies.R250_2_1_0_SenderOk);
        if (reply.code < 400) this.#setState({ phase: 'mail', tx: p.tx });
        this.#write(reply);
        return;
      }
      case 'rcpt': {
        const reply = this.#outcome('rcpt', decision, replies.R250_2_1_5_RecipientOk);
        if (reply.code < 400) this.#acceptRecipient(p.tx, p.recipient, reply);
        else this.#write(reply);
        return;
      }
      case 'reply':
        this.#write(this.#outcome('hook', decision, p.fallback));
        return;
      case 'auth-verify': {
        let step: SaslStep;
        if (decision.kind === 'resolved') {
          const v = decision.value as boolean | { user?: string } | undefined;
          const ok = v === true || (typeof v === 'object' && v !== null);
          if (ok && typeof v === 'object' && typeof v.user === 'string') this.#authUser = v.user;
          step = p.mechanism.verified(ok ? { kind: 'accept' } : { kind: 'reject' });
        } else if (decision.kind === 'reply') {
          step = p.mechanism.verified(
            decision.reply.code < 500
              ? { kind: 'temporary', reply: decision.reply }
              : { kind: 'reject', reply: decision.reply },
          );
        } else {
          this.#log('error', 'auth verifier failed', { error: decision.error });
          step = p.mechanism.verified({ kind: 'temporary' });
        }
        this.#saslStep(p.mechanism, step);
        return;
      }
      case 'auth-lookup': {
        const stored =
          decision.kind === 'resolved'
            ? (decision.value as ScramStoredSecrets | undefined)
            : undefined;
        if (decision.kind === 'error') {
          this.#log('error', 'auth lookup failed', { error: decision.error });
        }
        this.#saslStep(p.mechanism, p.mechanism.secrets(stored ?? undefined));
        return;
      }
      case 'data-final':
        this.#finalReplies(p.tx, decision);
        return;
    }
  }

  /**
   * A hook's reply: the Reply it resolved with, the one it threw (ReplyException), or 451 4.3.0
   * with a log event for any other throw; `fallback` when it resolved without a reply.
   */
  #outcome<F extends Reply | undefined>(hook: string, decision: Decision, fallback: F): Reply | F {
    switch (decision.kind) {
      case 'resolved':
        return isReply(decision.value) ? decision.value : fallback;
      case 'reply':
        return decision.reply;
      case 'error':
        this.#log('error', `${hook} hook failed`, { hook, error: decision.error });
        return replies.R451_4_3_0_LocalError;
    }
  }

  // ---- helpers ----

  #banner(reply: Reply = this.#config.banner): void {
    this.#state = { phase: 'connected' };
    this.#ctx = this.#newContext(undefined, false);
    this.#write(reply);
    this.#pump();
  }

  #ask(pending: Pending, hook: AskHook, payload: unknown): void {
    const id = this.#nextId++;
    this.#pending = { ...pending, id } as Pending;
    this.#out.push({ type: 'ask', id, hook, payload });
  }

  #write(reply: Reply): void {
    this.#out.push({ type: 'write', bytes: replyBytes(reply, this.#enhanced), reply });
  }

  /** A protocol error: counted against `limits.errors` (or `unknownCommands`), then 421. */
  #error(reply: Reply, kind: 'error' | 'unknown' = 'error'): void {
    const { limits } = this.#config;
    if (
      kind === 'unknown' ? ++this.#unknown > limits.unknownCommands : ++this.#errors > limits.errors
    ) {
      this.#write(replies.R421_4_7_0_TooManyErrors);
      this.#close(kind === 'unknown' ? 'too-many-unknown-commands' : 'too-many-errors');
      return;
    }
    this.#write(reply);
  }

  #log(
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    data?: Record<string, unknown>,
  ): void {
    this.#out.push(
      data === undefined ? { type: 'log', level, message } : { type: 'log', level, message, data },
    );
  }

  #close(reason: CloseReason): void {
    this.#state = { phase: 'closed' };
    this.#pending = undefined;
    this.#out.push({ type: 'close', reason });
  }

  #abortBody(reply: Reply): void {
    const s = this.#state;
    if (
      (s.phase === 'data' || s.phase === 'bdat') &&
      s.body.askId !== undefined &&
      !s.body.aborted
    ) {
      s.body.aborted = true;
      this.#out.push({ type: 'body-abort', id: s.body.askId, reply });
    }
  }

  #drainIfIdle(): void {
    const s = this.#state;
    if (s.phase === 'closed') return;
    const idle =
      this.#pending === undefined &&
      (s.phase === 'connected' || s.phase === 'greeted' || s.phase === 'unstarted');
    if (s.phase === 'tls-handshake') {
      this.#close('shutdown');
    } else if (idle || s.phase === 'auth' || s.phase === 'connecting') {
      this.#write(replies.R421_4_3_2_ShuttingDown);
      this.#close('shutdown');
    }
  }

  /** `greeted` once a greeting was given, else `connected` (RSET before EHLO). */
  #idle(): CommandState {
    return this.#ctx.greeting === undefined ? { phase: 'connected' } : { phase: 'greeted' };
  }

  #setState(state: ServerState): void {
    this.#state = state;
    const ctx = this.#ctx;
    ctx.phase = sessionPhaseOf(state);
    if ('tx' in state) {
      ctx.mailParams = state.tx.mailParams;
      ctx.recipients = state.tx.recipients.length;
    } else {
      ctx.mailParams = undefined;
      ctx.recipients = 0;
    }
  }

  /**
   * A new context object whenever what extensions advertise may change (greeting, TLS, AUTH):
   * the registry caches the extensions in effect per context object.
   */
  #newContext(greeting: Greeting | undefined, authenticated: boolean): MutableContext {
    const ctx: MutableContext = {
      phase: sessionPhaseOf(this.#state),
      greeting,
      lmtp: this.#config.lmtp,
      tls: this.#tlsInfo !== undefined,
      authenticated,
      limits: this.#config.sessionLimits as SessionLimits,
      mailParams: undefined,
      recipients: 0,
    };
    this.#ctx = ctx;
    const { registry } = this.#config;
    this.#enhanced = registry.enhancedStatusCodes(ctx);
    if (this.#state.phase !== 'auth') this.#lines.maxLineLength = registry.maxCommandLine(ctx);
    return ctx;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

/** The argument after the verb's SP, without trailing white space (RFC 5321 §4.1.1 tolerates it). */
function argumentOf(line: string, space: number): string | undefined {
  let end = line.length;
  while (end > space + 1) {
    const c = line.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return end > space + 1 ? line.slice(space + 1, end) : undefined;
}

function userOf(credentials: SaslCredentials): string {
  const authz = credentials.authorizationIdentity;
  return authz !== undefined && authz.length > 0 ? authz : credentials.username;
}
