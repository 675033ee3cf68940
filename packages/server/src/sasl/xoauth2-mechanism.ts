import { encodeBase64, utf8DecodeStrict } from './base64.js';
import { createCredentials, type SaslCredentials } from './sasl-credentials.js';
import {
  outOfOrder,
  readClientResponse,
  responseFailure,
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  steps,
  success,
  verdictFailure,
} from './sasl-mechanism.js';
import { saslReplies } from './sasl-replies.js';

/*
 * Google's XOAUTH2 (developers.google.com/gmail/imap/xoauth2-protocol):
 *   base64("user=" {User} "^Aauth=Bearer " {Access Token} "^A^A")   where ^A is Control+A (\x01).
 * On failure the server sends a 334 challenge holding base64 JSON such as
 *   {"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}
 * and the client "should send an empty response" before the server sends the final failure.
 */

/** The decoded XOAUTH2 initial client response. */
export interface Xoauth2Message {
  readonly username: string;
  readonly token: string;
}

/**
 * Parses `user=...^Aauth=Bearer ...^A^A`; `undefined` if it does not match.
 *
 * @example
 * ```ts
 * parseXoauth2Message('user=a@b.c\x01auth=Bearer ya29.x\x01\x01');
 * // { username: 'a@b.c', token: 'ya29.x' }
 * ```
 */
export function parseXoauth2Message(text: string): Xoauth2Message | undefined {
  if (!text.endsWith('\x01\x01') || text.includes('\0')) return undefined;
  let username: string | undefined;
  let token: string | undefined;
  for (const field of text.slice(0, -2).split('\x01')) {
    const eq = field.indexOf('=');
    if (eq <= 0) return undefined;
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (key === 'user') {
      if (username !== undefined) return undefined;
      username = value;
    } else if (key === 'auth') {
      if (token !== undefined) return undefined;
      // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive.
      const m = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(value);
      if (m === null) return undefined;
      token = m[1];
    }
  }
  if (username === undefined || username === '' || token === undefined) return undefined;
  return { username, token };
}

/** The JSON error sent when the verifier gives none. */
export const DEFAULT_XOAUTH2_ERROR = '{"status":"401","schemes":"bearer"}';

type Xoauth2State = 'initial' | 'awaiting-response' | 'verifying' | 'awaiting-error-ack' | 'done';

class Xoauth2Mechanism implements SaslServerMechanism {
  readonly name = 'XOAUTH2';
  #state: Xoauth2State = 'initial';
  #credentials: SaslCredentials | undefined;
  #failure = steps.invalid;

  start(initialResponse: string | undefined): SaslStep {
    if (this.#state !== 'initial') outOfOrder(this.name, 'start', this.#state);
    if (initialResponse === undefined) {
      this.#state = 'awaiting-response';
      return { kind: 'challenge', data: '' };
    }
    return this.#message(initialResponse, true);
  }

  next(clientLine: string): SaslStep {
    if (this.#state === 'awaiting-response') return this.#message(clientLine, false);
    if (this.#state !== 'awaiting-error-ack') outOfOrder(this.name, 'next', this.#state);
    // Whatever the client answers to the error challenge (an empty line, or '*'), it failed.
    this.#state = 'done';
    return this.#failure;
  }

  verified(verdict: SaslVerdict): SaslStep {
    if (this.#state !== 'verifying' || this.#credentials === undefined)
      outOfOrder(this.name, 'verified', this.#state);
    if (verdict.kind === 'reject') {
      this.#state = 'awaiting-error-ack';
      this.#failure = {
        kind: 'failed',
        reply: verdict.reply ?? saslReplies.R535_5_7_8_AuthCredentialsInvalid,
      };
      return { kind: 'challenge', data: encodeBase64(verdict.errorJson ?? DEFAULT_XOAUTH2_ERROR) };
    }
    this.#state = 'done';
    return verdict.kind === 'accept' ? success(this.#credentials) : verdictFailure(verdict);
  }

  secrets(): SaslStep {
    return outOfOrder(this.name, 'secrets', this.#state);
  }

  #message(line: string, initial: boolean): SaslStep {
    const response = readClientResponse(line, initial);
    this.#state = 'done';
    if (response.kind !== 'data') return responseFailure(response);
    const text = utf8DecodeStrict(response.bytes);
    const message = text === undefined ? undefined : parseXoauth2Message(text);
    if (message === undefined) return steps.malformed;
    this.#credentials = createCredentials({
      mechanism: this.name,
      username: message.username,
      token: message.token,
    });
    this.#state = 'verifying';
    return { kind: 'verify', credentials: this.#credentials };
  }
}

/**
 * A server-side XOAUTH2 exchange. On a `reject` verdict the mechanism first sends the JSON error
 * in a 334 challenge and fails (535 5.7.8) after the client's empty answer.
 *
 * @example
 * ```ts
 * const m = createXoauth2Mechanism();
 * m.start(encodeBase64('user=a@b.c\x01auth=Bearer t0k\x01\x01')); // { kind: 'verify', ... }
 * ```
 */
export function createXoauth2Mechanism(): SaslServerMechanism {
  return new Xoauth2Mechanism();
}
