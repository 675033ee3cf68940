import type { Greeting, SessionContext, SessionLimits } from '@smtpkit/extensions';
import { type Reply, replies, withText } from '@smtpkit/reply';
import type { SaslCredentials, SaslServerMechanism } from '@smtpkit/sasl';
import { LineReader } from '@smtpkit/wire';
import type { XclientAttributes } from '../proxy/xclient.js';
import { pump } from './pump.js';
import { replyBytes } from './reply-bytes.js';
import {
  type CommandState,
  type Envelope,
  type EnvelopeRecipient,
  type ServerState,
  sessionPhaseOf,
} from './server-state.js';
import { resolveSessionConfig, type SessionConfig } from './session-config.js';
import type { AskHook, CloseReason, SessionEvent } from './session-events.js';
import type { ServerSessionOptions, TlsInfo } from './session-options.js';

/**
 * What the stream of a data hook is destroyed with when the client drops its message between
 * BDAT chunks (RSET, a new greeting, QUIT, a closing error). Never sent to the client.
 *
 * @example
 * ```ts
 * core.abortBody(MESSAGE_ABANDONED); // body-abort: the hook's stream fails with this reply
 * ```
 */
export const MESSAGE_ABANDONED: Reply = withText(
  replies.R554_5_0_0_TransactionFailed,
  'Message abandoned by the client',
);

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
      /** The client asks to act as an authzid other than its authcid (RFC 4616 §2). */
      readonly delegated: boolean;
    }
  | { readonly kind: 'auth-lookup'; readonly id: number; readonly mechanism: SaslServerMechanism }
  | { readonly kind: 'data-final'; readonly id: number; readonly tx: Envelope };

export type MutableContext = {
  -readonly [K in keyof SessionContext]: SessionContext[K];
};

/**
 * The mutable insides of one {@link ServerSession}: its state, buffers, counters and facts, with
 * the small helpers every part of the session uses (write a reply, ask a hook, count an error,
 * close). Internal: the command, body, AUTH and decision modules work on it; applications use
 * `ServerSession`.
 */
export class SessionCore {
  readonly config: SessionConfig;
  state: ServerState = { phase: 'unstarted' };
  pending: Pending | undefined;
  readonly lines: LineReader;
  ctx: MutableContext;
  enhanced = false;
  out: SessionEvent[] = [];
  nextId = 1;
  commands = 0;
  errors = 0;
  unknown = 0;
  draining = false;
  tlsInfo: TlsInfo | undefined;
  heloName: string | undefined;
  user: string | undefined;
  authUser: string | undefined;
  xclient: XclientAttributes | undefined;
  readonly remoteAddress: string | undefined;
  readonly observe: boolean;
  readonly xclientAllowed: boolean;

  constructor(
    options: ServerSessionOptions,
    connection: {
      readonly tls?: TlsInfo | undefined;
      readonly remoteAddress?: string | undefined;
      readonly observe?: boolean;
    } = {},
  ) {
    this.config = resolveSessionConfig(options);
    this.tlsInfo = connection.tls ?? options.tls;
    this.remoteAddress = connection.remoteAddress ?? options.remoteAddress;
    this.observe = connection.observe ?? options.observe ?? false;
    const xc = this.config.xclient;
    this.xclientAllowed =
      xc !== undefined && this.remoteAddress !== undefined && xc.allows(this.remoteAddress);
    const bare = this.config.policy.bareLineEndings === 'normalize' ? 'accept' : 'reject';
    this.lines = new LineReader({ maxLineLength: 512, bareLf: bare, bareCr: bare });
    this.ctx = this.newContext(undefined, false);
  }
  banner(reply: Reply = this.config.banner): void {
    this.state = { phase: 'connected' };
    this.ctx = this.newContext(undefined, false);
    this.write(reply);
    pump(this);
  }

  ask(pending: Pending, hook: AskHook, payload: unknown): void {
    const id = this.nextId++;
    this.pending = { ...pending, id } as Pending;
    this.out.push({ type: 'ask', id, hook, payload });
  }

  write(reply: Reply): void {
    this.out.push({ type: 'write', bytes: replyBytes(reply, this.enhanced), reply });
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
    this.out.push(
      data === undefined ? { type: 'log', level, message } : { type: 'log', level, message, data },
    );
  }

  close(reason: CloseReason): void {
    // A message still open (between BDAT chunks) ends with the session: its hook must not wait.
    this.abortBody(MESSAGE_ABANDONED);
    this.state = { phase: 'closed' };
    this.pending = undefined;
    this.out.push({ type: 'close', reason });
  }

  /** Tells the data hook of an unfinished message that it will never end (`body-abort`). */
  abortBody(reply: Reply): void {
    const s = this.state;
    if (
      (s.phase === 'data' || s.phase === 'bdat') &&
      s.body.askId !== undefined &&
      !s.body.aborted
    ) {
      s.body.aborted = true;
      this.out.push({ type: 'body-abort', id: s.body.askId, reply });
    }
  }

  drainIfIdle(): void {
    const s = this.state;
    if (s.phase === 'closed') return;
    const idle =
      this.pending === undefined &&
      (s.phase === 'connected' || s.phase === 'greeted' || s.phase === 'unstarted');
    if (s.phase === 'tls-handshake') {
      this.close('shutdown');
    } else if (idle || s.phase === 'auth' || s.phase === 'connecting') {
      this.write(replies.R421_4_3_2_ShuttingDown);
      this.close('shutdown');
    }
  }

  /** `greeted` once a greeting was given, else `connected` (RSET before EHLO). */
  idle(): CommandState {
    return this.ctx.greeting === undefined ? { phase: 'connected' } : { phase: 'greeted' };
  }

  setState(state: ServerState): void {
    this.state = state;
    const ctx = this.ctx;
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
  newContext(greeting: Greeting | undefined, authenticated: boolean): MutableContext {
    const ctx: MutableContext = {
      phase: sessionPhaseOf(this.state),
      greeting,
      lmtp: this.config.lmtp,
      tls: this.tlsInfo !== undefined,
      authenticated,
      limits: this.config.sessionLimits as SessionLimits,
      mailParams: undefined,
      recipients: 0,
    };
    this.ctx = ctx;
    const { registry } = this.config;
    this.enhanced = registry.enhancedStatusCodes(ctx);
    if (this.state.phase !== 'auth') this.lines.maxLineLength = registry.maxCommandLine(ctx);
    return ctx;
  }
}

const _utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const _latin1 = new TextDecoder('latin1');

/** The argument after the verb's SP, without trailing white space (RFC 5321 §4.1.1 tolerates it). */
function _argumentOf(line: string, space: number): string | undefined {
  let end = line.length;
  while (end > space + 1) {
    const c = line.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return end > space + 1 ? line.slice(space + 1, end) : undefined;
}

function _userOf(credentials: SaslCredentials): string {
  const authz = credentials.authorizationIdentity;
  return authz !== undefined && authz.length > 0 ? authz : credentials.username;
}
