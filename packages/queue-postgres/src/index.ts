export { type Migration, migrations } from './migrations.js';
export { type QueueSql, queueSql } from './queue-sql.js';
export { checkSchemaName, DEFAULT_SCHEMA } from './schema-name.js';
