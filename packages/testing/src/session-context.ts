// This package depends on no smtpkit package (they depend on it), so the shape is written out
// here; the caller's `SessionContext` annotation checks it against @smtpkit/extensions.

/** A session after a plain-text EHLO with no transaction open, shaped like `SessionContext`. */
export interface GreetedSession {
  readonly phase: 'greeted';
  readonly greeting: 'ehlo';
  readonly lmtp: boolean;
  readonly tls: boolean;
  readonly authenticated: boolean;
  readonly limits: { readonly commandLine: number };
  readonly mailParams: undefined;
  readonly recipients: number;
}

/**
 * A fresh session context for extension tests and benchmarks: greeted with EHLO, no TLS, not
 * authenticated, the RFC 5321 §4.5.3.1.4 command line limit of 512 octets, no MAIL yet.
 *
 * @example
 * ```ts
 * import type { SessionContext } from '@smtpkit/extensions';
 * const ctx: SessionContext = greetedSession();
 * const lmtp: SessionContext = { ...greetedSession(), lmtp: true, greeting: 'lhlo' };
 * ```
 */
export function greetedSession(): GreetedSession {
  return {
    phase: 'greeted',
    greeting: 'ehlo',
    lmtp: false,
    tls: false,
    authenticated: false,
    limits: { commandLine: 512 },
    mailParams: undefined,
    recipients: 0,
  };
}
