export { replyBytes } from './reply-bytes.js';
export { ServerSession } from './server-session.js';
export { ServerSessionError, type ServerSessionErrorCode } from './server-session-error.js';
export {
  type BodyProgress,
  type CommandState,
  type Envelope,
  type EnvelopeRecipient,
  type ServerState,
  sessionPhaseOf,
} from './server-state.js';
export { resolveSessionConfig, type SessionConfig } from './session-config.js';
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
export { type CommandPhase, type CoreVerb, type Transition, transition } from './transitions.js';
