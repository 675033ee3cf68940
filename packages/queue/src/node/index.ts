export { openSpool, type Spool, type SpoolOptions } from './open-spool.js';
export { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
export type { JournalStats } from './spool-store.js';
