import type { ForwardedClient, Greeting } from '@smtpkit/extensions';
import { type Reply, replies } from '@smtpkit/reply';
import type { SaslServerMechanism } from '@smtpkit/sasl';
import type { BdatReader, DataDecoder } from '@smtpkit/wire';
import { ServerError } from '../server-error.js';
import type { BodyProgress, CommandState, Envelope, ServerState } from './server-state.js';
import type { TlsInfo } from './session-options.js';
import { sessionReplies } from './session-replies.js';

// Everything that affects the state machine of the server session lives here: which command is
// admitted in which phase (COMMAND_TABLE), and which phase every trigger leads to (STATE_TABLE).
// `nextState` is the state change; SessionCore.fire is the one place that calls it.

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
export type CommandPhase = CommandState['phase'];

/**
 * What moves the session from one phase to another, with what the next state needs.
 *
 * - `banner`: the 220 greeting is sent (at start, or once the `connect` hook allowed it).
 * - `connect-ask`: the session starts by waiting for the `connect` hook.
 * - `greeting`: HELO/EHLO/LHLO accepted; an open transaction is dropped (RFC 5321 §4.1.4).
 * - `mail`, `rcpt`: MAIL / a RCPT accepted; `data`: DATA accepted (354), the body follows.
 * - `chunk`: a BDAT chunk's octets follow; `chunk-end`: a chunk that is not the last was read.
 * - `message-end`: the message ended (DATA's dot, BDAT LAST) or a failed chunk ended it.
 * - `reset`: RSET. `skip` / `skip-end`: the octets of a refused BDAT are read and dropped.
 * - `auth` / `auth-end`: a SASL exchange (RFC 4954); `user` is set when it succeeded.
 * - `starttls` / `tls`: STARTTLS accepted / the handshake finished (RFC 3207 §4.2: start over).
 * - `restart`: an authorized proxy named the real client (XCLIENT): start over.
 * - `close`: nothing more is read or written.
 *
 * @example
 * ```ts
 * const t: Trigger = { type: 'reset' };
 * ```
 */
export type Trigger =
  | { readonly type: 'banner' }
  | { readonly type: 'connect-ask' }
  | { readonly type: 'greeting'; readonly greeting: Greeting; readonly name: string }
  | { readonly type: 'mail'; readonly tx: Envelope }
  | { readonly type: 'rcpt' }
  | { readonly type: 'data'; readonly decoder: DataDecoder; readonly body: BodyProgress }
  | {
      readonly type: 'chunk';
      readonly reader: BdatReader;
      readonly last: boolean;
      readonly accepted: Reply;
      /** A new message's progress (the first chunk); later chunks keep the open one. */
      readonly body?: BodyProgress;
    }
  | { readonly type: 'chunk-end' }
  | { readonly type: 'message-end' }
  | { readonly type: 'reset' }
  | { readonly type: 'skip'; readonly reader: BdatReader }
  | { readonly type: 'skip-end' }
  | { readonly type: 'auth'; readonly mechanism: SaslServerMechanism }
  | { readonly type: 'auth-end'; readonly user: string | undefined }
  | { readonly type: 'starttls' }
  | { readonly type: 'tls'; readonly info: TlsInfo }
  | { readonly type: 'restart'; readonly client: ForwardedClient }
  | { readonly type: 'close' };

/**
 * Where a trigger leads: a phase, `idle` (`greeted` once a greeting was given, else
 * `connected`: RSET before EHLO stays before EHLO), or `resume` (back to the command state an
 * AUTH exchange or a skipped chunk interrupted).
 */
type Target = ServerState['phase'] | 'idle' | 'resume';
type Row = Readonly<Partial<Record<Trigger['type'], Target>>>;

// Triggers every command phase shares: RSET, a new greeting, a refused BDAT's octets, closing.
const COMMAND_ROW = {
  greeting: 'greeted',
  reset: 'idle',
  skip: 'skip',
  close: 'closed',
} as const satisfies Row;

/**
 * THE transition table: (phase, trigger) → next phase. A pair that is not in it is a bug of the
 * session, never something a client can cause (commands are admitted by COMMAND_TABLE and the
 * registry first).
 */
