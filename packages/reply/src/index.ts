export { type BasicReplyCodeInfo, basicReplyCodes } from './basic-reply-codes.js';
export {
  type ReplyCategory,
  type ReplyCodeDescription,
  describeReplyCode,
} from './describe-reply-code.js';
export {
  describeEnhancedStatus,
  type EnhancedStatusDescription,
  enhancedStatus,
  findEnumeratedStatus,
} from './describe-enhanced-status.js';
export {
  type EnhancedClass,
  type EnhancedStatus,
  enhancedStatusEquals,
  formatEnhancedStatus,
  isEnhancedStatus,
  parseEnhancedStatus,
  scanEnhancedStatus,
} from './enhanced-status.js';
export type {
  ClassSubCodeRecord,
  EnumeratedStatusRecord,
  SubjectSubCodeRecord,
} from './enhanced-status-record.js';
export { type FormatReplyLinesOptions, formatReplyLines } from './format-reply-lines.js';
export {
  classSubCodes,
  ENHANCED_STATUS_REGISTRY_UPDATED,
  enumeratedStatusCodes,
  Status,
  Subject,
  subjectSubCodes,
} from './generated/enhanced-status-registry.js';
export { type ReplyCatalogue, type ReplyName, replies } from './replies.js';
export {
  checkedReply,
  createReply,
  isReply,
  MAX_REPLY_LINE_OCTETS,
  type Reply,
  withText,
} from './reply.js';
export {
  type HasCode,
  isIntermediate,
  isNegative,
  isPermanent,
  isPositive,
  isTransient,
  type ReplyClass,
  replyClass,
} from './reply-class.js';
export * from './reply-codes.js';
export { isReplyError, ReplyError, type ReplyErrorCode } from './reply-error.js';
export { isReplyException, ReplyException } from './reply-exception.js';
