import type { AnyExtension, Registry } from '@smtpkit/extensions';
import type { SaslServerMechanism } from '@smtpkit/sasl';

/**
 * RFC 5321 §4.5.3.2 timeouts, in milliseconds, one per phase. The session says which applies
 * now ({@link ServerSession.timeoutFor}); the I/O layer owns the single timer.
 *
 * @example
 * ```ts
 * const t: Partial<SessionTimeouts> = { command: 60_000 };
 * ```
 */
export interface SessionTimeouts {
  /** Before the banner is sent (a `connect` hook or PROXY header pending). */
  readonly greeting: number;
  /** §4.5.3.2.7 "Server Timeout: 5 minutes" waiting for the next command. */
  readonly command: number;
  /** After MAIL, waiting for RCPT (§4.5.3.2.2). */
  readonly mail: number;
  /** After RCPT, waiting for more RCPT, DATA or BDAT (§4.5.3.2.3). */
  readonly rcpt: number;
  /**
   * After 354, waiting for the first data. RFC 5321's 2-minute "DATA initiation" (§4.5.3.2.3) is
   * the client's wait for the 354 itself; the server then waits like for any command
   * (§4.5.3.2.7: "at least 5 minutes"), so the default is 5 minutes.
   */
  readonly dataInit: number;
  /** Between data blocks (§4.5.3.2.5: 3 minutes). */
  readonly dataBlock: number;
  /** After the end of data, waiting for the data hook (§4.5.3.2.6: 10 minutes). */
  readonly dataTermination: number;
  /**
   * A whole DATA or BDAT transfer, from the command to its last octet. RFC 5321 sets only the
   * per-block timeout, which a client trickling one octet at a time resets forever (slowloris);
   * this bounds the transfer. Generous by default (1 hour: 50 MB at 512 kbit/s takes 13 minutes).
   */
  readonly messageTransfer: number;
  /** A STARTTLS or implicit TLS handshake. */
  readonly tlsHandshake: number;
}

/**
 * RFC 5321 §4.5.3.2 values.
 *
 * @example
 * ```ts
 * DEFAULT_TIMEOUTS.dataBlock; // 180_000
 * ```
 */
export const DEFAULT_TIMEOUTS: SessionTimeouts = Object.freeze({
  greeting: 300_000,
  command: 300_000,
  mail: 300_000,
  rcpt: 300_000,
  dataInit: 300_000,
  dataBlock: 180_000,
  dataTermination: 600_000,
  messageTransfer: 3_600_000,
  tlsHandshake: 30_000,
});

/**
 * Named limits with their defaults ({@link DEFAULT_SESSION_LIMITS}).
 *
 * @example
 * ```ts
 * const limits: Partial<SessionLimitOptions> = { recipients: 50, errors: 5 };
 * ```
 */
export interface SessionLimitOptions {
  /** RFC 5321 §4.5.3.1.4: 512 octets, CRLF included; extensions add their parameters' share. */
  readonly commandLine: number;
  /** RFC 5321 §4.5.3.1.8 asks for at least 100. 452 4.5.3 beyond. */
  readonly recipients: number;
  /** Message size in octets; the SIZE extension's `max` when unset; `undefined` for none. */
  readonly messageSize: number | undefined;
  /** Protocol errors (syntax, sequence) before 421 4.7.0 and close. */
  readonly errors: number;
  /** Unrecognised commands before 421 4.7.0 and close. */
  readonly unknownCommands: number;
  /** Pipelined bytes buffered while a hook is pending (the I/O layer pauses the socket beyond). */
  readonly maxPendingBytes: number;
  readonly timeouts: SessionTimeouts;
}

/**
 * The defaults of {@link SessionLimitOptions}.
 *
 * @example
 * ```ts
 * DEFAULT_SESSION_LIMITS.recipients; // 100
 * ```
 */
export const DEFAULT_SESSION_LIMITS: SessionLimitOptions = Object.freeze({
  commandLine: 512,
  recipients: 100,
  messageSize: undefined,
  errors: 10,
  unknownCommands: 5,
  maxPendingBytes: 65_536,
  timeouts: DEFAULT_TIMEOUTS,
});

