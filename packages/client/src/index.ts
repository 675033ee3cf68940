// @smtpkit/client: the sans-IO ClientSession (the node:net / node:tls layer comes next).
export {
  ClientError,
  type ClientErrorCode,
  type ClientErrorOptions,
  isClientError,
} from './client-error.js';
export type {
  ClientCloseReason,
  ClientEvent,
  RecipientResult,
  SendEnvelope,
  TransactionResult,
} from './session/client-events.js';
export {
  ClientSession,
  type ClientSessionOptions,
  type ClientTimeouts,
  DEFAULT_CLIENT_TIMEOUTS,
} from './session/client-session.js';
export type { ClientState } from './session/client-state.js';
