/**
 * Where a server session stands, as far as commands are concerned. The server's state union
 * reuses these names, and an extension's verb lists the phases in which it is allowed.
 *
 * - `connected`: the greeting banner was sent; no HELO/EHLO/LHLO yet.
 * - `greeted`: after HELO/EHLO/LHLO (or RSET), no mail transaction open.
 * - `mail`: MAIL was accepted, no recipient accepted yet.
 * - `rcpt`: at least one RCPT was accepted (RFC 5321 §3.3: DATA is allowed from here).
 * - `data`: reading a DATA body; no command is read in this phase.
 * - `bdat`: at least one `BDAT` chunk without `LAST` was received (RFC 3030 §2).
 *
 * @example
 * ```ts
 * import type { SessionPhase } from '@smtpkit/extensions';
 * const etrnAllowed: readonly SessionPhase[] = ['greeted'];
 * ```
 */
export type SessionPhase = 'connected' | 'greeted' | 'mail' | 'rcpt' | 'data' | 'bdat';

/**
 * Every {@link SessionPhase}, in protocol order.
 *
 * @example
 * ```ts
 * import { SESSION_PHASES } from '@smtpkit/extensions';
 * SESSION_PHASES.includes('rcpt'); // true
 * ```
 */
export const SESSION_PHASES: readonly SessionPhase[] = [
  'connected',
  'greeted',
  'mail',
  'rcpt',
  'data',
  'bdat',
];

/**
 * The phases inside a mail transaction (RFC 5321 §3.3: from MAIL until the end of the message or
 * RSET).
 *
 * @example
 * ```ts
 * import { TRANSACTION_PHASES } from '@smtpkit/extensions';
 * TRANSACTION_PHASES.includes('greeted'); // false
 * ```
 */
export const TRANSACTION_PHASES: readonly SessionPhase[] = ['mail', 'rcpt', 'data', 'bdat'];
