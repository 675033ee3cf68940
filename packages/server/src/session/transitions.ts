import { type Reply, replies } from '@smtpkit/reply';
import { sessionReplies } from './session-replies.js';

/**
 * The core RFC 5321 commands the session itself knows. Extension verbs (BDAT, STARTTLS, AUTH,
 * ETRN, …) come from the registry with their own allowed phases.
 *
 * @example
 * ```ts
 * const v: CoreVerb = 'MAIL';
 * ```
 */
export type CoreVerb =
  | 'HELO'
  | 'EHLO'
  | 'LHLO'
  | 'MAIL'
  | 'RCPT'
  | 'DATA'
  | 'RSET'
  | 'QUIT'
  | 'NOOP'
  | 'HELP'
  | 'VRFY'
  | 'EXPN';

/**
 * The phases in which command lines are read.
 *
 * @example
 * ```ts
 * const p: CommandPhase = 'rcpt';
 * ```
 */
export type CommandPhase = 'connected' | 'greeted' | 'mail' | 'rcpt' | 'bdat';

/**
 * What a core command does from a phase: allowed, moving to `next` once its hook (if any)
 * accepts; or refused with `reply` and the phase unchanged.
 *
 * `next`: `greeted` (HELO/EHLO/LHLO: a new greeting resets the transaction, RFC 5321 §4.1.4),
 * `mail`, `rcpt`, `data`, `reset` (RSET: back to `greeted`, or `connected` before a greeting),
 * `same`, `closed`.
 *
 * @example
 * ```ts
 * transition('MAIL', 'connected', false); // { kind: 'refuse', reply: 503 5.5.1 Send HELO/EHLO first }
 * ```
 */
export type Transition =
  | {
      readonly kind: 'allow';
      readonly next: 'greeted' | 'mail' | 'rcpt' | 'data' | 'reset' | 'same' | 'closed';
    }
  | { readonly kind: 'refuse'; readonly reply: Reply };

const allow = (next: Extract<Transition, { kind: 'allow' }>['next']): Transition => ({
  kind: 'allow',
  next,
});
const refuse = (reply: Reply): Transition => ({ kind: 'refuse', reply });
const everywhere = (t: Transition): Record<CommandPhase, Transition> => ({
  connected: t,
  greeted: t,
  mail: t,
  rcpt: t,
  bdat: t,
});

const helloFirst = refuse(replies.R503_5_5_1_HelloFirst);
const lhloFirst = refuse(sessionReplies.R503_5_5_1_LhloFirst);

/**
 * THE transition table of the server session: (verb, phase) → allowed / next phase / reply on
 * refusal. Every state change of the command phases is decided here.
 *
 * RFC 5321 §4.1.4: "the NOOP, HELP, EXPN, VRFY, and RSET commands can be used at any time during
 * a session, or without previously initializing a session"; "A session that will contain mail
 * transactions MUST first be initialized by the use of the EHLO command"; "If the transaction
 * beginning command argument is not acceptable, a 501 failure code MUST be returned"; MAIL
 * inside a transaction and RCPT/DATA before MAIL/RCPT are out of sequence (503, §3.3, §4.3.2).
 * RFC 5321 §3.3: "If there was no MAIL, or no RCPT, command, or all such commands were rejected,
 * the server MAY return a 'command out of sequence' (503) or 'no valid recipients' (554) reply"
 * to DATA.
 */
const SMTP_TABLE: Readonly<Record<CoreVerb, Readonly<Record<CommandPhase, Transition>>>> = {
  HELO: everywhere(allow('greeted')),
  EHLO: everywhere(allow('greeted')),
  // RFC 2033 §4.1: LHLO is LMTP's; an SMTP server does not know it. RFC 3463 X.5.2: an
  // unrecognized command is a syntax error.
  LHLO: everywhere(refuse(replies.R500_5_5_2_SyntaxError)),
  MAIL: {
    connected: helloFirst,
    greeted: allow('mail'),
    mail: refuse(replies.R503_5_5_1_SenderAlreadySpecified),
    rcpt: refuse(replies.R503_5_5_1_SenderAlreadySpecified),
    bdat: refuse(replies.R503_5_5_1_SenderAlreadySpecified),
  },
  RCPT: {
    connected: helloFirst,
    greeted: refuse(replies.R503_5_5_1_NeedMailCommand),
    mail: allow('rcpt'),
    rcpt: allow('rcpt'),
    // RFC 3030 §2: BDAT chunks follow the recipients; a RCPT between chunks is out of sequence.
    bdat: refuse(replies.R503_5_5_1_BadSequence),
  },
  DATA: {
    connected: helloFirst,
    greeted: refuse(replies.R503_5_5_1_NeedMailCommand),
    // MAIL accepted, every RCPT refused (or none sent): 554 "no valid recipients" (§3.3), which
    // also tells a pipelining client (RFC 2920 §3.1) why.
    mail: refuse(replies.R554_5_5_1_NoValidRecipients),
    rcpt: allow('data'),
    bdat: refuse(replies.R503_5_5_1_BadSequence),
  },
  RSET: everywhere(allow('reset')),
  QUIT: everywhere(allow('closed')),
  NOOP: everywhere(allow('same')),
  HELP: everywhere(allow('same')),
  VRFY: everywhere(allow('same')),
  EXPN: everywhere(allow('same')),
};

/** RFC 2033 §4.1: an LMTP server answers LHLO, and HELO/EHLO are errors. */
const LMTP_TABLE: Readonly<Record<CoreVerb, Readonly<Record<CommandPhase, Transition>>>> = {
  ...SMTP_TABLE,
  HELO: everywhere(refuse(replies.R500_5_5_1_LmtpRequiresLhlo)),
  EHLO: everywhere(refuse(replies.R500_5_5_1_LmtpRequiresLhlo)),
  LHLO: everywhere(allow('greeted')),
  MAIL: { ...SMTP_TABLE.MAIL, connected: lhloFirst },
  RCPT: { ...SMTP_TABLE.RCPT, connected: lhloFirst },
  DATA: {
    ...SMTP_TABLE.DATA,
    connected: lhloFirst,
    // RFC 2033 §4.2: "If there were no successful RCPT commands in the mail transaction, the
    // DATA command MUST fail with a 503 reply code."
    mail: refuse(replies.R503_5_5_1_NeedRcptCommand),
  },
};

/**
 * Looks up the table.
 *
 * @example
 * ```ts
 * transition('DATA', 'rcpt', false); // { kind: 'allow', next: 'data' }
 * ```
 */
export function transition(verb: CoreVerb, phase: CommandPhase, lmtp: boolean): Transition {
  return (lmtp ? LMTP_TABLE : SMTP_TABLE)[verb][phase];
}
