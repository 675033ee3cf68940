export type { BatchLimits } from './commit-group.js';
export { applyMigrations, type MigrationPool, type MigrationResult } from './migrate.js';
export {
  openPostgresQueue,
  type PostgresQueue,
  type PostgresQueueOptions,
} from './open-postgres-queue.js';
export type { PostgresQueueCounters } from './postgres-store.js';
export { nodeOwnerId } from './queue-ids.js';
