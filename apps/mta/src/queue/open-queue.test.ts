import { describe, expect, it } from 'vitest';
import { overridesOf } from '../cli/run-flags.js';
import { describeQueue, queueLocation } from './open-queue.js';

describe('the queue a configuration names', () => {
  it('a postgres:// or postgresql:// URL is the shared database; anything else a spool directory', () => {
    expect(queueLocation({ dataDir: '/var/lib/mta', queue: 'postgres://mta@db/mail' })).toEqual({
      kind: 'postgres',
      url: 'postgres://mta@db/mail',
    });
    expect(queueLocation({ dataDir: '/d', queue: 'postgresql://db/q' }).kind).toBe('postgres');
    expect(queueLocation({ dataDir: '/var/lib/mta' })).toEqual({
      kind: 'spool',
      dir: '/var/lib/mta/spool',
    });
    expect(queueLocation({ dataDir: '/d', queue: '/srv/spool' })).toEqual({
      kind: 'spool',
      dir: '/srv/spool',
    });
  });

  it('logs and errors name the database without its password', () => {
    expect(
      describeQueue({ kind: 'postgres', url: 'postgres://mta:s3cret@db.internal:5432/mail' }),
    ).toBe('postgres://mta:***@db.internal:5432/mail');
    expect(describeQueue({ kind: 'spool', dir: '/srv/spool' })).toBe('/srv/spool');
  });

  it('--queue sets the queue key, and wins over --spool', () => {
    expect(overridesOf({ queue: 'postgres://db/q' })).toEqual({ queue: 'postgres://db/q' });
    // --spool DIR stays the Maildirs' root (scripted runs keep everything in DIR).
    expect(overridesOf({ spool: '/s', queue: 'postgres://db/q' })).toEqual({
      queue: 'postgres://db/q',
      mailboxes: '/s',
    });
    expect(overridesOf({ spool: '/s', mailboxes: '/m' })).toEqual({ queue: '/s', mailboxes: '/m' });
  });
});
