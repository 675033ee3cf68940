// @smtpkit/client: connect() and the client it gives (src/node/), over the sans-IO ClientSession.
export {
  ClientError,
  type ClientErrorCode,
  type ClientErrorOptions,
  isClientError,
} from './client-error.js';
export { CLIENT_AUTH_MECHANISMS } from './node/auth-mechanism.js';
export {
  type ClientAuthMechanism,
  type ClientAuthOptions,
  type ClientOptions,
  type ClientTimeoutName,
  type ClientTimeoutOptions,
  type ClientTlsMode,
  DEFAULT_CONNECT_TIMEOUTS,
} from './node/client-options.js';
export { connect } from './node/connect.js';
export { type DeliverByMxOptions, deliverByMx, type MxDelivery } from './node/deliver-mx.js';
export { channels } from './node/diagnostics.js';
export type { MessageEnvelope } from './node/message-envelope.js';
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
export {
  createPool,
  DEFAULT_POOL_LIMITS,
  type PoolOptions,
  type PoolStats,
  type SmtpPool,
} from './node/pool.js';
export type { MessageInput, SmtpClient } from './node/smtp-client.js';
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
