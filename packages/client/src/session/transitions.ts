import type { SaslClientMechanism } from '@smtpkit/sasl';
import { ClientError } from '../client-error.js';
import type { ClientState, Transaction } from './client-state.js';

// Everything that affects the state machine of the client session lives here: which phase every
// trigger leads to (TABLE), and `nextState`, the state change. ClientSession#fire is the one
// place that calls it.

/**
 * What moves the client session from one phase to another, with what the next state needs.
 *
 * @example
 * ```ts
 * const t: ClientTrigger = { type: 'ready' };
 * ```
 */
export type ClientTrigger =
  | { readonly type: 'greeting' }
  | { readonly type: 'hello'; readonly verb: 'EHLO' | 'LHLO' | 'HELO' }
  | { readonly type: 'ready' }
  | { readonly type: 'starttls' }
  | { readonly type: 'tls-go' }
  | { readonly type: 'tls' }
  | { readonly type: 'auth'; readonly mechanism: SaslClientMechanism }
  | { readonly type: 'envelope'; readonly tx: Transaction }
  | { readonly type: 'body' }
  | { readonly type: 'message' }
  | { readonly type: 'rset' }
  | { readonly type: 'noop' }
  | { readonly type: 'quit' }
  | { readonly type: 'close' };

type Row = Readonly<Partial<Record<ClientTrigger['type'], ClientState['phase']>>>;

/**
 * THE transition table: (phase, trigger) → next phase. `ready` ends every exchange that leaves
 * the session usable (a refused command included); `close` is allowed everywhere.
 */
const TABLE: Readonly<Record<ClientState['phase'], Row>> = {
  connecting: { greeting: 'greeted', close: 'closed' },
  greeted: { hello: 'hello', close: 'closed' },
  // A refused EHLO is followed by HELO (RFC 5321 §4.1.4): hello again.
  hello: { hello: 'hello', ready: 'ready', greeting: 'greeted', close: 'closed' },
  ready: {
    starttls: 'starttls',
    auth: 'auth',
    envelope: 'envelope',
    rset: 'rset',
    noop: 'noop',
    quit: 'quit',
    close: 'closed',
  },
  starttls: { 'tls-go': 'tls-handshake', ready: 'ready', close: 'closed' },
  // RFC 3207 §4.2: after the handshake the client starts over with EHLO.
  'tls-handshake': { tls: 'greeted', close: 'closed' },
  auth: { ready: 'ready', close: 'closed' },
  envelope: { body: 'body', message: 'message', ready: 'ready', close: 'closed' },
  body: { message: 'message', close: 'closed' },
  message: { ready: 'ready', close: 'closed' },
  rset: { ready: 'ready', close: 'closed' },
  noop: { ready: 'ready', close: 'closed' },
  quit: { close: 'closed' },
  closed: { close: 'closed' },
};

/**
 * The state after `trigger`: the table gives the phase; the trigger and the state it leaves give
 * the data the new phase carries (the transaction, the SASL mechanism).
 *
 * @throws {ClientError} `ERR_CLIENT_MISUSE_STATE` when the table has no such transition: the
 *   operation was asked for in a phase that does not allow it.
 * @example
 * ```ts
 * nextState({ phase: 'ready' }, { type: 'noop' }); // { phase: 'noop' }
 * ```
 */
export function nextState(state: ClientState, trigger: ClientTrigger): ClientState {
  const phase = TABLE[state.phase][trigger.type];
  if (phase === undefined) {
    throw new ClientError(
      'ERR_CLIENT_MISUSE_STATE',
      `'${trigger.type}' is not possible while the session is in phase '${state.phase}'`,
    );
  }
  switch (phase) {
    case 'hello':
      return { phase, verb: (trigger as Extract<ClientTrigger, { type: 'hello' }>).verb };
    case 'auth':
      return { phase, mechanism: (trigger as Extract<ClientTrigger, { type: 'auth' }>).mechanism };
    case 'envelope':
      return { phase, tx: (trigger as Extract<ClientTrigger, { type: 'envelope' }>).tx };
    case 'body':
    case 'message':
      return { phase, tx: (state as Extract<ClientState, { tx: Transaction }>).tx };
    default:
      return { phase };
  }
}

/**
 * Whether `trigger` is possible now (the operations check it before writing anything).
 *
 * @example
 * ```ts
 * allows({ phase: 'connecting' }, 'envelope'); // false
 * ```
 */
export function allows(state: ClientState, trigger: ClientTrigger['type']): boolean {
  return TABLE[state.phase][trigger] !== undefined;
}
