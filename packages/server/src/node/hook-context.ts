import { xclientAttributesOf } from '../proxy/xclient-extension.js';
import type { ServerSession } from '../session/index.js';
import type { HookContext } from './server-options.js';

/** What the connection knows that the session does not. */
export interface ConnectionFacts {
  readonly id: string;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** The local endpoint, read when a hook first asks (a `getsockname` call saved otherwise). */
  readonly local: () => { readonly address: string | undefined; readonly port: number | undefined };
  readonly proxied: HookContext['proxied'];
  /** The connection's abort signal, made when a hook first reads `ctx.signal`. */
  readonly signal: () => AbortSignal;
}

/**
 * The `ctx` of a hook call: one object literal (no spread), since hooks run per command. The
 * local address and port are getters: most hooks never read them, and the first read costs a
 * system call. So is `signal`: the connection's AbortController is made on first read.
 *
 * @example
 * ```ts
 * const ctx = buildHookContext(session, { id, remoteAddress, remotePort, local: () => ({ address, port }), proxied: undefined, signal: () => controller.signal });
 * ```
 */
export function buildHookContext(
  session: ServerSession | undefined,
  facts: ConnectionFacts,
): HookContext {
  const base = session?.context;
  const tlsInfo = session?.tlsInfo;
  const ctx: { -readonly [K in keyof HookContext]?: HookContext[K] } = {
    phase: base?.phase ?? 'connected',
    greeting: base?.greeting,
    lmtp: base?.lmtp ?? false,
    tls: tlsInfo !== undefined,
    authenticated: base?.authenticated ?? false,
    limits: base?.limits ?? { commandLine: 512 },
    mailParams: base?.mailParams,
    recipients: base?.recipients ?? 0,
    id: facts.id,
    remoteAddress: facts.remoteAddress,
    remotePort: facts.remotePort,
    get localAddress() {
      return facts.local().address;
    },
    get localPort() {
      return facts.local().port;
    },
    get signal() {
      return facts.signal();
    },
    envelope: session?.envelope as HookContext['envelope'],
  };
  if (tlsInfo !== undefined) ctx.tlsInfo = tlsInfo as NonNullable<HookContext['tlsInfo']>;
  if (session?.heloName !== undefined) ctx.heloName = session.heloName;
  if (session?.user !== undefined) ctx.user = session.user;
  if (facts.proxied !== undefined) ctx.proxied = facts.proxied;
  const xclient = xclientAttributesOf(session?.forwardedClient);
  if (xclient !== undefined) ctx.xclient = xclient;
  return ctx as HookContext;
}
