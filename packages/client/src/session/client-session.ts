import {
  type AnyExtension,
  parseServerCapabilities,
  type Registry,
  type ServerCapabilities,
} from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import type { SaslClientMechanism } from '@smtpkit/sasl';
import {
  DataEncoder,
  isWireError,
  parseCommand,
  ReplyReader,
  type ReplyReaderOptions,
} from '@smtpkit/wire';
import { ClientError } from '../client-error.js';
import type {
  ClientCloseReason,
  ClientEvent,
  SendEnvelope,
  TransactionResult,
} from './client-events.js';
import type { ClientState, Expectation, Transaction } from './client-state.js';
import { bdatLine, planTransaction, type Step } from './plan.js';
import { allows, type ClientTrigger, nextState } from './transitions.js';

/**
 * RFC 5321 §4.5.3.2 client timeouts, in milliseconds, one per wait. The session says which applies
 * now ({@link ClientSession.timeoutFor}); the I/O layer owns the timer.
 *
 * @example
 * ```ts
 * const t: Partial<ClientTimeouts> = { dataTermination: 120_000 };
 * ```
 */
export interface ClientTimeouts {
  /** §4.5.3.2.1 "Initial 220 Message: 5 minutes". */
  readonly greeting: number;
  /** §4.5.3.2.2 "MAIL Command: 5 minutes". */
  readonly mail: number;
  /** §4.5.3.2.3 "RCPT Command: 5 minutes". */
  readonly rcpt: number;
  /** §4.5.3.2.4 "DATA Initiation: 2 minutes" (the 354). */
  readonly dataInit: number;
  /** §4.5.3.2.5 "Data Block: 3 minutes" (each write of the body, each BDAT chunk's reply). */
  readonly dataBlock: number;
  /** §4.5.3.2.6 "DATA Termination: 10 minutes" (the reply after the end of the message). */
  readonly dataTermination: number;
  /** Every other reply (EHLO, STARTTLS, AUTH, RSET, NOOP, QUIT): 5 minutes. */
  readonly command: number;
}

/**
 * RFC 5321 §4.5.3.2 values.
 *
 * @example
 * ```ts
 * DEFAULT_CLIENT_TIMEOUTS.dataTermination; // 600_000
 * ```
 */
export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = Object.freeze({
  greeting: 300_000,
  mail: 300_000,
  rcpt: 300_000,
  dataInit: 120_000,
  dataBlock: 180_000,
  dataTermination: 600_000,
  command: 300_000,
});

/**
 * Options of {@link ClientSession}.
 *
 * @example
 * ```ts
 * new ClientSession({ hostname: 'client.example', registry: createRegistry(defaultExtensions()) });
 * ```
 */
export interface ClientSessionOptions {
  /** The name the client gives in EHLO/LHLO/HELO (RFC 5321 §4.1.1.1: its FQDN or an address literal). */
  readonly hostname: string;
  /** The extensions whose client side the session uses (parameters, checks). */
  readonly registry: Registry<readonly AnyExtension[]>;
  /** RFC 2033 LMTP: LHLO, and one reply per recipient after the message. */
  readonly lmtp?: boolean;
  /** Use BDAT when the server offers CHUNKING (default true). */
  readonly chunking?: boolean;
  /** The connection is TLS from the start (RFC 8314 implicit TLS). */
  readonly tls?: boolean;
  /** Bounds on the server's replies (wire's ReplyReader: 2048-octet lines, 256 lines by default). */
  readonly replies?: ReplyReaderOptions;
  readonly timeouts?: Partial<ClientTimeouts>;
  /** Give `received` events (each reply) and `command` events (each verb), for transcripts. */
  readonly observe?: boolean;
}

const encoder = new TextEncoder();
const END_OF_DATA_ONLY = encoder.encode('.\r\n');

