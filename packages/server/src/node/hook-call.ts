import { isReply, isReplyException } from '@smtpkit/reply';
import type { AuthAskPayload, Decision } from '../session/index.js';
import type {
  HookContext,
  IncomingMessage,
  ServerAuthOptions,
  ServerHooks,
} from './server-options.js';

type HookFn = (...args: unknown[]) => unknown;
/** The hooks as the connection calls them (their types are checked where the user writes them). */
interface AnyHooks {
  readonly connect?: HookFn;
  readonly helo?: HookFn;
  readonly mail?: HookFn;
  readonly rcpt?: HookFn;
  readonly data?: HookFn;
  readonly [hook: string]: HookFn | undefined;
}

/**
 * Calls the application hook a session `ask` names, with the arguments of the public hook
 * signature (`mail(ctx, reversePath, params)`, …). `auth` and `auth-lookup` go to
 * `options.auth.verify` / `lookup`; any other name is an extension hook `(ctx, payload)`.
 *
 * @example
 * ```ts
 * callHook(hooks, undefined, 'rcpt', ctx, { forwardPath, params }); // hooks.rcpt(ctx, forwardPath, params)
 * ```
 */
export function callHook(
  serverHooks: ServerHooks,
  auth: ServerAuthOptions | undefined,
  hook: string,
  ctx: HookContext,
  payload: unknown,
  message: IncomingMessage | undefined,
): unknown {
  const hooks = serverHooks as AnyHooks;
  switch (hook) {
    case 'connect':
      return hooks.connect?.(ctx);
    case 'helo':
      return hooks.helo?.(ctx, (payload as { domain: string }).domain);
    case 'mail': {
      const p = payload as { reversePath: unknown; params: unknown };
      return hooks.mail?.(ctx, p.reversePath, p.params);
    }
    case 'rcpt': {
      const p = payload as { forwardPath: unknown; params: unknown };
      return hooks.rcpt?.(ctx, p.forwardPath, p.params);
    }
    case 'vrfy':
    case 'expn':
      return hooks[hook]?.(ctx, (payload as { argument: string }).argument);
    case 'data':
      return hooks.data?.(ctx, message);
    case 'auth':
      return auth?.verify?.((payload as AuthAskPayload).credentials, ctx) ?? false;
    case 'auth-lookup':
      return auth?.lookup?.((payload as { username: string }).username, ctx);
    default:
      return hooks[hook]?.(ctx, payload);
  }
}

/**
 * Runs the application hook a session `ask` names ({@link callHook}). A hook that returned a
 * plain value or threw has decided already: its {@link Decision} comes back at once, and the
 * session can be told without waiting for a turn of the microtask queue (a synchronous hook costs
 * no promise). A hook that returned a promise (or any thenable) gives a native promise of its
 * value.
 *
 * @example
 * ```ts
 * const started = startHook(hooks, undefined, 'mail', ctx, payload, undefined);
 * if (started instanceof Promise) started.then((value) => decide({ kind: 'resolved', value }), (e) => decide(rejectedDecision(e)));
 * else decide(started);
 * ```
 */
export function startHook(
  serverHooks: ServerHooks,
  auth: ServerAuthOptions | undefined,
  hook: string,
  ctx: HookContext,
  payload: unknown,
  message: IncomingMessage | undefined,
): Decision | Promise<unknown> {
  try {
    const value = callHook(serverHooks, auth, hook, ctx, payload, message);
    if (value instanceof Promise) return value;
    // A thenable of another kind (another realm's promise, a library's) is adopted: reading its
    // `then` may run the application's code, hence inside the try.
    if (isThenable(value)) return Promise.resolve(value);
    return { kind: 'resolved', value };
  } catch (error) {
    return rejectedDecision(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * How a hook that threw (or whose promise rejected) ended, as a session {@link Decision}: a
 * `ReplyException` gives its reply; any other throw is an `error` (451 4.3.0 and a log).
 *
 * A `ReplyException` is recognised by its brand, not by `instanceof`: the application may have
 * its own copy of `@smtpkit/reply` (loaded through `require()` while the server was imported, or
 * a second version nested by npm), whose class is not ours. Its reply was checked by that copy,
 * so it is checked again here: one that is not a valid reply is a failure like any other throw.
 *
 * @example
 * ```ts
 * rejectedDecision(new ReplyException(replies.R550_5_1_1_BadDestinationMailbox)); // { kind: 'reply', reply }
 * ```
 */
export function rejectedDecision(error: unknown): Decision {
  return isReplyException(error) && isReply(error.reply)
    ? { kind: 'reply', reply: error.reply }
    : { kind: 'error', error };
}
