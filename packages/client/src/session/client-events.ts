import type { ForwardPath, ReversePath } from '@smtpkit/address';
import type { BodyType, ServerCapabilities } from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import type { ClientError } from '../client-error.js';

/**
 * What to send: the envelope (RFC 5321 §2.3.1) and what the message needs from the server.
 * `mailParams` and `rcptParams[i]` are typed parameter values for the extensions the session's
 * registry knows (`{ RET: 'HDRS', ENVID: '…' }` for DSN); parameters a server did not offer are
 * not sent (and reported as `unsent`).
 *
 * @example
 * ```ts
 * const envelope: SendEnvelope = {
 *   from: { kind: 'mailbox', mailbox: parseMailbox('a@example.org') },
 *   to: [{ kind: 'mailbox', mailbox: parseMailbox('b@example.com') }],
 * };
 * ```
 */
export interface SendEnvelope {
  readonly from: ReversePath;
  readonly to: readonly ForwardPath[];
  readonly mailParams?: Readonly<Record<string, unknown>>;
  readonly rcptParams?: readonly (Readonly<Record<string, unknown>> | undefined)[];
  /** The message's size in octets, declared with SIZE when offered (RFC 1870). */
  readonly size?: number;
  /** `8BITMIME` (RFC 6152) or `BINARYMIME` (RFC 3030, needs BDAT). */
  readonly body?: BodyType;
  /** UTF-8 addresses or headers (RFC 6531); set for you when an address needs it. */
  readonly smtputf8?: boolean;
  /** RFC 8689: the message must travel over TLS only. */
  readonly requireTls?: boolean;
}

/** One recipient's outcome: its RCPT reply and, for LMTP, its own reply after the message. */
export interface RecipientResult {
  readonly recipient: ForwardPath;
  /** The reply to its RCPT command. */
  readonly reply: Reply;
  /** RCPT accepted and (LMTP: its own final reply, SMTP: the message) accepted. */
  readonly accepted: boolean;
  /** LMTP (RFC 2033 §4.2): this recipient's reply after the message. */
  readonly final?: Reply;
}

/**
 * A finished transaction. Partial acceptance is a normal outcome: look at each recipient.
 * `message` is the reply to the end of the message (SMTP), `undefined` when no message was sent
 * (MAIL refused, no recipient accepted).
 */
export interface TransactionResult {
  readonly mail: Reply;
  readonly recipients: readonly RecipientResult[];
  readonly message: Reply | undefined;
  /** Keywords of parameters not sent because the server did not offer them (DSN → "relayed"). */
  readonly unsent: readonly string[];
  /** `DATA` or `BDAT`: how the message went. */
  readonly via: 'DATA' | 'BDAT' | undefined;
}

/**
 * Why a client session ended.
 *
 * @example
 * ```ts
 * const r: ClientCloseReason = 'quit';
 * ```
 */
export type ClientCloseReason = 'quit' | 'refused' | 'protocol' | 'server-closed' | 'shutdown';

/**
 * An event from {@link ClientSession}: what the I/O layer must do, or what happened.
 *
 * - `write`: send `bytes` to the server.
 * - `greeting`: the server's 220 (or refusal) arrived.
 * - `ready`: EHLO/LHLO (or the HELO fallback) succeeded; `capabilities` are the server's.
 * - `starttls`: the server said 220 to STARTTLS: upgrade the socket now, then `tlsEstablished()`.
 * - `authenticated`: AUTH succeeded.
 * - `body-wanted`: send the message body now through `bodyChunk()` / `bodyEnd()`.
 * - `sent`: a transaction finished (see each recipient).
 * - `reply`: the reply to RSET or NOOP.
 * - `error`: the operation in progress failed; the session stays usable unless `close` follows.
 * - `received`: a reply was read (with `observe: true`, for transcripts).
 * - `command`: a command is about to be written, its verb only (with `observe: true`); never
 *   the arguments, and nothing for the SASL response lines of AUTH.
 * - `close`: the session is over; close the connection after the writes before it.
 *
 * @example
 * ```ts
 * for (const e of session.receive(bytes)) if (e.type === 'write') socket.write(e.bytes);
 * ```
 */
export type ClientEvent =
  | { readonly type: 'write'; readonly bytes: Uint8Array }
  | { readonly type: 'greeting'; readonly reply: Reply }
  | {
      readonly type: 'ready';
      readonly reply: Reply;
      readonly capabilities: ServerCapabilities;
    }
  | { readonly type: 'starttls' }
  | { readonly type: 'authenticated'; readonly reply: Reply }
  | { readonly type: 'body-wanted'; readonly via: 'DATA' | 'BDAT' }
  | { readonly type: 'sent'; readonly result: TransactionResult }
  | { readonly type: 'reply'; readonly reply: Reply }
  | { readonly type: 'error'; readonly error: ClientError }
  | { readonly type: 'received'; readonly reply: Reply }
  | { readonly type: 'command'; readonly verb: string }
  | { readonly type: 'close'; readonly reason: ClientCloseReason };