/**
 * The sans-IO SMTP/LMTP client session: operations and server bytes in, {@link ClientEvent}s out.
 * No socket, no timer, no clock: the I/O layer writes what it is told, upgrades to TLS on
 * `starttls`, feeds the server's bytes back, owns the one timer ({@link timeoutFor}), and turns
 * the results into promises. States are one union ({@link ClientState}); every change of state is
 * a lookup in the transition table of `transitions.ts`, made in `#fire`.
 *
 * A transaction goes in RFC 2920 groups when the server offers PIPELINING (MAIL, every RCPT and
 * DATA in one write; with CHUNKING and the whole message known, BDAT LAST and the message too),
 * one command at a time otherwise. Replies are matched to commands in order; each recipient's
 * reply is kept: partial acceptance is a normal outcome.
 *
 * @example
 * ```ts
 * const session = new ClientSession({ hostname: 'client.example', registry });
 * socket.on('data', (b) => act(session.receive(b)));   // 220 → 'greeting'
 * act(session.hello());                                  // EHLO → 'ready'
 * act(session.send(envelope, message));                  // → 'sent' with every recipient's reply
 * act(session.quit());                                   // → 'close'
 * ```
 */
export class ClientSession {
  readonly #options: ClientSessionOptions;
  readonly #timeouts: ClientTimeouts;
  readonly #reader: ReplyReader;
  readonly #expect: Expectation[] = [];
  /** Commands not yet written (no PIPELINING: one at a time). */
  #unsent: Step[] = [];
  #state: ClientState = { phase: 'connecting' };
  #caps: ServerCapabilities | undefined;
  #tls: boolean;
  #out: ClientEvent[] = [];
  /** An AUTH exchange cancelled by the client (a challenge it cannot answer): its error. */
  #pendingAuthError: ClientError | undefined;

  /**
   * @throws {ClientError} `ERR_CLIENT_MISUSE_INVALID_ARGUMENT` when `hostname` is not a domain or
   *   an address literal (RFC 5321 §4.1.1.1): nothing the client says may carry CR or LF.
   */
  constructor(options: ClientSessionOptions) {
    checkHostname(options.hostname);
    this.#options = options;
    this.#timeouts = { ...DEFAULT_CLIENT_TIMEOUTS, ...options.timeouts };
    this.#reader = new ReplyReader(options.replies);
    this.#tls = options.tls === true;
    this.#expect.push({ kind: 'greeting' });
  }

  /** The current state (read-only view). */
  get state(): ClientState {
    return this.#state;
  }

  /** The server's capabilities after EHLO/LHLO (empty after the HELO fallback). */
  get capabilities(): ServerCapabilities | undefined {
    return this.#caps;
  }

  /** TLS is in effect (implicit TLS, or after STARTTLS). */
  get secure(): boolean {
    return this.#tls;
  }

  /** The session is closed. */
  get closed(): boolean {
    return this.#state.phase === 'closed';
  }

  // ---- operations ----

