import { SaslError } from '../sasl-error.js';

/**
 * One client-side SASL exchange: what to put after `AUTH <name>`, and how to answer each 334
 * challenge. All values are base64 text, ready for the wire.
 *
 * @example
 * ```ts
 * const m = createPlainClient({ username: 'tim', password: 'tanstaaf' });
 * `AUTH ${m.name} ${m.initialResponse()}`; // 'AUTH PLAIN AHRpbQB0YW5zdGFhZg=='
 * ```
 */
export interface SaslClientMechanism {
  readonly name: string;
  /** The initial response (`=` for an empty one), or `undefined` to send none. */
  initialResponse(): string | undefined;
  /** The response line to a 334 challenge (its base64 text, possibly empty). */
  respond(challenge: string): string;
  /** Call on 235: throws when the mechanism has not authenticated the server (SCRAM). */
  complete(): void;
}

/** Refuses values that would break the encoding or the wire (NUL, CR, LF). */
export function checkClientValue(field: string, value: string, allowEmpty = false): void {
  if (!allowEmpty && value === '')
    throw new SaslError('ERR_SASL_MISUSE_OPTION', `${field} must not be empty`);
  if (/[\0\r\n]/.test(value))
    throw new SaslError('ERR_SASL_MISUSE_OPTION', `${field} must not contain NUL, CR or LF`);
}