const STATE_TABLE: Readonly<Record<ServerState['phase'], Row>> = {
  unstarted: { banner: 'connected', 'connect-ask': 'connecting', close: 'closed' },
  connecting: { banner: 'connected', close: 'closed' },
  // XCLIENT (restart) before EHLO is refused by its extension, so it is only in `greeted`.
  connected: { ...COMMAND_ROW },
  greeted: {
    ...COMMAND_ROW,
    mail: 'mail',
    auth: 'auth',
    starttls: 'tls-handshake',
    restart: 'connected',
  },
  mail: { ...COMMAND_ROW, rcpt: 'rcpt' },
  rcpt: { ...COMMAND_ROW, rcpt: 'rcpt', data: 'data', chunk: 'bdat' },
  data: { 'message-end': 'idle', close: 'closed' },
  bdat: { ...COMMAND_ROW, chunk: 'bdat', 'chunk-end': 'bdat', 'message-end': 'idle' },
  skip: { 'skip-end': 'resume', close: 'closed' },
  auth: { 'auth-end': 'resume', close: 'closed' },
  'tls-handshake': { tls: 'connected', close: 'closed' },
  closed: { close: 'closed' },
};

/**
 * The triggers that carry nothing but their type, made once: firing them allocates nothing.
 *
 * @example
 * ```ts
 * core.fire(TRIGGERS.rcpt);
 * ```
 */
export const TRIGGERS = Object.freeze({
  banner: Object.freeze({ type: 'banner' }),
  connectAsk: Object.freeze({ type: 'connect-ask' }),
  rcpt: Object.freeze({ type: 'rcpt' }),
  chunkEnd: Object.freeze({ type: 'chunk-end' }),
  messageEnd: Object.freeze({ type: 'message-end' }),
  reset: Object.freeze({ type: 'reset' }),
  skipEnd: Object.freeze({ type: 'skip-end' }),
  starttls: Object.freeze({ type: 'starttls' }),
  close: Object.freeze({ type: 'close' }),
} as const satisfies Record<string, Trigger>);

/**
 * STATE_TABLE as maps, for the lookups made on every trigger: a phase or trigger name used as an
 * object key makes V8's property load megamorphic (a stub-cache probe per lookup), a Map does not.
 */
const STATE_MAP: ReadonlyMap<string, ReadonlyMap<string, Target>> = new Map(
  Object.entries(STATE_TABLE).map(([phase, row]) => [phase, new Map(Object.entries(row))]),
);

const CONNECTED: ServerState = Object.freeze({ phase: 'connected' });
const GREETED: ServerState = Object.freeze({ phase: 'greeted' });

/**
 * The state after `trigger` in `state`: the table gives the phase, the trigger and the state it
 * leaves give the data the new phase carries (the transaction, the body's progress, the reader).
 * `greeted` says whether a greeting was given (what `idle` means).
 *
 * @throws {ServerError} `ERR_SERVER_MISUSE_STATE` when the table has no such transition.
 * @example
 * ```ts
 * nextState({ phase: 'greeted' }, { type: 'reset' }, true); // { phase: 'greeted' }
 * ```
 */
export function nextState(state: ServerState, trigger: Trigger, greeted: boolean): ServerState {
  const target = STATE_MAP.get(state.phase)?.get(trigger.type);
  if (target === undefined) {
    throw new ServerError(
      'ERR_SERVER_MISUSE_STATE',
      `no transition for '${trigger.type}' in phase '${state.phase}'`,
    );
  }
  switch (target) {
    case 'idle':
      return greeted ? GREETED : CONNECTED;
    case 'resume':
      return (state as Extract<ServerState, { resume: CommandState }>).resume;
    case 'mail':
      return { phase: 'mail', tx: (trigger as Extract<Trigger, { type: 'mail' }>).tx };
    case 'rcpt':
      // Another recipient: the same transaction, the same (read-only) state.
      return state.phase === 'rcpt' ? state : { phase: 'rcpt', tx: txOf(state) };
    case 'data': {
      const t = trigger as Extract<Trigger, { type: 'data' }>;
      return { phase: 'data', tx: txOf(state), decoder: t.decoder, body: t.body };
    }
    case 'bdat': {
      const s = state as Extract<ServerState, { phase: 'rcpt' | 'bdat' }>;
      if (trigger.type === 'chunk') {
        const body = s.phase === 'bdat' ? s.body : (trigger.body as BodyProgress);
        return {
          phase: 'bdat',
          tx: s.tx,
          body,
          reader: trigger.reader,
          last: trigger.last,
          accepted: trigger.accepted,
        };
      }
      const b = s as Extract<ServerState, { phase: 'bdat' }>;
      return { ...b, reader: undefined };
    }
    case 'skip':
      return {
        phase: 'skip',
        reader: (trigger as Extract<Trigger, { type: 'skip' }>).reader,
        resume: state as CommandState,
      };
    case 'auth':
      return {
        phase: 'auth',
        mechanism: (trigger as Extract<Trigger, { type: 'auth' }>).mechanism,
        resume: state as CommandState,
      };
    case 'connected':
      return CONNECTED;
    case 'greeted':
      return GREETED;
    default:
      return { phase: target };
  }
}

