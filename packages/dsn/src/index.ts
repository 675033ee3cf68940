/**
 * @smtpkit/dsn: RFC 3464 delivery status notifications, built and parsed, sans-IO. Bytes and
 * values in, bytes and values out; no clock (pass `now`), no sockets, no `node:*` modules.
 */
export { type BuildDsnOptions, type BuiltDsn, buildDsn } from './build-dsn.js';
export { type BuildDoubleBounceOptions, buildDoubleBounce } from './double-bounce.js';
export { DsnError, type DsnErrorCode, isDsnError } from './dsn-error.js';
export type {
  DeliveryStatusReport,
  DiagnosticCode,
  DsnAction,
  DsnEnvelope,
  DsnField,
  DsnRecipient,
  DsnRecipientFacts,
  DsnReply,
  MtaName,
  NotifyKeyword,
  NotifyValue,
  PerMessageFields,
  PerRecipientFields,
  ReturnedContent,
  TypedAddress,
} from './dsn-types.js';
export {
  dsnRecipientsFor,
  mayNotify,
  type NotificationPlan,
  type NotifyOptions,
  notifyKeywordFor,
  planNotification,
} from './notify.js';
export { type ParseDsnOptions, parseDsn } from './parse-dsn.js';
export { DEFAULT_RETURN_FULL_LIMIT } from './returned-content.js';
