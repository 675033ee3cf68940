export { type LimitsOptions, limits } from './limits.js';
export { batchRecipients, parseLimits, type ServerLimits, serverLimits } from './server-limits.js';
