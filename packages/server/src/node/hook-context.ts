import type { Greeting, SessionLimits, SessionPhase } from '@smtpkit/extensions';
import { xclientAttributesOf } from '../proxy/xclient-extension.js';
import type { ServerSession } from '../session/index.js';
import type { HookContext } from './server-options.js';

/**
 * What the connection knows that the session does not: one object per connection (the connection
 * itself), read when a hook context is built; nothing is allocated per hook call for it.
 */
export interface ConnectionFacts {
  readonly id: string;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly proxied: HookContext['proxied'];
  /** The local endpoint, read when a hook first asks (a `getsockname` call saved otherwise). */
  localEndpoint(): { readonly address: string | undefined; readonly port: number | undefined };
  /** The connection's abort signal, made when a hook first reads `ctx.signal`. */
  readonly signal: AbortSignal;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type HookContextFields = Omit<HookContext, 'localAddress' | 'localPort' | 'signal'>;

/**
 * The `ctx` of a hook call: the session's facts as they are at the call, and the connection's.
 * A class, since hooks run per command: its instances share one shape and one set of accessors.
 * An object literal with getters costs a closure and a runtime property definition per getter on
 * every call (1.3 µs per context on this machine, 27 ns as a class). `localAddress`, `localPort`
 * and `signal` are accessors on the prototype, read on first use: the local endpoint costs a
 * system call and the signal an AbortController, which most hooks never need.
 */
class ConnectionHookContext implements Writable<HookContextFields> {
  phase: SessionPhase;
  greeting: Greeting | undefined;
  lmtp: boolean;
  tls: boolean;
  authenticated: boolean;
  limits: SessionLimits;
  mailParams: HookContext['mailParams'];
  recipients: number;
  id: string;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  envelope: HookContext['envelope'];
  declare tlsInfo?: NonNullable<HookContext['tlsInfo']>;
  declare heloName?: string;
  declare user?: string;
  declare proxied?: NonNullable<HookContext['proxied']>;
  declare xclient?: NonNullable<HookContext['xclient']>;
  readonly #facts: ConnectionFacts;

  constructor(session: ServerSession | undefined, facts: ConnectionFacts) {
    const base = session?.context;
    const tlsInfo = session?.tlsInfo;
    this.phase = base?.phase ?? 'connected';
    this.greeting = base?.greeting;
    this.lmtp = base?.lmtp ?? false;
    this.tls = tlsInfo !== undefined;
    this.authenticated = base?.authenticated ?? false;
    this.limits = base?.limits ?? { commandLine: 512 };
    this.mailParams = base?.mailParams;
    this.recipients = base?.recipients ?? 0;
    this.id = facts.id;
    this.remoteAddress = facts.remoteAddress;
    this.remotePort = facts.remotePort;
    this.envelope = session?.envelope as HookContext['envelope'];
    this.#facts = facts;
    if (session === undefined) return;
    if (tlsInfo !== undefined) this.tlsInfo = tlsInfo as NonNullable<HookContext['tlsInfo']>;
    const heloName = session.heloName;
    if (heloName !== undefined) this.heloName = heloName;
    const user = session.user;
    if (user !== undefined) this.user = user;
    const proxied = facts.proxied;
    if (proxied !== undefined) this.proxied = proxied;
    const xclient = xclientAttributesOf(session.forwardedClient);
    if (xclient !== undefined) this.xclient = xclient;
  }

  get localAddress(): string | undefined {
    return this.#facts.localEndpoint().address;
  }

  get localPort(): number | undefined {
    return this.#facts.localEndpoint().port;
  }

  get signal(): AbortSignal {
    return this.#facts.signal;
  }
}

/**
 * The `ctx` of a hook call: the session's facts now, the connection's (`facts`, read as they are
 * now; the local endpoint and the signal when a hook first reads them).
 *
 * @example
 * ```ts
 * const ctx = buildHookContext(session, connection); // the connection implements ConnectionFacts
 * ```
 */
export function buildHookContext(
  session: ServerSession | undefined,
  facts: ConnectionFacts,
): HookContext {
  return new ConnectionHookContext(session, facts) as HookContext;
}