function txOf(state: ServerState): Envelope {
  return (state as Extract<ServerState, { tx: Envelope }>).tx;
}

/**
 * What a core command does in a phase: admitted, firing `fires` once accepted (by the hook, if
 * one is asked), or refused with `reply` and the phase unchanged.
 *
 * @example
 * ```ts
 * admission('MAIL', 'connected', false); // { kind: 'refuse', reply: 503 5.5.1 Send HELO/EHLO first }
 * ```
 */
export type Admission =
  | { readonly kind: 'allow'; readonly fires: Trigger['type'] | undefined }
  | { readonly kind: 'refuse'; readonly reply: Reply };

const allow = (fires: Trigger['type'] | undefined): Admission => ({ kind: 'allow', fires });
const refuse = (reply: Reply): Admission => ({ kind: 'refuse', reply });
const everywhere = (a: Admission): Record<CommandPhase, Admission> => ({
  connected: a,
  greeted: a,
  mail: a,
  rcpt: a,
  bdat: a,
});

const helloFirst = refuse(replies.R503_5_5_1_HelloFirst);
const lhloFirst = refuse(sessionReplies.R503_5_5_1_LhloFirst);

/**
 * The command table of the server session: (verb, phase) → admitted (with the trigger it fires
 * once accepted) or refused with the reply.
 *
 * RFC 5321 §4.1.4: "the NOOP, HELP, EXPN, VRFY, and RSET commands can be used at any time during
 * a session, or without previously initializing a session"; "A session that will contain mail
 * transactions MUST first be initialized by the use of the EHLO command"; MAIL inside a
 * transaction and RCPT/DATA before MAIL/RCPT are out of sequence (503, §3.3, §4.3.2).
 * RFC 5321 §3.3: "If there was no MAIL, or no RCPT, command, or all such commands were rejected,
 * the server MAY return a 'command out of sequence' (503) or 'no valid recipients' (554) reply"
 * to DATA.
 */
const SMTP_TABLE: Readonly<Record<CoreVerb, Readonly<Record<CommandPhase, Admission>>>> = {
  HELO: everywhere(allow('greeting')),
  EHLO: everywhere(allow('greeting')),
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
  QUIT: everywhere(allow('close')),
  NOOP: everywhere(allow(undefined)),
  HELP: everywhere(allow(undefined)),
  VRFY: everywhere(allow(undefined)),
  EXPN: everywhere(allow(undefined)),
};

/** RFC 2033 §4.1: an LMTP server answers LHLO, and HELO/EHLO are errors. */
const LMTP_TABLE: Readonly<Record<CoreVerb, Readonly<Record<CommandPhase, Admission>>>> = {
  ...SMTP_TABLE,
  HELO: everywhere(refuse(replies.R500_5_5_1_LmtpRequiresLhlo)),
  EHLO: everywhere(refuse(replies.R500_5_5_1_LmtpRequiresLhlo)),
  LHLO: everywhere(allow('greeting')),
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
 * Looks up the command table.
 *
 * @example
 * ```ts
 * admission('DATA', 'rcpt', false); // { kind: 'allow', fires: 'data' }
 * ```
 */
export function admission(verb: CoreVerb, phase: CommandPhase, lmtp: boolean): Admission {
  return (lmtp ? LMTP_MAP : SMTP_MAP).get(verb)?.get(phase) as Admission;
}

/** The command tables as maps, for the lookup made on every command (see STATE_MAP). */
function commandMap(
  table: Readonly<Record<CoreVerb, Readonly<Record<CommandPhase, Admission>>>>,
): ReadonlyMap<string, ReadonlyMap<string, Admission>> {
  return new Map(Object.entries(table).map(([verb, row]) => [verb, new Map(Object.entries(row))]));
}

const SMTP_MAP = commandMap(SMTP_TABLE);
const LMTP_MAP = commandMap(LMTP_TABLE);