  /** EHLO (LHLO for LMTP); a refused EHLO falls back to HELO (RFC 5321 §4.1.4, §3.2). */
  hello(): ClientEvent[] {
    const verb = this.#options.lmtp === true ? 'LHLO' : 'EHLO';
    return this.#operate({ type: 'hello', verb }, () => {
      this.#command(`${verb} ${this.#options.hostname}`, { kind: 'hello' });
    });
  }

  /** STARTTLS (RFC 3207); on 220 a `starttls` event asks the I/O layer to upgrade. */
  startTls(): ClientEvent[] {
    return this.#operate({ type: 'starttls' }, () => {
      this.#command('STARTTLS', { kind: 'starttls' });
    });
  }

  /** The TLS handshake after `starttls` finished: EHLO again (RFC 3207 §4.2). */
  tlsEstablished(): ClientEvent[] {
    return this.#operate({ type: 'tls' }, () => {
      this.#tls = true;
      this.#caps = undefined;
    });
  }

  /** AUTH with a SASL mechanism from @smtpkit/sasl (RFC 4954 §4). */
  authenticate(mechanism: SaslClientMechanism): ClientEvent[] {
    return this.#operate({ type: 'auth', mechanism }, () => {
      const initial = mechanism.initialResponse();
      const line =
        initial === undefined ? `AUTH ${mechanism.name}` : `AUTH ${mechanism.name} ${initial}`;
      this.#command(line, { kind: 'auth' });
    });
  }

  /**
   * Sends a message: `message` as a whole (dot-stuffed for DATA by the session, or BDAT LAST), or
   * `undefined` to stream it after a `body-wanted` event with {@link bodyChunk} and
   * {@link bodyEnd}. Ends with a `sent` event (each recipient's reply), or an `error` when MAIL is
   * refused or the server lacks what the message needs (nothing is sent then).
   *
   * @throws {ClientError} `ERR_CLIENT_MISUSE_*` when not `ready`, when a value would put CR, LF
   *   or NUL on the wire, or when there is no recipient.
   */
  send(envelope: SendEnvelope, message?: Uint8Array): ClientEvent[] {
    this.#out = [];
    if (!allows(this.#state, 'envelope') || this.#caps === undefined) {
      throw new ClientError(
        'ERR_CLIENT_MISUSE_STATE',
        `send() needs a ready session, not '${this.#state.phase}'`,
      );
    }
    const plan = planTransaction(envelope, message, {
      registry: this.#options.registry,
      caps: this.#caps,
      tls: this.#tls,
      lmtp: this.#options.lmtp === true,
      chunking: this.#options.chunking !== false,
    });
    if (plan.kind === 'refused') {
      const r = plan.refusal;
      this.#out.push({
        type: 'error',
        error: new ClientError('ERR_CLIENT_EXTENSION', r.message, {
          permanent: r.permanent,
          cause: r,
        }),
      });
      return this.#out;
    }
    this.#fire({ type: 'envelope', tx: plan.tx });
    if (plan.tx.pipelined) {
      this.#writeSteps(plan.steps);
    } else {
      this.#unsent = [...plan.steps];
      this.#writeNext();
    }
    return this.#out;
  }

  /** The next piece of a streamed message (after `body-wanted`). */
  bodyChunk(chunk: Uint8Array): ClientEvent[] {
    this.#out = [];
    const tx = this.#bodyTx('bodyChunk');
    if (chunk.length === 0) return this.#out;
    if (tx.via === 'DATA') {
      for (const piece of (tx.encoder as DataEncoder).push(chunk)) this.#write(piece);
    } else {
      this.#observe('BDAT');
      this.#write(bdatLine(chunk.length, false));
      this.#write(chunk);
      this.#expect.push({ kind: 'chunk' });
    }
    return this.#out;
  }

  /** The end of a streamed message. */
  bodyEnd(): ClientEvent[] {
    this.#out = [];
    const tx = this.#bodyTx('bodyEnd');
    if (tx.via === 'DATA') {
      for (const piece of (tx.encoder as DataEncoder).end()) this.#write(piece);
    } else {
      this.#observe('BDAT');
      this.#write(bdatLine(0, true));
    }
    this.#expect.push({ kind: 'end' });
    this.#fire({ type: 'message' });
    return this.#out;
  }

  /** RSET (RFC 5321 §4.1.1.5): a `reply` event. */
  reset(): ClientEvent[] {
    return this.#operate({ type: 'rset' }, () => this.#command('RSET', { kind: 'rset' }));
  }

  /** NOOP (RFC 5321 §4.1.1.9): a `reply` event; checks that a pooled connection still lives. */
  noop(): ClientEvent[] {
    return this.#operate({ type: 'noop' }, () => this.#command('NOOP', { kind: 'noop' }));
  }

  /** QUIT (RFC 5321 §4.1.1.10): `close` once the 221 (or anything) arrives. */
  quit(): ClientEvent[] {
    return this.#operate({ type: 'quit' }, () => this.#command('QUIT', { kind: 'quit' }));
  }

  // ---- inputs ----

  /** Bytes from the server. Never throws for what the server sends. */
  receive(bytes: Uint8Array): ClientEvent[] {
    this.#out = [];
    if (this.#state.phase === 'closed' || this.#state.phase === 'tls-handshake') return this.#out;
    this.#reader.push(bytes);
    this.#readReplies();
    return this.#out;
  }

  /** The server closed the connection (or it broke): what was pending fails. */
  serverClosed(): ClientEvent[] {
    this.#out = [];
    if (this.#state.phase === 'closed') return this.#out;
    if (
      this.#state.phase !== 'quit' &&
      (this.#expect.length > 0 || this.#state.phase !== 'ready')
    ) {
      this.#error(
        new ClientError(
          'ERR_CLIENT_CLOSED',
          `the server closed the connection (${this.#state.phase})`,
        ),
      );
    }
    this.#close('server-closed');
    return this.#out;
  }

  /** Which RFC 5321 §4.5.3.2 timeout applies now, in ms (`undefined`: nothing is awaited). */
  timeoutFor(): number | undefined {
    const wait = this.waitingFor();
    return wait === undefined ? undefined : this.#timeouts[wait];
  }

  /**
   * The name of the RFC 5321 §4.5.3.2 wait in force (`undefined`: nothing is awaited), so a
   * timeout can say which phase it cut.
   */
  waitingFor(): keyof ClientTimeouts | undefined {
    const next = this.#expect[0];
    if (next === undefined) return this.#state.phase === 'body' ? 'dataBlock' : undefined;
    switch (next.kind) {
      case 'greeting':
        return 'greeting';
      case 'mail':
        return 'mail';
      case 'rcpt':
        return 'rcpt';
      case 'data':
        return 'dataInit';
      case 'chunk':
        return 'dataBlock';
      case 'end':
        return 'dataTermination';
      default:
        return 'command';
    }
  }

  // ---- the loop ----

  #readReplies(): void {
    for (;;) {
      if (this.#state.phase === 'closed' || this.#state.phase === 'tls-handshake') return;
      const e = this.#reader.next();
      if (e.type === 'need-data') return;
      if (e.type === 'error') {
        this.#error(new ClientError('ERR_CLIENT_PROTOCOL', e.error.message, { cause: e.error }));
        this.#close('protocol');
        return;
      }
      if (this.#options.observe === true) this.#out.push({ type: 'received', reply: e.reply });
      this.#reply(e.reply);
    }
  }

  #reply(reply: Reply): void {
    const expected = this.#expect.shift();
    if (expected === undefined) {
      // RFC 5321 §3.8: a server may send 421 and close at any time.
      if (reply.code === 421) {
        this.#error(
          new ClientError('ERR_CLIENT_REPLY', 'the server is closing the connection', { reply }),
        );
        this.#close('server-closed');
      } else {
        this.#error(
          new ClientError('ERR_CLIENT_PROTOCOL', `unexpected reply ${reply.code}`, { reply }),
        );
        this.#close('protocol');
      }
      return;
    }
    switch (expected.kind) {
      case 'greeting':
        this.#onGreeting(reply);
        return;
      case 'hello':
        this.#onHello(reply);
        return;
      case 'starttls':
        this.#onStartTls(reply);
        return;
      case 'auth':
        this.#onAuth(reply);
        return;
      case 'mail':
      case 'rcpt':
      case 'data':
      case 'chunk':
      case 'end':
        this.#onTransaction(expected, reply);
        return;
      case 'rset':
      case 'noop':
        this.#fire({ type: 'ready' });
        if (reply.code >= 400) this.#refused(expected.kind.toUpperCase(), reply);
        else this.#out.push({ type: 'reply', reply });
        return;
      case 'quit':
        this.#close('quit');
        return;
    }
  }

  #onGreeting(reply: Reply): void {
    this.#out.push({ type: 'greeting', reply });
    if (reply.code === 220) {
      this.#fire({ type: 'greeting' });
      return;
    }
    // RFC 5321 §3.1: 554 (or a 4yz) instead of 220: the server will not talk; QUIT and go.
    this.#refused('greeting', reply);
    this.#command('QUIT', { kind: 'quit' }, true);
    this.#close('refused');
  }

  #onHello(reply: Reply): void {
    const s = this.#state as Extract<ClientState, { phase: 'hello' }>;
    if (reply.code === 250) {
      this.#caps =
        s.verb === 'HELO' ? parseServerCapabilities([]) : parseServerCapabilities(reply.lines);
      this.#fire({ type: 'ready' });
      this.#out.push({ type: 'ready', reply, capabilities: this.#caps });
      return;
    }
    // RFC 5321 §3.2: a server that does not know EHLO answers 500/502 (or 5yz); the client then
    // tries HELO. LMTP has no such fallback (RFC 2033 §4.1).
    if (s.verb === 'EHLO' && reply.code >= 500 && reply.code !== 554) {
      this.#fire({ type: 'hello', verb: 'HELO' });
      this.#command(`HELO ${this.#options.hostname}`, { kind: 'hello' });
      return;
    }
    this.#fire({ type: 'greeting' });
    this.#refused(s.verb, reply);
  }

  #onStartTls(reply: Reply): void {
    if (reply.code !== 220) {
      this.#fire({ type: 'ready' });
      this.#error(
        new ClientError('ERR_CLIENT_TLS_REQUIRED', `STARTTLS was refused (${reply.code})`, {
          command: 'STARTTLS',
          reply,
        }),
      );
      return;
    }
    // RFC 3207 §6 (response injection): anything the server sent after the 220 and before the
    // handshake is dropped unread.
    this.#reader.discardRest();
    this.#fire({ type: 'tls-go' });
    this.#out.push({ type: 'starttls' });
  }

  #onAuth(reply: Reply): void {
    const s = this.#state as Extract<ClientState, { phase: 'auth' }>;
    if (reply.code === 334) {
      let response: string;
      try {
        response = s.mechanism.respond(reply.lines[0] ?? '');
      } catch (error) {
        // The server's challenge is not one this mechanism accepts: cancel (RFC 4954 §4).
        this.#command('*', { kind: 'auth' });
        this.#pendingAuthError = new ClientError('ERR_CLIENT_PROTOCOL', 'invalid AUTH challenge', {
          command: `AUTH ${s.mechanism.name}`,
          cause: error,
        });
        return;
      }
      this.#command(response, { kind: 'auth' });
      return;
    }
    this.#fire({ type: 'ready' });
    const pending = this.#pendingAuthError;
    this.#pendingAuthError = undefined;
    if (pending !== undefined) {
      this.#error(pending);
      return;
    }
    if (reply.code === 235) {
      try {
        s.mechanism.complete();
      } catch (error) {
        // SCRAM: a 235 before the server proved it knows the secrets.
        this.#error(
          new ClientError('ERR_CLIENT_PROTOCOL', 'the server did not prove itself (SCRAM)', {
            command: `AUTH ${s.mechanism.name}`,
            reply,
            permanent: true,
            cause: error,
          }),
        );
        this.#close('protocol');
        return;
      }
      this.#out.push({ type: 'authenticated', reply });
      return;
    }
    this.#refused(`AUTH ${s.mechanism.name}`, reply);
  }

  #onTransaction(expected: Expectation, reply: Reply): void {
    const tx = (this.#state as Extract<ClientState, { tx: Transaction }>).tx;
    switch (expected.kind) {
      case 'mail':
        tx.mail = reply;
        if (reply.code >= 400 && !tx.pipelined) {
          this.#unsent = [];
          this.#finish(tx);
          return;
        }
        this.#writeNext();
        return;
      case 'rcpt':
        tx.rcpt[expected.index] = reply;
        if (!tx.pipelined) {
          const lastRcpt = expected.index === tx.rcpt.length - 1;
          if (lastRcpt && accepted(tx) === 0) {
            // No recipient: DATA is not sent (RFC 5321 §3.3).
            this.#unsent = [];
            this.#finish(tx);
            return;
          }
          if (lastRcpt && tx.via === 'BDAT') {
            this.#startBdat(tx);
            return;
          }
          this.#writeNext();
          return;
        }
        if (
          expected.index === tx.rcpt.length - 1 &&
          tx.via === 'BDAT' &&
          tx.message === undefined
        ) {
          if (tx.mail !== undefined && tx.mail.code < 400 && accepted(tx) > 0) {
            this.#fire({ type: 'body' });
            this.#out.push({ type: 'body-wanted', via: 'BDAT' });
          } else {
            this.#finish(tx);
          }
        } else if (expected.index === tx.rcpt.length - 1 && tx.via === 'BDAT') {
          this.#fire({ type: 'message' });
        }
        return;
      case 'data':
        if (reply.code !== 354) {
          tx.end = reply;
          this.#finish(tx);
          return;
        }
        this.#fire({ type: 'body' });
        if (accepted(tx) === 0 || tx.mail === undefined || tx.mail.code >= 400) {
          // RFC 2920 §3.1: DATA may be accepted although every RCPT failed; the client must then
          // end the (empty) message. Its reply does not count.
          this.#write(END_OF_DATA_ONLY);
          this.#expect.push({ kind: 'end' });
          tx.emptyMessage = true;
          this.#fire({ type: 'message' });
          return;
        }
        tx.encoder = new DataEncoder();
        if (tx.message !== undefined) {
          // The pieces as they are (views of the message where nothing changes): the I/O layer
          // writes a batch in one system call, so copying them into one array would only cost.
          for (const piece of tx.encoder.push(tx.message)) this.#write(piece);
          for (const piece of tx.encoder.end()) this.#write(piece);
          this.#expect.push({ kind: 'end' });
          this.#fire({ type: 'message' });
        } else {
          this.#out.push({ type: 'body-wanted', via: 'DATA' });
        }
        return;
      case 'chunk':
        if (reply.code >= 400 && tx.chunkFailure === undefined) tx.chunkFailure = reply;
        return;
      case 'end':
        this.#onEnd(tx, reply);
        return;
    }
  }

  /** The reply (LMTP: one of the replies) to the end of the message. */
  #onEnd(tx: Transaction, reply: Reply): void {
    if (tx.emptyMessage) {
      this.#finish(tx);
      return;
    }
    const n = accepted(tx);
    const whole = tx.chunkFailure !== undefined || n === 0 || (tx.mail?.code ?? 500) >= 400;
    if (this.#options.lmtp === true && !whole) {
      // RFC 2033 §4.2: one reply per accepted recipient, in RCPT order. A refusal of the message
      // as a whole (no recipient, a failed chunk) comes once.
      tx.finals.push(reply);
      if (tx.finals.length < n) {
        this.#expect.unshift({ kind: 'end' });
        return;
      }
      this.#finish(tx);
      return;
    }
    tx.end = tx.chunkFailure ?? reply;
    this.#finish(tx);
  }

  #startBdat(tx: Transaction): void {
    if (tx.message !== undefined) {
      this.#observe('BDAT');
      this.#write(bdatLine(tx.message.length, true));
      this.#write(tx.message);
      this.#expect.push({ kind: 'end' });
      this.#fire({ type: 'message' });
      return;
    }
    this.#fire({ type: 'body' });
    this.#out.push({ type: 'body-wanted', via: 'BDAT' });
  }

  /** The transaction is over: `sent` with every recipient's outcome, or `error` for MAIL. */
  #finish(tx: Transaction): void {
    if (
      this.#expect.some(
        (e) => e.kind === 'rcpt' || e.kind === 'data' || e.kind === 'end' || e.kind === 'chunk',
      )
    ) {
      // Pipelined replies of this transaction are still to come (a refused MAIL's 503s).
      return;
    }
    this.#fire({ type: 'ready' });
    const mail = tx.mail as Reply;
    if (mail.code >= 400) {
      this.#refused('MAIL FROM', mail);
      return;
    }
    this.#out.push({ type: 'sent', result: resultOf(tx, this.#options.lmtp === true) });
  }

  // ---- helpers ----

  #operate(trigger: ClientTrigger, act: () => void): ClientEvent[] {
    this.#out = [];
    if (!allows(this.#state, trigger.type)) {
      throw new ClientError(
        'ERR_CLIENT_MISUSE_STATE',
        `'${trigger.type}' is not possible while the session is in phase '${this.#state.phase}'`,
      );
    }
    this.#fire(trigger);
    act();
    return this.#out;
  }

  #bodyTx(method: string): Transaction {
    if (this.#state.phase !== 'body') {
      throw new ClientError('ERR_CLIENT_MISUSE_STATE', `${method}() needs a 'body-wanted' first`);
    }
    return this.#state.tx;
  }

  /** THE state change (the table in transitions.ts). */
  #fire(trigger: ClientTrigger): void {
    this.#state = nextState(this.#state, trigger);
  }

  #command(line: string, expect: Expectation, fireAndForget = false): void {
    // A SASL response line is no command: its verb is AUTH's, and its text is secret.
    if (expect.kind !== 'auth' || line.startsWith('AUTH ')) this.#observe(verbOf(line));
    this.#write(encoder.encode(`${line}\r\n`));
    if (!fireAndForget) this.#expect.push(expect);
  }

  #write(bytes: Uint8Array): void {
    this.#out.push({ type: 'write', bytes });
  }

  /** With `observe`: the verb of a command about to be written (never its arguments). */
  #observe(verb: string | undefined): void {
    if (verb !== undefined && this.#options.observe === true) {
      this.#out.push({ type: 'command', verb });
    }
  }

  /** A pipelined group: one write (RFC 2920 §3.1). */
  #writeSteps(steps: readonly Step[]): void {
    for (const s of steps) this.#observe(s.verb);
    this.#write(concat(steps.map((s) => s.bytes)));
    for (const s of steps) if (s.expect !== undefined) this.#expect.push(s.expect);
  }

  /** Without PIPELINING: the next command once the previous one was answered. */
  #writeNext(): void {
    const next = this.#unsent.shift();
    if (next === undefined) return;
    this.#observe(next.verb);
    this.#write(next.bytes);
    if (next.expect !== undefined) this.#expect.push(next.expect);
  }

  #refused(command: string, reply: Reply): void {
    this.#error(
      new ClientError('ERR_CLIENT_REPLY', `${command} was answered ${reply.code}`, {
        command,
        reply,
      }),
    );
  }

  #error(error: ClientError): void {
    this.#out.push({ type: 'error', error });
  }

  #close(reason: ClientCloseReason): void {
    if (this.#state.phase === 'closed') return;
    this.#fire({ type: 'close' });
    this.#expect.length = 0;
    this.#unsent = [];
    this.#out.push({ type: 'close', reason });
  }
}

