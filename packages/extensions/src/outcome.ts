import type { Reply } from '@smtpkit/reply';

/**
 * A parser's verdict as a value: the typed result, or the reply to send to the peer. Peer
 * misbehaviour is never thrown.
 *
 * `discard` (octets following the command line to read and drop, as a rejected `BDAT` chunk is,
 * RFC 3030 §2) and `close` (the session cannot stay in step with the peer) are hints for the
 * server session.
 *
 * @example
 * ```ts
 * import { accept, reject, type Outcome } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * const digits = (v: string): Outcome<number> =>
 *   /^[0-9]{1,9}$/.test(v) ? accept(Number(v)) : reject(replies.R501_5_5_4_SyntaxErrorInParameters);
 * ```
 */
export type Outcome<T> = Accepted<T> | Rejected;

/** The success side of an {@link Outcome}. */
export interface Accepted<T> {
  readonly ok: true;
  readonly value: T;
}

/** The failure side of an {@link Outcome}: the reply the server sends. */
export interface Rejected {
  readonly ok: false;
  readonly reply: Reply;
  readonly discard?: number;
  readonly close?: boolean;
}

/**
 * Wraps a parsed value.
 *
 * @example
 * ```ts
 * import { accept } from '@smtpkit/extensions';
 * accept(42); // { ok: true, value: 42 }
 * ```
 */
export function accept<T>(value: T): Accepted<T> {
  return { ok: true, value };
}

/**
 * Wraps the reply for a refused value.
 *
 * @example
 * ```ts
 * import { reject } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * reject(replies.R501_5_5_4_SyntaxErrorInParameters);
 * ```
 */
export function reject(reply: Reply, hints?: { discard?: number; close?: boolean }): Rejected {
  if (hints === undefined) return { ok: false, reply };
  return { ok: false, reply, ...hints };
}
