import type { ForwardPath, ReversePath } from '@smtpkit/address';
import type { SessionPhase, TransactionEffects } from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import type { SaslServerMechanism } from '@smtpkit/sasl';
import type { BdatReader, DataDecoder, EsmtpParameter } from '@smtpkit/wire';
import type { Decision } from './decision.js';

/**
 * One accepted recipient of the open transaction: the forward-path and its parsed RCPT
 * parameters (typed by the extensions list in the server's API).
 *
 * @example
 * ```ts
 * const r: EnvelopeRecipient = { forwardPath: { kind: 'postmaster' }, params: {}, rawParams: [] };
 * ```
 */
export interface EnvelopeRecipient {
  readonly forwardPath: ForwardPath;
  readonly params: Readonly<Record<string, unknown>>;
  readonly rawParams: readonly EsmtpParameter[];
}

/**
 * The open mail transaction (RFC 5321 §3.3: from MAIL until the end of the message, RSET or a
 * new EHLO).
 *
 * @example
 * ```ts
 * const tx: Envelope = session.envelope!; // after MAIL
 * tx.recipients.length;
 * ```
 */
export interface Envelope {
  readonly reversePath: ReversePath;
  readonly mailParams: Readonly<Record<string, unknown>>;
  readonly rawMailParams: readonly EsmtpParameter[];
  readonly recipients: EnvelopeRecipient[];
  readonly effects: TransactionEffects;
}

/**
 * Progress of a message body being received, by DATA or by BDAT chunks. Mutable on purpose:
 * it changes with every socket chunk and is owned by one session.
 *
 * @example
 * ```ts
 * if (session.state.phase === 'data') session.state.body.size; // octets so far
 * ```
 */
export interface BodyProgress {
  /** The id of the `data` ask, or `undefined` when no data hook is configured. */
  askId: number | undefined;
  /** Body octets received so far (unstuffed for DATA, raw for BDAT). */
  size: number;
  /** Set once the message is refused while it streams in (SIZE, bare line endings). */
  failure: Reply | undefined;
  /** The `body-abort` event was already given. */
  aborted: boolean;
  /** The data hook's decision when it came before the end of the body. */
  decision: Decision | undefined;
}

/**
 * Where the session stands: one discriminated union; every change from one member to another is
 * a lookup in the transition table of `transitions.ts` (`nextState`), made in one place.
 *
 * - `unstarted`: `start()` not called yet; bytes now are early talk.
 * - `connecting`: the `connect` hook is deciding; the banner is not sent (bytes now are early talk).
 * - `connected`, `greeted`, `mail`, `rcpt`: reading commands (the {@link SessionPhase} names).
 * - `data`: reading a DATA body with its decoder.
 * - `bdat`: between or inside BDAT chunks (`reader` set while a chunk's octets are read).
 * - `skip`: discarding the octets of a refused BDAT chunk, then back to `resume`.
 * - `auth`: a SASL exchange; lines are client responses, not commands.
 * - `tls-handshake`: STARTTLS accepted, the I/O layer is doing the handshake.
 * - `closed`: nothing more is read or written.
 *
 * @example
 * ```ts
 * if (session.state.phase === 'rcpt') console.log(session.state.tx.recipients.length);
 * ```
 */
export type ServerState =
  | { readonly phase: 'unstarted' }
  | { readonly phase: 'connecting' }
  | { readonly phase: 'connected' }
  | { readonly phase: 'greeted' }
  | { readonly phase: 'mail'; readonly tx: Envelope }
  | { readonly phase: 'rcpt'; readonly tx: Envelope }
  | {
      readonly phase: 'data';
      readonly tx: Envelope;
      readonly decoder: DataDecoder;
      readonly body: BodyProgress;
    }
  | {
      readonly phase: 'bdat';
      readonly tx: Envelope;
      readonly body: BodyProgress;
      /** Set while a chunk's octets are read. */
      readonly reader: BdatReader | undefined;
      /** The chunk being read is the last (BDAT … LAST). */
      readonly last: boolean;
      /** The reply to a chunk that is not the last, from the extension that owns BDAT. */
      readonly accepted: Reply;
    }
  | { readonly phase: 'skip'; readonly reader: BdatReader; readonly resume: CommandState }
  | {
      readonly phase: 'auth';
      readonly mechanism: SaslServerMechanism;
      readonly resume: CommandState;
    }
  | { readonly phase: 'tls-handshake' }
  | { readonly phase: 'closed' };

/**
 * The states in which the session reads command lines.
 *
 * @example
 * ```ts
 * const idle: CommandState = { phase: 'greeted' };
 * ```
 */
export type CommandState = Extract<
  ServerState,
  { phase: 'connected' | 'greeted' | 'mail' | 'rcpt' | 'bdat' }
>;

/**
 * The phase an extension sees for a state (`SessionPhase` of @smtpkit/extensions).
 *
 * @example
 * ```ts
 * sessionPhaseOf({ phase: 'tls-handshake' }); // 'connected'
 * ```
 */
export function sessionPhaseOf(state: ServerState): SessionPhase {
  switch (state.phase) {
    case 'mail':
    case 'rcpt':
    case 'data':
    case 'bdat':
    case 'greeted':
    case 'connected':
      return state.phase;
    case 'auth':
    case 'skip':
      return state.resume.phase;
    default:
      return 'connected';
  }
}

/**
 * The open transaction a state carries, if any: a switch on the phase rather than `'tx' in
 * state`, which V8 answers through a megamorphic lookup (states come in a dozen shapes).
 *
 * @example
 * ```ts
 * transactionOf({ phase: 'greeted' }); // undefined
 * ```
 */
export function transactionOf(state: ServerState): Envelope | undefined {
  switch (state.phase) {
    case 'mail':
    case 'rcpt':
    case 'data':
    case 'bdat':
      return state.tx;
    default:
      return undefined;
  }
}
