import { describe, expect, it } from 'vitest';
import { postgresSkipReason, startPostgres } from './postgres.js';

const skip = postgresSkipReason();

describe.skipIf(skip !== undefined)('startPostgres (a private cluster)', () => {
  it('initdb, start on 127.0.0.1, SQL, an immediate stop and a restart that keeps the data, removal', async () => {
    const pg = await startPostgres();
    try {
      expect(pg.url()).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      await pg.psql('CREATE TABLE t (v int); INSERT INTO t VALUES (42)');
      expect((await pg.psql('SHOW listen_addresses')).trim()).toBe('127.0.0.1');
      expect((await pg.psql('SHOW fsync')).trim()).toBe('on');
      await pg.stop('immediate');
      expect(await pg.running()).toBe(false);
      await pg.start();
      expect((await pg.psql('SELECT v FROM t')).trim()).toBe('42');
    } finally {
      await pg.remove();
    }
    expect(await pg.running()).toBe(false);
  }, 120_000);
});
