export {
  type EnhancedClass,
  type EnhancedStatus,
  enhancedStatusEquals,
  formatEnhancedStatus,
  isEnhancedStatus,
  parseEnhancedStatus,
  scanEnhancedStatus,
} from './enhanced-status.js';
export { type FormatReplyLinesOptions, formatReplyLines } from './format-reply-lines.js';
export { type ReplyName, replies } from './replies.js';
export { createReply, isReply, MAX_REPLY_LINE_OCTETS, type Reply, withText } from './reply.js';
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
export { ReplyError, type ReplyErrorCode } from './reply-error.js';
export { ReplyException } from './reply-exception.js';
