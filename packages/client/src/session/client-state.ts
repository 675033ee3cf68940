import type { Reply } from '@smtpkit/reply';
import type { SaslClientMechanism } from '@smtpkit/sasl';
import type { DataEncoder } from '@smtpkit/wire';
import type { SendEnvelope } from './client-events.js';

/**
 * One mail transaction being sent: what was asked, how it goes, and the replies so far. Mutable
 * on purpose: replies fill it in as they arrive; it belongs to one session.
 */
export interface Transaction {
  readonly envelope: SendEnvelope;
  readonly via: 'DATA' | 'BDAT';
  /** Commands go in RFC 2920 groups (the server offered PIPELINING). */
  readonly pipelined: boolean;
  readonly unsent: readonly string[];
  /** The whole message, when it was given with the envelope; streamed otherwise. */
  readonly message: Uint8Array | undefined;
  mail: Reply | undefined;
  readonly rcpt: (Reply | undefined)[];
  /** The reply to the end of the message (or to the DATA / BDAT that refused it). */
  end: Reply | undefined;
  /** LMTP: one reply per accepted recipient after the message, in RCPT order. */
  readonly finals: Reply[];
  /** The reply of a BDAT chunk that failed: the message is refused whatever follows. */
  chunkFailure: Reply | undefined;
  /** Dot-stuffing state while a DATA body streams. */
  encoder: DataEncoder | undefined;
  /** DATA was accepted although no recipient was (RFC 2920 §3.1): an empty message was ended. */
  emptyMessage: boolean;
}

/**
 * Where the client session stands: one discriminated union; every change from one member to
 * another is a lookup in the transition table of `transitions.ts`, made in one place
 * (`ClientSession#fire`).
 *
 * - `connecting`: waiting for the server's greeting.
 * - `greeted`: greeted (or TLS just established): EHLO comes next.
 * - `hello`: EHLO, LHLO or the HELO fallback sent.
 * - `ready`: idle, the capabilities known; a transaction, STARTTLS, AUTH, RSET, NOOP or QUIT may
 *   start.
 * - `starttls` / `tls-handshake`: STARTTLS sent / the I/O layer upgrades the socket.
 * - `auth`: a SASL exchange.
 * - `envelope`: MAIL, RCPT (and DATA or a whole BDAT message) sent, their replies pending.
 * - `body`: the message body is being sent (after 354, or BDAT chunks).
 * - `message`: the body is complete; the final reply (LMTP: one per recipient) is pending.
 * - `rset`, `noop`, `quit`: that command sent.
 * - `closed`: nothing more is read or written.
 *
 * @example
 * ```ts
 * if (session.state.phase === 'ready') session.send(envelope, message);
 * ```
 */
export type ClientState =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'greeted' }
  | { readonly phase: 'hello'; readonly verb: 'EHLO' | 'LHLO' | 'HELO' }
  | { readonly phase: 'ready' }
  | { readonly phase: 'starttls' }
  | { readonly phase: 'tls-handshake' }
  | { readonly phase: 'auth'; readonly mechanism: SaslClientMechanism }
  | { readonly phase: 'envelope'; readonly tx: Transaction }
  | { readonly phase: 'body'; readonly tx: Transaction }
  | { readonly phase: 'message'; readonly tx: Transaction }
  | { readonly phase: 'rset' }
  | { readonly phase: 'noop' }
  | { readonly phase: 'quit' }
  | { readonly phase: 'closed' };

/** A reply the session waits for, in the order the commands were sent. */
export type Expectation =
  | { readonly kind: 'greeting' }
  | { readonly kind: 'hello' }
  | { readonly kind: 'starttls' }
  | { readonly kind: 'auth' }
  | { readonly kind: 'mail' }
  | { readonly kind: 'rcpt'; readonly index: number }
  | { readonly kind: 'data' }
  | { readonly kind: 'chunk' }
  | { readonly kind: 'end' }
  | { readonly kind: 'rset' }
  | { readonly kind: 'noop' }
  | { readonly kind: 'quit' };
