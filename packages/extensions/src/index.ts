export {
  type AuthArguments,
  type AuthOptions,
  type AuthSubmitter,
  auth,
  parseAuthArguments,
} from './builtins/auth.js';
export { binaryMime } from './builtins/binary-mime.js';
export { type BdatArguments, bdatArguments, chunking } from './builtins/chunking.js';
export { defaultExtensions } from './builtins/default-extensions.js';
export {
  type DsnNotify,
  type DsnNotifyCondition,
  type DsnRet,
  dsn,
  type OriginalRecipient,
  parseNotify,
} from './builtins/dsn.js';
export { eightBitMime } from './builtins/eight-bit-mime.js';
export { enhancedStatusCodes } from './builtins/enhanced-status-codes.js';
export { type EtrnRequest, etrn, etrnReplies, parseEtrnArgument } from './builtins/etrn.js';
export { PIPELINING_LAST_IN_GROUP, pipelining } from './builtins/pipelining.js';
export { requireTls } from './builtins/require-tls.js';
export { type SizeOptions, size } from './builtins/size.js';
export { smtpUtf8 } from './builtins/smtp-utf8.js';
export { startTls } from './builtins/start-tls.js';
export {
  type AnyExtension,
  type BodyType,
  type ClientBehaviour,
  type ClientEnvelope,
  defineExtension,
  type Extension,
  type ExtensionLimits,
  type ForwardedClient,
  type HookSpec,
  type HookSpecs,
  hook,
  type ParamSpec,
  type ParamSpecs,
  param,
  type TransactionEffects,
  type VerbResult,
  type VerbSpec,
  type VerbSpecs,
  verb,
} from './define-extension.js';
export {
  ClientRefusal,
  ExtensionError,
  type ExtensionErrorCode,
  type ExtensionErrorOptions,
  isClientRefusal,
  isExtensionError,
} from './extension-error.js';
export { extensionReplies } from './extension-replies.js';
export { type Accepted, accept, type Outcome, type Rejected, reject } from './outcome.js';
export { createRegistry, type Registry } from './registry.js';
export { CORE_VERBS } from './registry-index.js';
export type { HooksOf, MailParamsOf, RcptParamsOf } from './registry-types.js';
export {
  parseServerCapabilities,
  type ServerCapabilities,
  serverCapabilities,
} from './server-capabilities.js';
export type {
  ClientContext,
  ExtensionContext,
  Greeting,
  SessionContext,
  SessionLimits,
} from './session-context.js';
export { SESSION_PHASES, type SessionPhase, TRANSACTION_PHASES } from './session-phase.js';
