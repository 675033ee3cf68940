import { encodeBase64 } from './base64.js';
import {
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  steps,
} from './sasl-mechanism.js';
import { saslReplies } from './sasl-replies.js';
import { SingleVerifyMechanism } from './single-verify-mechanism.js';

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

class Xoauth2Mechanism extends SingleVerifyMechanism<'awaiting-response' | 'awaiting-error-ack'> {
  readonly name = 'XOAUTH2';
  #failure = steps.invalid;
  protected readonly answers = {
    'awaiting-response': (clientLine: string) => this.#message(clientLine, false),
    // Whatever the client answers to the error challenge (an empty line, or '*'), it failed.
    'awaiting-error-ack': () => this.finish(this.#failure),
  };

  protected firstChallenge() {
    return { state: 'awaiting-response', data: '' } as const;
  }

  protected initialResponse(response: string): SaslStep {
    return this.#message(response, true);
  }

  override verified(verdict: SaslVerdict): SaslStep {
    if (verdict.kind !== 'reject') return super.verified(verdict);
    this.expectVerifying();
    this.#failure = {
      kind: 'failed',
      reply: verdict.reply ?? saslReplies.R535_5_7_8_AuthCredentialsInvalid,
    };
    return this.challenge(
      'awaiting-error-ack',
      encodeBase64(verdict.errorJson ?? DEFAULT_XOAUTH2_ERROR),
    );
  }

  #message(line: string, initial: boolean): SaslStep {
    return this.readText(line, initial, (text) => {
      const message = parseXoauth2Message(text);
      if (message === undefined) return steps.malformed;
      return this.verify({ username: message.username, token: message.token });
    });
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
