import { isQueueError } from '@smtpkit/queue';
import { describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { queueSql } from './queue-sql.js';
import { checkSchemaName, DEFAULT_SCHEMA } from './schema-name.js';

describe('migrations and SQL', () => {
  it('versions ascend from 1 without gaps, each with a name, every object in the schema', () => {
    const steps = migrations('mail_q');
    expect(steps.map((m) => m.version)).toEqual(steps.map((_, i) => i + 1));
    for (const m of steps) {
      expect(m.name).not.toBe('');
      for (const [, object] of m.sql.matchAll(
        /CREATE (?:TABLE|INDEX \w+ ON|SEQUENCE|FUNCTION) (\S+)/g,
      ))
        expect(object?.startsWith('mail_q.')).toBe(true);
    }
  });

  it('every statement names only the given schema', () => {
    for (const text of Object.values(queueSql('mail_q')))
      for (const [, name] of text.matchAll(
        /\b(\w+)\.(?:messages|chunks|recipients|deliveries|lease|settle_many|enqueue|reschedule)\b/g,
      ))
        expect(name).toBe('mail_q');
  });

  it('a schema name is an identifier that needs no quoting; anything else is misuse', () => {
    expect(checkSchemaName(DEFAULT_SCHEMA)).toBe('smtpkit_queue');
    for (const bad of ['', 'Queue', '1q', 'a-b', 'x; DROP TABLE y', 'q"', 'a'.repeat(64)]) {
      let error: unknown;
      try {
        checkSchemaName(bad);
      } catch (e) {
        error = e;
      }
      expect(isQueueError(error) && error.code).toBe('ERR_QUEUE_MISUSE_OPTION');
    }
    expect(() => migrations('bad name')).toThrow();
  });
});
