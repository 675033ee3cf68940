export { ReplyException } from '@smtpkit/reply';
export { channels } from './diagnostics.js';
export { type Logger, silentLogger } from './logger.js';
export * from './proxy/index.js';
export * from './sasl/index.js';
export { createServer, type ListenOptions, type SmtpServer } from './server.js';
export type {
  HookAbortReason,
  HookContext,
  HookEnvelope,
  IncomingMessage,
  ServerAuthOptions,
  ServerHooks,
  ServerLimits,
  ServerOptions,
} from './server-options.js';
export * from './session/index.js';
export { type ServerTlsOptions, TlsContexts } from './tls-context.js';
