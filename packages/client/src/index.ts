// @smtpkit/client: the sans-IO ClientSession (the node:net / node:tls layer comes next).
export {
  ClientError,
  type ClientErrorCode,
  type ClientErrorOptions,
  isClientError,
} from './client-error.js';
export {
  DEFAULT_MX_LIMITS,
  type MxAddressOrder,
  type MxHost,
  type MxResolver,
  type MxRoute,
  type MxSkipped,
  type MxSkipReason,
  type MxTarget,
  orderMxRecords,
  type ResolveMxOptions,
  resolveMxTargets,
} from './node/mx-resolve.js';
export {
  DEFAULT_MX_ATTEMPT_TIMEOUT_MS,
  type MxAttempt,
  type MxAttemptContext,
  type MxAttemptOutcome,
  type MxSuccess,
  type TryMxOptions,
  tryMxTargets,
} from './node/mx-try.js';
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
