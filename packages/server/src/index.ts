// @smtpkit/server: what an application needs. The server over node:net and node:tls, its options
// and hook types; the sans-IO session for other I/O layers; PROXY and XCLIENT; the one error class.
export { ReplyException } from '@smtpkit/reply';
export { channels } from './node/diagnostics.js';
export { type Logger, silentLogger } from './node/logger.js';
export { createServer, type ListenOptions, type SmtpServer } from './node/server.js';
export type {
  AuthVerdict,
  HookAbortReason,
  HookContext,
  HookEnvelope,
  HookResult,
  IncomingMessage,
  ServerAuthOptions,
  ServerHooks,
  ServerLimits,
  ServerOptions,
} from './node/server-options.js';
export { type ServerTlsOptions, TlsContexts } from './node/tls-context.js';
export * from './proxy/index.js';
export { isServerError, ServerError, type ServerErrorCode } from './server-error.js';
export * from './session/index.js';
