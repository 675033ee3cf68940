import { replies } from '@smtpkit/reply';
import { ClientError, isClientError } from '../client-error.js';
import type { MxTarget } from './mx-resolve.js';

/**
 * What one attempt on a target came to, as the caller's `tryTarget` tells it:
 *
 * - `accepted`: connected and greeted with 2xx; `value` (say, the open connection) is returned;
 * - `next`: a connection failure (refused, unreachable, timed out) or a 4xx greeting: RFC 5321
 *   §5.1 says try the next address;
 * - `stop`: a permanent failure: no other address is tried.
 *
 * `error` is what went wrong; a {@link ClientError} keeps its reply in the final error.
 */
export type MxAttemptOutcome<T> =
  | { readonly type: 'accepted'; readonly value: T }
  | { readonly type: 'next'; readonly error: unknown }
  | { readonly type: 'stop'; readonly error: unknown };

/** What `tryTarget` is given besides the address and the port. */
export interface MxAttemptContext {
  readonly target: MxTarget;
  /**
   * Aborted when `attemptTimeoutMs` passes: close whatever the attempt opened. What the attempt
   * resolves with after that is ignored, an accepted connection included.
   */
  readonly signal: AbortSignal;
}

/** One attempt, as reported by {@link tryMxTargets} and to `onAttempt`. */
export interface MxAttempt {
  readonly target: MxTarget;
  readonly port: number;
  readonly outcome: 'accepted' | 'next' | 'stop' | 'timeout';
  readonly error?: unknown;
  readonly elapsedMs: number;
}

/** Options of {@link tryMxTargets}. */
export interface TryMxOptions {
  /** The SMTP port of every target. Default 25 (tests use a high port). */
  readonly port?: number;
  /**
   * Bound on one attempt; past it the attempt counts as a connection failure, its signal is
   * aborted and the next target is tried. Default {@link DEFAULT_MX_ATTEMPT_TIMEOUT_MS}.
   */
  readonly attemptTimeoutMs?: number;
  /** Called after every attempt (for logs and diagnostics). */
  readonly onAttempt?: (attempt: MxAttempt) => void;
}

/** The connect timeout plus RFC 5321 §4.5.3.2.1's 5 minutes for the greeting. */
export const DEFAULT_MX_ATTEMPT_TIMEOUT_MS = 330_000;

/** The target that accepted, what `tryTarget` gave for it, and every attempt made. */
export interface MxSuccess<T> {
  readonly value: T;
  readonly target: MxTarget;
  readonly attempts: readonly MxAttempt[];
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', `not a TCP port: ${port}`);
  }
  return port;
}

/**
 * Tries `targets` in order (from `resolveMxTargets`): `tryTarget(address, port, context)` for
 * each, moving to the next on `next` or after `attemptTimeoutMs`, until one is `accepted` (its
 * value is returned) or one says `stop`. An exception thrown by `tryTarget` is not a delivery
 * outcome: it propagates at once.
 *
 * Fails with `ERR_CLIENT_MX_FAILED`: permanent after `stop`, temporary when every target failed.
 * Its reply is the last attempt's reply when that error was a `ClientError` with one (a 4xx or
 * 5xx greeting), else 554 5.4.4 (permanent) or 451 4.4.1 (no answer from host); its cause is the
 * last attempt's error.
 *
 * @example
 * ```ts
 * import { resolveMxTargets, tryMxTargets } from '@smtpkit/client';
 * const route = await resolveMxTargets('example.com');
 * const { target } = await tryMxTargets(route.targets, async (address, port) => {
 *   const ok = await probe(address, port); // your connection: true on a 2xx greeting
 *   return ok ? { type: 'accepted', value: address } : { type: 'next', error: new Error('refused') };
 * });
 * console.log(target.host);
 * ```
 */
export async function tryMxTargets<T>(
  targets: readonly MxTarget[],
  tryTarget: (
    address: string,
    port: number,
    context: MxAttemptContext,
  ) => Promise<MxAttemptOutcome<T>>,
  options: TryMxOptions = {},
): Promise<MxSuccess<T>> {
  const port = checkPort(options.port ?? 25);
  const limit = options.attemptTimeoutMs ?? DEFAULT_MX_ATTEMPT_TIMEOUT_MS;
  if (!(limit > 0)) {
    throw new ClientError(
      'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      'attemptTimeoutMs must be positive',
    );
  }
  if (targets.length === 0) {
    throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', 'no MX target to try');
  }
  const attempts: MxAttempt[] = [];
  const record = (attempt: MxAttempt): void => {
    attempts.push(attempt);
    options.onAttempt?.(attempt);
  };
  for (const target of targets) {
    const started = performance.now();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limit);
    });
    let outcome: MxAttemptOutcome<T> | 'timeout';
    try {
      outcome = await Promise.race([
        tryTarget(target.address, port, { target, signal: controller.signal }),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
    const elapsedMs = performance.now() - started;
    if (outcome === 'timeout') {
      controller.abort();
      const error = new ClientError(
        'ERR_CLIENT_MX_FAILED',
        `${target.host} [${target.address}]:${port}: no outcome within ${limit} ms`,
        { permanent: false },
      );
      record({ target, port, outcome: 'timeout', error, elapsedMs });
      continue;
    }
    if (outcome.type === 'accepted') {
      record({ target, port, outcome: 'accepted', elapsedMs });
      return { value: outcome.value, target, attempts };
    }
    record({ target, port, outcome: outcome.type, error: outcome.error, elapsedMs });
    if (outcome.type === 'stop') throw failure(attempts, true);
  }
  throw failure(attempts, false);
}

function failure(attempts: readonly MxAttempt[], permanent: boolean): ClientError {
  const last = attempts[attempts.length - 1] as MxAttempt;
  const cause = last.error;
  const reply =
    isClientError(cause) && cause.reply !== undefined
      ? cause.reply
      : permanent
        ? replies.R554_5_4_4_UnableToRoute
        : replies.R451_4_4_1_NoAnswerFromHost;
  const where = `${last.target.host} [${last.target.address}]:${last.port}`;
  const message = permanent
    ? `${where} failed permanently: ${describe(cause)}`
    : `no MX target accepted (${attempts.length} tried); last, ${where}: ${describe(cause)}`;
  return new ClientError('ERR_CLIENT_MX_FAILED', message, { reply, permanent, cause });
}