/**
 * Policies: how the session answers where RFCs leave a choice.
 *
 * @example
 * ```ts
 * const p: Partial<SessionPolicy> = { vrfy: 'disabled', bareLineEndings: 'normalize' };
 * ```
 */
export interface SessionPolicy {
  /** `cannot-verify`: 252 (RFC 5321 §3.5.3); `disabled`: 502; `hook`: ask `vrfy`. */
  readonly vrfy: 'cannot-verify' | 'disabled' | 'hook';
  /** `disabled`: 502; `hook`: ask `expn`. */
  readonly expn: 'disabled' | 'hook';
  /**
   * `false` refuses AUTH without TLS (538 5.7.11) whatever the auth extension advertises;
   * `true` or unset follows the extension (`auth({ allowWithoutTls })`, TLS only by default).
   */
  readonly authWithoutTls: boolean | undefined;
  /** Bare LF / bare CR in DATA: `reject` (554 5.6.0 after the end of data) or `normalize`. */
  readonly bareLineEndings: 'reject' | 'normalize';
  /**
   * DATA lines over 1000 octets (RFC 5321 §4.5.3.1.6): `reject` (554 5.6.0 after the end of
   * data) or `ignore` (accepted as they are).
   */
  readonly longLines: 'reject' | 'ignore';
  /** Bytes before the banner: `reject` (554 5.5.0 and close). */
  readonly earlyTalkers: 'reject' | 'accept';
  /** `MAIL FROM: <a@b>`: RFC 5321 has no space there. */
  readonly spaceAfterColon: 'reject' | 'accept';
}

/**
 * The defaults of {@link SessionPolicy}.
 *
 * @example
 * ```ts
 * DEFAULT_POLICY.bareLineEndings; // 'reject'
 * ```
 */
export const DEFAULT_POLICY: SessionPolicy = Object.freeze({
  vrfy: 'cannot-verify',
  expn: 'disabled',
  authWithoutTls: undefined,
  bareLineEndings: 'reject',
  longLines: 'reject',
  earlyTalkers: 'reject',
  spaceAfterColon: 'reject',
});

/**
 * TLS facts of a connection.
 *
 * @example
 * ```ts
 * session.tlsEstablished({ protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', servername: 'mx.example' });
 * ```
 */
export interface TlsInfo {
  readonly protocol: string | undefined;
  readonly cipher: string | undefined;
  readonly servername?: string | undefined;
}

/**
 * Options of {@link ServerSession}.
 *
 * @example
 * ```ts
 * new ServerSession({ hostname: 'mx.example', registry: createRegistry(defaultExtensions()) });
 * ```
 */
export interface ServerSessionOptions<E extends readonly AnyExtension[] = readonly AnyExtension[]> {
  /** Banner and EHLO domain. */
  readonly hostname: string;
  readonly registry: Registry<E>;
  /** RFC 2033: LHLO, one reply per recipient after the message. */
  readonly lmtp?: boolean;
  readonly limits?: Partial<Omit<SessionLimitOptions, 'timeouts'>> & {
    readonly timeouts?: Partial<SessionTimeouts>;
  };
  readonly policy?: Partial<SessionPolicy>;
  /**
   * Names of the hooks the application answers (`connect`, `helo`, `mail`, `rcpt`, `data`,
   * `vrfy`, `expn`, `auth`, `auth-lookup`, extension hooks). A hook not listed is never asked:
   * the session answers at once with the default reply, without awaiting anything.
   */
  readonly hooks?: Iterable<string>;
  /** The connection is TLS from the start (RFC 8314 implicit TLS). */
  readonly tls?: TlsInfo | undefined;
  /** SASL mechanism factory (the I/O layer passes one bound to node:crypto). */
  readonly sasl?: (mechanism: string) => SaslServerMechanism | undefined;
  /** The TCP peer's address: extensions see it as `peerAddress` (XCLIENT's allow-list). */
  readonly remoteAddress?: string | undefined;
  /** Give `command` events (for diagnostics subscribers). */
  readonly observe?: boolean;
}
