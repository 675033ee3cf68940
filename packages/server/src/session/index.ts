// The sans-IO server session: what an application or another I/O layer needs to drive it.
export { ServerSession } from './server-session.js';
export type {
  BodyProgress,
  CommandState,
  Envelope,
  EnvelopeRecipient,
  ServerState,
} from './server-state.js';
export type { SessionConnectionFacts } from './session-core.js';
export type {
  AskHook,
  AuthAskPayload,
  CloseReason,
  DataAskPayload,
  Decision,
  SessionEvent,
} from './session-events.js';
export {
  DEFAULT_POLICY,
  DEFAULT_SESSION_LIMITS,
  DEFAULT_TIMEOUTS,
  type ServerSessionOptions,
  type SessionLimitOptions,
  type SessionPolicy,
  type SessionTimeouts,
  type TlsInfo,
} from './session-options.js';