/** RFC 5321 §4.1.1.1: `ehlo = "EHLO" SP ( Domain / address-literal ) CRLF`. */
function checkHostname(hostname: string): void {
  try {
    if (parseCommand(`EHLO ${hostname}`).verb === 'EHLO') return;
  } catch (error) {
    if (!isWireError(error)) throw error;
  }
  throw new ClientError(
    'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
    'hostname must be a domain or an address literal',
  );
}

/** The verb of a command line: its first word. */
function verbOf(line: string): string {
  const space = line.indexOf(' ');
  return (space === -1 ? line : line.slice(0, space)).toUpperCase();
}

function accepted(tx: Transaction): number {
  let n = 0;
  for (const r of tx.rcpt) if (r !== undefined && r.code < 400) n++;
  return n;
}

function resultOf(tx: Transaction, lmtp: boolean): TransactionResult {
  let final = 0;
  const recipients = tx.envelope.to.map((recipient, i) => {
    const reply = tx.rcpt[i] as Reply;
    const rcptOk = reply.code < 400;
    if (lmtp) {
      const own = rcptOk ? tx.finals[final++] : undefined;
      const ok = rcptOk && own !== undefined && own.code < 400;
      return own === undefined
        ? { recipient, reply, accepted: ok }
        : { recipient, reply, accepted: ok, final: own };
    }
    return { recipient, reply, accepted: rcptOk && tx.end !== undefined && tx.end.code < 400 };
  });
  return {
    mail: tx.mail as Reply,
    recipients,
    message: lmtp ? (tx.end ?? tx.finals[0]) : tx.end,
    unsent: tx.unsent,
    via: tx.end !== undefined || tx.finals.length > 0 ? tx.via : undefined,
  };
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  let n = 0;
  for (const p of pieces) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
