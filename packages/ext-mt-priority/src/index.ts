export {
  type MtPriority,
  type MtPriorityOptions,
  type MtPriorityPolicy,
  mtPriority,
  parsePriorityValue,
} from './mt-priority.js';
