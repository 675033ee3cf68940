import type { SessionPhase } from './session-phase.js';

/** Which greeting opened the session: RFC 5321 §4.1.1.1 HELO/EHLO, RFC 2033 §4.1 LHLO. */
export type Greeting = 'helo' | 'ehlo' | 'lhlo';

/**
 * The limits a server session enforces, as the server knows them (RFC 5321 §4.5.3). Extensions
 * read them (SIZE advertises `messageSize`, LIMITS advertises `recipients`) and never change them.
 *
 * @example
 * ```ts
 * import type { SessionLimits } from '@smtpkit/extensions';
 * const limits: SessionLimits = { commandLine: 512, messageSize: 10485760, recipients: 100 };
 * ```
 */
export interface SessionLimits {
  /** RFC 5321 §4.5.3.1.4: 512 octets including CRLF, before extensions raise it. */
  readonly commandLine: number;
  /** Largest message accepted, in octets; `undefined` for no fixed limit. */
  readonly messageSize?: number | undefined;
  /** Most recipients accepted in one transaction (RFC 5321 §4.5.3.1.8 asks for at least 100). */
  readonly recipients?: number | undefined;
  /** Most transactions accepted in one session (RFC 9422 MAILMAX). */
  readonly transactions?: number | undefined;
  /** Most distinct recipient domains in one transaction (RFC 9422 RCPTDOMAINMAX). */
  readonly recipientDomains?: number | undefined;
}

/**
 * The read-only facts a server session passes to an extension. No I/O, no clock: everything an
 * extension may base a decision on is here.
 *
 * @example
 * ```ts
 * import type { SessionContext } from '@smtpkit/extensions';
 * const ctx: SessionContext = {
 *   phase: 'greeted', greeting: 'ehlo', lmtp: false, tls: true, authenticated: false,
 *   limits: { commandLine: 512 }, mailParams: undefined, recipients: 0,
 * };
 * ```
 */
export interface SessionContext {
  readonly phase: SessionPhase;
  /** `undefined` until HELO/EHLO/LHLO; extensions are only in effect after EHLO or LHLO. */
  readonly greeting: Greeting | undefined;
  readonly lmtp: boolean;
  /** TLS is in effect on this connection (after STARTTLS, or implicit TLS). */
  readonly tls: boolean;
  readonly authenticated: boolean;
  readonly limits: SessionLimits;
  /** The parsed MAIL parameters of the open transaction, keyed by upper-case keyword. */
  readonly mailParams: Readonly<Record<string, unknown>> | undefined;
  /** Recipients accepted so far in the open transaction. */
  readonly recipients: number;
  /**
   * The address of the TCP peer (not the client a PROXY header or XCLIENT names), for extensions
   * whose policy depends on who connects (XCLIENT from listed proxies only); `undefined` when
   * unknown.
   */
  readonly peerAddress?: string | undefined;
}

/**
 * What an extension sees when the registry calls it: the session facts plus the EHLO keywords in
 * effect in this session (upper case), so one extension can depend on another being offered
 * (BODY=BINARYMIME only when BINARYMIME is).
 *
 * @example
 * ```ts
 * import type { ExtensionContext } from '@smtpkit/extensions';
 * const offered = (ctx: ExtensionContext) => ctx.keywords.has('CHUNKING');
 * ```
 */
export interface ExtensionContext extends SessionContext {
  readonly keywords: ReadonlySet<string>;
}

/**
 * The facts a client session passes to an extension's client side.
 *
 * @example
 * ```ts
 * import type { ClientContext } from '@smtpkit/extensions';
 * const ctx: ClientContext = { tls: true, lmtp: false };
 * ```
 */
export interface ClientContext {
  readonly tls: boolean;
  readonly lmtp: boolean;
}
