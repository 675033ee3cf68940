import type { Readable } from 'node:stream';
import type { ForwardPath, ReversePath } from '@smtpkit/address';
import type {
  AnyExtension,
  HooksOf,
  MailParamsOf,
  RcptParamsOf,
  SessionContext,
} from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import type { SaslCredentials, ScramStoredSecrets } from '@smtpkit/sasl';
import type { ProxyHeader, XclientAttributes } from '../proxy/index.js';
import type { SessionLimitOptions, SessionPolicy, SessionTimeouts } from '../session/index.js';
import type { Logger } from './logger.js';
import type { ServerTlsOptions } from './tls-context.js';

/**
 * The envelope a hook sees: the open transaction.
 *
 * @example
 * ```ts
 * ctx.envelope?.recipients.map((r) => r.forwardPath);
 * ```
 */
export interface HookEnvelope<E extends readonly AnyExtension[] = readonly AnyExtension[]> {
  readonly reversePath: ReversePath;
  readonly mailParams: MailParamsOf<E>;
  readonly recipients: readonly {
    readonly forwardPath: ForwardPath;
    readonly params: RcptParamsOf<E>;
  }[];
}

/**
 * Why a hook's `ctx.signal` was aborted (its `reason`): the connection timed out (the client was
 * told 421 4.4.2), closed (the peer went away, or the session ended), or was cut by the server's
 * shutdown.
 *
 * @example
 * ```ts
 * if (ctx.signal.aborted && (ctx.signal.reason as HookAbortReason) === 'timeout') log('client was told 421');
 * ```
 */
export type HookAbortReason = 'timeout' | 'closed' | 'shutdown';

/**
 * What every hook receives as `ctx`: the connection, the session facts, and the extension
 * context (`phase`, `limits`, …) the extensions see.
 *
 * @example
 * ```ts
 * hooks: { mail: async (ctx) => { if (!ctx.tls) throw new ReplyException(replies.R530_5_7_0_StartTlsRequired); } }
 * ```
 */
export interface HookContext<E extends readonly AnyExtension[] = readonly AnyExtension[]>
  extends SessionContext {
  /** The session id (also in log lines and diagnostics messages). */
  readonly id: string;
  /** The client: the PROXY/XCLIENT source when one was accepted, else the TCP peer. */
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly tlsInfo?: {
    readonly protocol?: string;
    readonly cipher?: string;
    readonly servername?: string;
  };
  readonly heloName?: string;
  readonly user?: string;
  /** The PROXY header accepted before the greeting (and the real TCP peer). */
  readonly proxied?: {
    readonly header: ProxyHeader;
    readonly peerAddress: string | undefined;
    readonly peerPort: number | undefined;
  };
  readonly xclient?: XclientAttributes;
  /** The open transaction (`undefined` outside one). */
  readonly envelope: HookEnvelope<E> | undefined;
  /**
   * Aborted when the connection times out, closes or is cut while the hook is pending; its
   * `reason` is a {@link HookAbortReason}. The client of an aborted `data` hook was told 421 (or
   * is gone) and will send the message again: commit only if `!ctx.signal.aborted`. One signal
   * per connection, made on first read (a hook that never reads it costs nothing); once aborted
   * it stays aborted (the `close` hook sees it aborted).
   */
  readonly signal: AbortSignal;
}

/**
 * The message given to the `data` hook. The hook takes the unstuffed body one way: `stream`
 * (read it, with backpressure: the socket pauses while the hook does not read) or `discard()`
 * (its size only). Chunks that arrive before the hook chooses wait (up to the stream's buffer
 * size, then the socket pauses); once the hook settles, whatever it did not take is dropped.
 *
 * @example
 * ```ts
 * data: async (ctx, message) => { for await (const chunk of message.stream) store(chunk); }
 * data: async (ctx, message) => { count(await message.discard()); }
 * ```
 */
export interface IncomingMessage<E extends readonly AnyExtension[] = readonly AnyExtension[]> {
  readonly envelope: HookEnvelope<E>;
  /**
   * The body as a byte stream, made on first read. It ends with the message, or is destroyed
   * with a `ReplyException` when the server refuses it (SIZE, bare LF, …) or with an Error when
   * the connection ends first. Read it before the hook settles.
   */
  readonly stream: Readable;
  /**
   * Drops the body as it arrives (no stream is made) and resolves with its size in octets after
   * unstuffing once it ended; rejects as the stream would be destroyed. Not after `stream`.
   */
  discard(): Promise<number>;
  /** Body octets received so far. */
  size(): number;
  /** `DATA` or `BDAT`. */
  readonly via: 'DATA' | 'BDAT';
}

/**
 * What a hook returns: its answer as a promise (an `async` hook), or at once. A hook that answers
 * at once is decided in the same turn as its command, with no promise made for it.
 *
 * @example
 * ```ts
 * const rcpt = (_ctx: HookContext, to: ForwardPath): HookResult<Reply> =>
 *   to.kind === 'postmaster' ? undefined : Promise.resolve(undefined);
 * ```
 */
export type HookResult<T> = T | undefined | void | Promise<T | undefined> | Promise<void>;

