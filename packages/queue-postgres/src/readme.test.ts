/**
 * The README's first snippet, run as written (a child process importing the built package by its
 * own name) against a private PostgreSQL: what it prints is what the README says it prints.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PostgresServer, postgresSkipReason, startPostgres } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const snippet = /^```ts\n([\s\S]*?)^```$/m.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1];
const skip = postgresSkipReason();
let pg: PostgresServer | undefined;

function runSnippet(databaseUrl: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['DATABASE_URL'];
  if (databaseUrl !== undefined) env['DATABASE_URL'] = databaseUrl;
  const file = join(root, `.readme-snippet-${process.pid}.mts`);
  writeFileSync(file, snippet ?? '');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('README', () => {
  it('has a snippet', () => {
    expect(snippet).toContain("from '@smtpkit/queue-postgres/node'");
  });

  it('without a database, prints the schema versions only (as the consumer test runs it)', () => {
    const r = runSnippet(undefined);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s/g, '')).toBe('[1,2,3]');
  }, 60_000);

  describe.skipIf(skip !== undefined)('with a database', () => {
    beforeAll(async () => {
      pg = await startPostgres();
    }, 120_000);
    afterAll(async () => {
      await pg?.remove();
    });

    it('enqueues, leases, settles and prints what it says', () => {
      const r = runSnippet((pg as PostgresServer).url());
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]?.replace(/\s/g, '')).toBe('[1,2,3]');
      expect(lines[1]).toMatch(/^\S+ delivered: true$/);
    }, 60_000);
  });
});
