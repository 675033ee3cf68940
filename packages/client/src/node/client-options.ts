import type net from 'node:net';
import type tls from 'node:tls';
import type { AnyExtension } from '@smtpkit/extensions';
import type { ReplyReaderOptions } from '@smtpkit/wire';
import type { ClientTimeouts } from '../session/client-session.js';

/**
 * How the connection is secured:
 * - `'none'`: plain text, STARTTLS never tried;
 * - `'opportunistic'` (default): STARTTLS when the server offers it (RFC 3207); plain text when it
 *   does not offer it or refuses it with a reply. A handshake that fails (a certificate not
 *   verified) is an error, not a fall back;
 * - `'required'`: STARTTLS or nothing: a missing STARTTLS keyword or a refused STARTTLS aborts
 *   with `ERR_CLIENT_TLS_REQUIRED`, never a silent fall back to plain text;
 * - `'implicit'`: TLS from the first byte (RFC 8314 §3, port 465).
 *
 * @example
 * ```ts
 * const mode: ClientTlsMode = 'required';
 * ```
 */
export type ClientTlsMode = 'none' | 'opportunistic' | 'required' | 'implicit';

/**
 * The SASL mechanisms the client speaks, strongest first: the order in which one is picked
 * among those the server offers.
 *
 * @example
 * ```ts
 * const m: ClientAuthMechanism = 'SCRAM-SHA-256';
 * ```
 */
export type ClientAuthMechanism = 'SCRAM-SHA-256' | 'CRAM-MD5' | 'PLAIN' | 'LOGIN' | 'XOAUTH2';

/**
 * AUTH (RFC 4954) credentials. UTF-8 user names and passwords are fine (SASLprep for SCRAM).
 * Without `mechanism`, the strongest the server offers among SCRAM-SHA-256, CRAM-MD5, PLAIN,
 * LOGIN (with a `password`) and XOAUTH2 (with an `accessToken`). Credentials go only over TLS
 * unless `allowInsecure` is set.
 *
 * @example
 * ```ts
 * const auth: ClientAuthOptions = { username: 'tim', password: 'tanstaaf' };
 * ```
 */
export interface ClientAuthOptions {
  readonly username: string;
  /** For SCRAM-SHA-256, CRAM-MD5, PLAIN and LOGIN. */
  readonly password?: string;
  /** An OAuth 2.0 access token, for XOAUTH2. */
  readonly accessToken?: string;
  /** Act as this identity (PLAIN's authzid, SCRAM's `a=`; RFC 4616 §2). */
  readonly authorizationIdentity?: string;
  /** Use this mechanism; the server must offer it. */
  readonly mechanism?: ClientAuthMechanism;
  /**
   * Authenticate over a connection without TLS (RFC 4954 §4: PLAIN and LOGIN then send the
   * password in clear). Default false: AUTH without TLS fails with `ERR_CLIENT_TLS_REQUIRED`.
   */
  readonly allowInsecure?: boolean;
}

/**
 * Timeouts in milliseconds, one per wait: the RFC 5321 §4.5.3.2 ones of the session
 * ({@link ClientTimeouts}) plus the connection's own.
 *
 * @example
 * ```ts
 * const t: Partial<ClientTimeoutOptions> = { connect: 10_000, dataTermination: 120_000 };
 * ```
 */
export interface ClientTimeoutOptions extends ClientTimeouts {
  /** The TCP connection. */
  readonly connect: number;
  /** A TLS handshake (implicit TLS, or after STARTTLS). */
  readonly tlsHandshake: number;
}

/** The name of a wait, as an `ERR_CLIENT_TIMEOUT` message gives it. */
export type ClientTimeoutName = keyof ClientTimeoutOptions;

/**
 * Defaults of the connection's own waits (the session's are `DEFAULT_CLIENT_TIMEOUTS`).
 *
 * @example
 * ```ts
 * DEFAULT_CONNECT_TIMEOUTS.connect; // 60_000
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUTS = Object.freeze({ connect: 60_000, tlsHandshake: 60_000 });

/**
 * Options of {@link connect}.
 *
 * @example
 * ```ts
 * const options: ClientOptions = { host: 'mx.example', port: 25, tls: 'required', auth: { username: 'tim', password: 'x' } };
 * ```
 */
export interface ClientOptions {
  /** The server's name or address (also the name its certificate is checked against). */
  readonly host?: string;
  /** Default 25 (465 with `tls: 'implicit'`). */
  readonly port?: number;
  /**
   * A socket already connected (or connecting) to the server, instead of `host` and `port`. Give
   * `servername` (or `host`) too so that the certificate can be checked under TLS.
   */
  readonly socket?: net.Socket;
  /** The local address to connect from. */
  readonly localAddress?: string;
  /**
   * The name given in EHLO (RFC 5321 §4.1.1.1: the client's FQDN or an address literal). Default:
   * `os.hostname()` when it is a valid domain, else the local address as a literal (`[192.0.2.1]`).
   */
  readonly hostname?: string;
  /** Default `'opportunistic'`. */
  readonly tls?: ClientTlsMode;
  /**
   * More trusted CA certificates (PEM), added to the ones Node trusts (its bundled roots and
   * `NODE_EXTRA_CA_CERTS`), not replacing them.
   */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** The name sent by SNI and checked in the certificate; default `host` when it is a name. */
  readonly servername?: string;
  /** Refuse a certificate that does not verify (default true). */
  readonly rejectUnauthorized?: boolean;
  /** Default `'TLSv1.2'`. */
  readonly minVersion?: tls.SecureVersion;
  readonly auth?: ClientAuthOptions;
  /** The extensions whose client side is used; default `defaultExtensions()`. */
  readonly extensions?: readonly AnyExtension[];
  /** Speak LMTP (RFC 2033): LHLO, and one reply per recipient after the message. */
  readonly lmtp?: boolean;
  /** Use BDAT when the server offers CHUNKING (default true). */
  readonly chunking?: boolean;
  readonly timeouts?: Partial<ClientTimeoutOptions>;
  /** Bounds on the server's replies (2048-octet lines, 256 lines by default). */
  readonly replies?: ReplyReaderOptions;
}
