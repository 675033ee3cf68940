import type { Reply } from '@smtpkit/reply';
import { decodeBase64Strict } from './base64.js';
import type { SaslCredentials } from './sasl-credentials.js';
import { SaslError } from './sasl-error.js';
import { saslReplies } from './sasl-replies.js';

/**
 * What a server mechanism asks its driver (the session) to do next.
 * - `challenge`: send `334 <data>` (base64, possibly empty) and pass the client's next line to
 *   `next()`.
 * - `verify`: ask the application's verifier about `credentials`, then pass its verdict to
 *   `verified()`.
 * - `lookup`: SCRAM only: fetch the stored SCRAM secrets of `username` and pass them (or
 *   `undefined` for an unknown user) to `secrets()`.
 * - `success`: send `reply` (235 2.7.0); the client is authenticated as `credentials`.
 * - `failed` / `cancelled`: send `reply`; the exchange is over.
 */
export type SaslStep =
  | { readonly kind: 'challenge'; readonly data: string }
  | { readonly kind: 'verify'; readonly credentials: SaslCredentials }
  | { readonly kind: 'lookup'; readonly username: string; readonly authorizationIdentity?: string }
  | { readonly kind: 'success'; readonly credentials: SaslCredentials; readonly reply: Reply }
  | { readonly kind: 'failed'; readonly reply: Reply }
  | { readonly kind: 'cancelled'; readonly reply: Reply };

/**
 * The verifier's answer for a `verify` step.
 * - `accept`: the credentials are good (and the identity may act as the authorization identity).
 * - `reject`: bad credentials (535 5.7.8 unless `reply` says otherwise). XOAUTH2 sends
 *   `errorJson` to the client in a 334 before failing (Google's XOAUTH2 protocol).
 * - `temporary`: the verifier could not decide now (454 4.7.0 unless `reply` says otherwise).
 */
export type SaslVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly reply?: Reply; readonly errorJson?: string }
  | { readonly kind: 'temporary'; readonly reply?: Reply };

/**
 * Stored SCRAM secrets of one user (RFC 5802 §5 "StoredKey" and "ServerKey"), so that the server
 * never needs the clear password. Build them with `scramCredentials(password, salt, iterations)`.
 */
export interface ScramStoredSecrets {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

/**
 * One server-side SASL exchange: a pure state machine. Create a fresh one per AUTH command.
 *
 * @example
 * ```ts
 * const m = createPlainMechanism();
 * let step = m.start('AHRpbQB0YW5zdGFhZg==');       // { kind: 'verify', credentials }
 * step = m.verified({ kind: 'accept' });            // { kind: 'success', reply: 235 2.7.0 }
 * ```
 */
export interface SaslServerMechanism {
  /** The mechanism name as advertised in EHLO (`AUTH PLAIN LOGIN ...`). */
  readonly name: string;
  /** Begins the exchange; `initialResponse` is the AUTH command's argument (`=` means empty). */
  start(initialResponse: string | undefined): SaslStep;
  /** Feeds the client's line after a `challenge` step (CRLF removed). */
  next(clientLine: string): SaslStep;
  /** Feeds the verifier's verdict after a `verify` step. */
  verified(verdict: SaslVerdict): SaslStep;
  /** Feeds the stored secrets after a `lookup` step (SCRAM); other mechanisms throw. */
  secrets(stored: ScramStoredSecrets | undefined): SaslStep;
}

/*
 * RFC 4954 §4: "(At the time of writing of this document, 12288 octets is considered to be a
 * sufficient line length limit for handling of deployed authentication mechanisms.) If, during an
 * authentication exchange, the server receives a line that is longer than the server's
 * authentication buffer, the server fails the AUTH command with the 500 reply. Servers using the
 * enhanced status codes extension [ESMTP-CODES] SHOULD return an enhanced status code of 5.5.6 in
 * this case."
 */
/** The longest base64 response a mechanism decodes (RFC 4954 §4 line limit). */
export const SASL_MAX_RESPONSE_LENGTH = 12288;

/** The result of reading one client response line (RFC 4954 §4). */
export type ClientResponse =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'too-long' }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'invalid' };

/**
 * Reads a client response line: `*` cancels, `=` as an initial response stands for an empty
 * one, anything else must be strict base64.
 *
 * RFC 4954 §4: "If the client wishes to cancel the authentication exchange, it issues a line with
 * a single '*'." ... "If the client is transmitting an initial response of zero length, it MUST
 * instead transmit the response as a single equals sign ("="). This indicates that the response
 * is present, but contains no data."
 *
 * @example
 * ```ts
 * readClientResponse('*', false).kind;  // 'cancel'
 * readClientResponse('=', true);        // { kind: 'data', bytes: Uint8Array [] }
 * ```
 */
export function readClientResponse(line: string, initial: boolean): ClientResponse {
  if (!initial && line === '*') return { kind: 'cancel' };
  if (line.length > SASL_MAX_RESPONSE_LENGTH) return { kind: 'too-long' };
  if (initial && line === '=') return { kind: 'data', bytes: new Uint8Array(0) };
  const bytes = decodeBase64Strict(line);
  return bytes === undefined ? { kind: 'invalid' } : { kind: 'data', bytes };
}

/** The terminal step for a `cancel`, `too-long` or `invalid` response. */
export function responseFailure(response: Exclude<ClientResponse, { kind: 'data' }>): SaslStep {
  if (response.kind === 'cancel') return steps.cancelled;
  if (response.kind === 'too-long') return steps.tooLong;
  return steps.undecodable;
}

/** Shared terminal steps. */
export const steps = {
  cancelled: { kind: 'cancelled', reply: saslReplies.R501_5_0_0_AuthCancelled } as SaslStep,
  undecodable: { kind: 'failed', reply: saslReplies.R501_5_5_2_CannotDecodeResponse } as SaslStep,
  malformed: { kind: 'failed', reply: saslReplies.R501_5_5_2_MalformedResponse } as SaslStep,
  tooLong: { kind: 'failed', reply: saslReplies.R500_5_5_6_AuthLineTooLong } as SaslStep,
  invalid: { kind: 'failed', reply: saslReplies.R535_5_7_8_AuthCredentialsInvalid } as SaslStep,
} as const;

/** Turns a non-accept verdict into the terminal step. */
export function verdictFailure(verdict: Exclude<SaslVerdict, { kind: 'accept' }>): SaslStep {
  if (verdict.kind === 'temporary')
    return { kind: 'failed', reply: verdict.reply ?? saslReplies.R454_4_7_0_TemporaryAuthFailure };
  return { kind: 'failed', reply: verdict.reply ?? saslReplies.R535_5_7_8_AuthCredentialsInvalid };
}

/** The success step for credentials. */
export function success(credentials: SaslCredentials): SaslStep {
  return { kind: 'success', credentials, reply: saslReplies.R235_2_7_0_AuthenticationSucceeded };
}

/** Throws the API-misuse error for a call in the wrong state. */
export function outOfOrder(mechanism: string, call: string, state: string): never {
  throw new SaslError(
    'ERR_SASL_MISUSE_STATE',
    `${mechanism}: ${call}() called in state '${state}'`,
  );
}
