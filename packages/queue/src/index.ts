export { checkEnvelope, isMessageEnvelope } from './envelope-check.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { collectMessage, type MessageSource, messageChunks } from './message-bytes.js';
export { isQueueError, QueueError, type QueueErrorCode } from './queue-error.js';
export type {
  Lease,
  LeaseRequest,
  MessageEnvelope,
  QueuedMessage,
  QueuedRecipient,
  QueueSelector,
  QueueStats,
  QueueStore,
  RecipientResult,
  RecipientState,
  StoredReply,
} from './queue-store.js';
export {
  backoffMs,
  defaultRetryPolicy,
  delayWarningDue,
  lifetimeEnd,
  type RetryPolicy,
  retryPolicy,
} from './retry-policy.js';
export {
  bounceResults,
  expiredReply,
  type NoticeRecipient,
  planSettlement,
  type QueueNotice,
  type SettlementPlan,
} from './settlement-plan.js';
