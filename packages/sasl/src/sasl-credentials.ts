/** What replaces a secret in logs and serialised credentials. */
export const REDACTED = '[redacted]';

/** The outcome of a SCRAM proof check, carried in place of a secret (RFC 5802 §5). */
export interface ScramProofResult {
  /** The client proved knowledge of the password (ClientProof matched StoredKey). */
  readonly proofVerified: true;
  /** The iteration count the exchange used. */
  readonly iterations: number;
}

/** The fields of {@link SaslCredentials}, as given to {@link createCredentials}. */
export interface SaslCredentialFields {
  /** The SASL mechanism name, upper case (e.g. `PLAIN`). */
  readonly mechanism: string;
  /** The authentication identity (RFC 4422 §2: authcid). */
  readonly username: string;
  /** The identity to act as (RFC 4422 §2: authzid), when the client asked for one. */
  readonly authorizationIdentity?: string;
  /** PLAIN and LOGIN: the clear-text password. Secret. */
  readonly password?: string;
  /** CRAM-MD5: the lower-case hex HMAC-MD5 digest the client sent. Secret. */
  readonly digest?: string;
  /** CRAM-MD5: the challenge the digest answers. */
  readonly challenge?: string;
  /** XOAUTH2: the bearer token. Secret. */
  readonly token?: string;
  /** SCRAM-SHA-256: the proof was checked by the mechanism. */
  readonly scram?: ScramProofResult;
}

/**
 * What a mechanism hands to the verifier. The secret fields (`password`, `digest`, `token`) are
 * readable but not enumerable, and `toJSON`, `toString` and Node's inspection print them as
 * `[redacted]`, so logging a credentials object never leaks a secret.
 */
export interface SaslCredentials extends SaslCredentialFields {
  toJSON(): Record<string, unknown>;
  toString(): string;
}

const SECRET_FIELDS = ['password', 'digest', 'token'] as const;
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** The fields that hold no secret, in a fixed order; optional ones only when present. */
function publicFields(fields: SaslCredentialFields): Record<string, unknown> {
  return {
    mechanism: fields.mechanism,
    username: fields.username,
    ...(fields.authorizationIdentity === undefined
      ? {}
      : { authorizationIdentity: fields.authorizationIdentity }),
    ...(fields.challenge === undefined ? {} : { challenge: fields.challenge }),
    ...(fields.scram === undefined ? {} : { scram: fields.scram }),
  };
}

/**
 * Builds a {@link SaslCredentials} whose secrets are hidden from serialisation.
 *
 * @example
 * ```ts
 * const c = createCredentials({ mechanism: 'PLAIN', username: 'tim', password: 'tanstaaf' });
 * c.password;          // 'tanstaaf'
 * JSON.stringify(c);   // '{"mechanism":"PLAIN","username":"tim","password":"[redacted]"}'
 * ```
 */
export function createCredentials(fields: SaslCredentialFields): SaslCredentials {
  const target: object = publicFields(fields);
  for (const key of SECRET_FIELDS) {
    const value = fields[key];
    if (value !== undefined)
      Object.defineProperty(target, key, { value, enumerable: false, writable: false });
  }
  const redacted = (): Record<string, unknown> => redactCredentials(fields);
  Object.defineProperty(target, 'toJSON', { value: redacted, enumerable: false });
  Object.defineProperty(target, 'toString', {
    value: () => `SaslCredentials ${JSON.stringify(redacted())}`,
    enumerable: false,
  });
  Object.defineProperty(target, inspectSymbol, { value: redacted, enumerable: false });
  return Object.freeze(target) as unknown as SaslCredentials;
}

/**
 * A plain copy of credentials with every secret replaced by `[redacted]`, for loggers.
 *
 * @example
 * ```ts
 * redactCredentials({ mechanism: 'XOAUTH2', username: 'u', token: 't' });
 * // { mechanism: 'XOAUTH2', username: 'u', token: '[redacted]' }
 * ```
 */
export function redactCredentials(fields: SaslCredentialFields): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...publicFields(fields),
    ...(fields.scram === undefined ? {} : { scram: { ...fields.scram } }),
  };
  for (const key of SECRET_FIELDS) if (fields[key] !== undefined) out[key] = REDACTED;
  return out;
}

/**
 * Redacts a client line for logging: `AUTH <mech> <initial-response>` keeps the verb and the
 * mechanism; any other line of an AUTH exchange (a base64 response) is replaced whole, except the
 * cancel line `*` (RFC 4954 §4), which holds no secret.
 *
 * @example
 * ```ts
 * redactAuthLine('AUTH PLAIN AHRpbQB0YW5zdGFhZg=='); // 'AUTH PLAIN [redacted]'
 * redactAuthLine('dGFuc3RhYWY=');                    // '[redacted]'
 * ```
 */
export function redactAuthLine(line: string): string {
  if (line === '*') return line;
  if (/^auth /i.test(line)) {
    const space = line.indexOf(' ', 5);
    return space < 0 ? line : `${line.slice(0, space)} ${REDACTED}`;
  }
  return REDACTED;
}