/**
 * The application's hooks. Each returns its answer, as a promise or at once ({@link HookResult});
 * throwing (or rejecting with) a `ReplyException` sends its reply, any other throw gives 451 4.3.0
 * and a log event. A returned `Reply` replaces the default positive reply. Extension hooks (ETRN,
 * …) are typed from the extensions list.
 *
 * @example
 * ```ts
 * const hooks: ServerHooks = { rcpt: async (ctx, to) => { if (to.kind === 'postmaster') return; } };
 * ```
 */
export type ServerHooks<E extends readonly AnyExtension[] = readonly AnyExtension[]> = {
  connect?(ctx: HookContext<E>): HookResult<Reply>;
  helo?(ctx: HookContext<E>, domain: string): HookResult<Reply>;
  mail?(
    ctx: HookContext<E>,
    reversePath: ReversePath,
    params: MailParamsOf<E>,
  ): HookResult<Reply>;
  rcpt?(
    ctx: HookContext<E>,
    forwardPath: ForwardPath,
    params: RcptParamsOf<E>,
  ): HookResult<Reply>;
  /** Answer (or resolve) to accept (250 2.0.0); LMTP: an array of one Reply per recipient, or one for all. */
  data?(
    ctx: HookContext<E>,
    message: IncomingMessage<E>,
  ): HookResult<Reply | readonly Reply[]>;
  vrfy?(ctx: HookContext<E>, argument: string): HookResult<Reply>;
  expn?(ctx: HookContext<E>, argument: string): HookResult<Reply>;
  close?(ctx: HookContext<E>): Promise<void> | void;
} & ExtensionHooks<E>;

/** The hooks the extensions declare (ETRN, …); none for an untyped extensions list. */
type ExtensionHooks<E extends readonly AnyExtension[]> = readonly AnyExtension[] extends E
  ? // biome-ignore lint/complexity/noBannedTypes: `{}` adds no hook
    {}
  : Partial<HooksOf<E>>;

/**
 * What an AUTH verifier answers: `true` when the credentials are right and the client acts as
 * itself (its authentication identity); `{ authorize: name }` when they are right and the client
 * may act as `name`; `false` to refuse. RFC 4616 §2: a client that asks to act as another
 * authorization identity (PLAIN's authzid, SCRAM's `a=`) is refused unless the verifier granted
 * exactly that identity by name: a bare `true` never lets `tim` act as `postmaster`. Without a
 * requested authzid, `{ authorize }` names the identity the server derives (RFC 4422 §3.4.1).
 *
 * @example
 * ```ts
 * verify: async (c) =>
 *   c.password !== 'secret' ? false
 *   : c.authorizationIdentity === 'postmaster' && c.username === 'tim' ? { authorize: 'postmaster' }
 *   : true
 * ```
 */
export type AuthVerdict = boolean | { readonly authorize: string };

/**
 * AUTH (RFC 4954) verification: `verify` gets the decoded credentials (secrets redacted from
 * logs and JSON), including the authorization identity the client asked for, and answers with
 * an {@link AuthVerdict}; `lookup` gives SCRAM-SHA-256 stored secrets for a user.
 *
 * @example
 * ```ts
 * auth: { verify: async (c) => c.username === 'tim' && c.password === 'secret' }
 * ```
 */
export interface ServerAuthOptions<E extends readonly AnyExtension[] = readonly AnyExtension[]> {
  verify?(credentials: SaslCredentials, ctx: HookContext<E>): Promise<AuthVerdict> | AuthVerdict;
  lookup?(
    username: string,
    ctx: HookContext<E>,
  ): Promise<ScramStoredSecrets | undefined> | ScramStoredSecrets | undefined;
}

/**
 * Limits of the server: the session's plus connection counts.
 *
 * @example
 * ```ts
 * limits: { connections: 500, connectionsPerIp: 20, timeouts: { command: 60_000 } }
 * ```
 */
export interface ServerLimits extends Omit<SessionLimitOptions, 'timeouts'> {
  /** Open connections in total; beyond, 421 4.7.0 and close. */
  readonly connections: number;
  /** Open connections per client address; beyond, 421 4.7.0 and close. */
  readonly connectionsPerIp: number;
  /** Largest PROXY v2 header block accepted. */
  readonly proxyHeader: number;
  readonly timeouts: SessionTimeouts;
}

/**
 * Options of {@link createServer}.
 *
 * @example
 * ```ts
 * createServer({ hostname: 'mx.example', extensions: defaultExtensions(), hooks: {} });
 * ```
 */
export interface ServerOptions<E extends readonly AnyExtension[] = readonly AnyExtension[]> {
  /** Banner and EHLO domain; `os.hostname()` by default. */
  readonly hostname?: string;
  /** The ESMTP extensions; `defaultExtensions()` by default. */
  readonly extensions?: E;
  readonly tls?: ServerTlsOptions;
  readonly lmtp?: boolean;
  readonly limits?: Partial<Omit<ServerLimits, 'timeouts'>> & {
    readonly timeouts?: Partial<SessionTimeouts>;
  };
  readonly policy?: Partial<SessionPolicy>;
  readonly auth?: ServerAuthOptions<E>;
  /** PROXY protocol v1/v2 expected from these peers (CIDR); absent: off. */
  readonly proxy?: { readonly allowFrom: readonly string[] };
  /** XCLIENT accepted from these peers (CIDR); absent: off. */
  readonly xclient?: { readonly allowFrom: readonly string[] };
  readonly logger?: Logger;
  readonly hooks?: ServerHooks<E>;
}
