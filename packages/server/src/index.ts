export { ReplyException } from '@smtpkit/reply';
export { channels } from './node/diagnostics.js';
export { type Logger, silentLogger } from './node/logger.js';
export { createServer, type ListenOptions, type SmtpServer } from './node/server.js';
export type {
  HookAbortReason,
  HookContext,
  HookEnvelope,
  IncomingMessage,
  ServerAuthOptions,
  ServerHooks,
  ServerLimits,
  ServerOptions,
} from './node/server-options.js';
export { type ServerTlsOptions, TlsContexts } from './node/tls-context.js';
export * from './proxy/index.js';
export * from './session/index.js';
