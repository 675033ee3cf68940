import { describe, expect, it } from 'vitest';
import type { DsnAction } from './dsn-types.js';
import { dsnRecipientsFor, mayNotify, notifyKeywordFor, planNotification } from './notify.js';

const ACTIONS: readonly DsnAction[] = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'];

describe('mayNotify (RFC 3461 §4.1)', () => {
  it('NOTIFY=NEVER: no notice of any kind', () => {
    for (const action of ACTIONS) expect(mayNotify(action, 'NEVER')).toBe(false);
  });

  it('SUCCESS, FAILURE and DELAY each select their notices only', () => {
    expect(ACTIONS.filter((a) => mayNotify(a, ['SUCCESS']))).toEqual([
      'delivered',
      'relayed',
      'expanded',
    ]);
    expect(ACTIONS.filter((a) => mayNotify(a, ['FAILURE']))).toEqual(['failed']);
    expect(ACTIONS.filter((a) => mayNotify(a, ['DELAY']))).toEqual(['delayed']);
    expect(ACTIONS.filter((a) => mayNotify(a, ['FAILURE', 'DELAY']))).toEqual([
      'failed',
      'delayed',
    ]);
  });

  it('absent NOTIFY: failures and delays by default, never a success notice', () => {
    expect(ACTIONS.filter((a) => mayNotify(a, undefined))).toEqual(['failed', 'delayed']);
  });

  it('absent NOTIFY: the MTA chooses whether delays are told (whenAbsent)', () => {
    const options = { whenAbsent: ['FAILURE'] as const };
    expect(ACTIONS.filter((a) => mayNotify(a, undefined, options))).toEqual(['failed']);
    // An explicit NOTIFY is the sender's word, not the MTA's.
    expect(mayNotify('delayed', ['DELAY'], options)).toBe(true);
  });

  it('maps actions to keywords', () => {
    expect(ACTIONS.map(notifyKeywordFor)).toEqual([
      'FAILURE',
      'DELAY',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
  });
});

describe('dsnRecipientsFor', () => {
  const recipients = [
    { address: 'a@example.org' },
    { address: 'b@example.org', notify: 'NEVER' as const },
    { address: 'c@example.org', notify: ['SUCCESS'] as const },
    { address: 'd@example.org', notify: ['SUCCESS', 'FAILURE'] as const },
  ];

  it('keeps, in order, the recipients whose NOTIFY selects the action', () => {
    expect(dsnRecipientsFor('failed', recipients).map((r) => r.address)).toEqual([
      'a@example.org',
      'd@example.org',
    ]);
    expect(dsnRecipientsFor('delivered', recipients).map((r) => r.address)).toEqual([
      'c@example.org',
      'd@example.org',
    ]);
    expect(dsnRecipientsFor('delayed', recipients).map((r) => r.address)).toEqual([
      'a@example.org',
    ]);
  });
});

describe('planNotification', () => {
  const rcpt = { address: 'a@example.org' };

  it('a message from <> never gets a DSN: a failure goes to the postmaster (double bounce)', () => {
    expect(planNotification('failed', { sender: '' }, [rcpt])).toEqual({
      send: 'double-bounce',
      recipients: [rcpt],
    });
    // Whatever NOTIFY said: the postmaster must learn that a bounce was lost.
    const never = { address: 'b@example.org', notify: 'NEVER' as const };
    expect(planNotification('failed', { sender: '' }, [never])).toEqual({
      send: 'double-bounce',
      recipients: [never],
    });
  });

  it('a message from <>: no notice for delays and successes, none for no recipients', () => {
    expect(planNotification('delayed', { sender: '' }, [rcpt])).toEqual({ send: 'none' });
    expect(
      planNotification('delivered', { sender: '' }, [{ ...rcpt, notify: ['SUCCESS'] }]),
    ).toEqual({
      send: 'none',
    });
    expect(planNotification('failed', { sender: '' }, [])).toEqual({ send: 'none' });
  });

  it('otherwise a DSN to the sender for the recipients NOTIFY selects', () => {
    const never = { address: 'b@example.org', notify: 'NEVER' as const };
    expect(planNotification('failed', { sender: 's@example.com' }, [rcpt, never])).toEqual({
      send: 'dsn',
      recipients: [rcpt],
    });
    expect(planNotification('failed', { sender: 's@example.com' }, [never])).toEqual({
      send: 'none',
    });
    expect(planNotification('delivered', { sender: 's@example.com' }, [rcpt])).toEqual({
      send: 'none',
    });
  });
});
