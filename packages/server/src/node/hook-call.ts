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
  message: (() => IncomingMessage) | undefined,
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
      return hooks.data?.(ctx, message?.());
    case 'auth':
      return auth?.verify?.((payload as AuthAskPayload).credentials, ctx) ?? false;
    case 'auth-lookup':
      return auth?.lookup?.((payload as { username: string }).username, ctx);
    default:
      return hooks[hook]?.(ctx, payload);
  }
}

/**
 * Runs a hook and reports how it ended as a session {@link Decision}: resolved (with its value),
 * a thrown `ReplyException` (its reply), or any other throw (`error`: 451 4.3.0 and a log).
 *
 * A `ReplyException` is recognised by its brand, not by `instanceof`: the application may have
 * its own copy of `@smtpkit/reply` (loaded through `require()` while the server was imported, or
 * a second version nested by npm), whose class is not ours. Its reply was checked by that copy,
 * so it is checked again here: one that is not a valid reply is a failure like any other throw.
 *
 * @example
 * ```ts
 * settle(() => hooks.mail(ctx, from, params), (d) => handle(session.decide(id, d)));
 * ```
 */
export function settle(run: () => unknown, done: (decision: Decision) => void): void {
  let promise: Promise<unknown>;
  try {
    promise = Promise.resolve(run());
  } catch (error) {
    promise = Promise.reject(error);
  }
  promise.then(
    (value) => done({ kind: 'resolved', value }),
    (error: unknown) =>
      done(
        isReplyException(error) && isReply(error.reply)
          ? { kind: 'reply', reply: error.reply }
          : { kind: 'error', error },
      ),
  );
}
