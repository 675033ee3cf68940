import type { Reply } from '@smtpkit/reply';
import type { SaslCredentials } from '@smtpkit/sasl';
import type { Envelope } from './server-state.js';

/**
 * The hooks a session may ask the application about. Extension hooks (`etrn`, …) use their own
 * names, given by the extension.
 *
 * @example
 * ```ts
 * const h: AskHook = 'rcpt';
 * ```
 */
export type AskHook =
  | 'connect'
  | 'helo'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'vrfy'
  | 'expn'
  | 'auth'
  | 'auth-lookup'
  | (string & {});

/**
 * An event from {@link ServerSession}: what the I/O layer must do.
 *
 * - `write`: send `bytes` (the formatted `reply`).
 * - `ask`: call the application's hook `hook` with `payload`, then `session.decide(id, decision)`.
 *   For `data` the payload is the envelope and the body follows as `body` events.
 * - `body` / `body-end` / `body-abort`: the unstuffed message for the pending `data` ask.
 * - `starttls`: upgrade the socket now (the 220 was written just before), then `tlsEstablished`.
 * - `close`: end the connection after the writes before it.
 * - `command`: a command was read (only with `observe: true`, for diagnostics).
 * - `log`: something worth a log line; never carries AUTH secrets.
 *
 * @example
 * ```ts
 * for (const e of session.receive(bytes)) if (e.type === 'write') socket.write(e.bytes);
 * ```
 */
export type SessionEvent =
  | { readonly type: 'write'; readonly bytes: Uint8Array; readonly reply: Reply }
  | { readonly type: 'ask'; readonly id: number; readonly hook: AskHook; readonly payload: unknown }
  | { readonly type: 'body'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly type: 'body-end'; readonly id: number; readonly size: number }
  | { readonly type: 'body-abort'; readonly id: number; readonly reply: Reply }
  | { readonly type: 'starttls' }
  | { readonly type: 'close'; readonly reason: CloseReason }
  | { readonly type: 'command'; readonly verb: string; readonly phase: string }
  | {
      readonly type: 'log';
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly message: string;
      readonly data?: Readonly<Record<string, unknown>>;
    };

/**
 * Why the session closes.
 *
 * @example
 * ```ts
 * const r: CloseReason = 'quit';
 * ```
 */
export type CloseReason =
  | 'quit'
  | 'refused'
  | 'early-talker'
  | 'http-probe'
  | 'too-many-errors'
  | 'too-many-unknown-commands'
  | 'timeout'
  | 'shutdown'
  | 'protocol'
  | 'peer-closed';

export type { Decision } from './decision.js';

/**
 * Payload of the `auth` ask: the credentials to verify (secrets non-enumerable and redacted).
 *
 * @example
 * ```ts
 * const ok = payload.credentials.username === 'tim';
 * ```
 */
export interface AuthAskPayload {
  readonly credentials: SaslCredentials;
}

/**
 * Payload of the `data` ask.
 *
 * @example
 * ```ts
 * if (e.type === 'ask' && e.hook === 'data') (e.payload as DataAskPayload).envelope.recipients;
 * ```
 */
export interface DataAskPayload {
  readonly envelope: Envelope;
  /** `DATA` or `BDAT`. */
  readonly via: 'DATA' | 'BDAT';
}
