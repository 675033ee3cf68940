import { parseForwardPath } from '@smtpkit/address';
import { describe, expect, it } from 'vitest';
import { createRouter } from './recipient-router.js';

const rcpt = (text: string) => parseForwardPath(text, { smtputf8: true });

describe('recipient routing', () => {
  const router = createRouter({
    localDomains: ['example.org', 'localhost'],
    catchAll: false,
    aliases: {
      info: ['alice', 'carol@example.net'],
      loop: 'loop2',
      loop2: 'loop',
      abuse: 'postmaster',
    },
    users: new Set(['alice', 'bob']),
  });

  it('delivers local users, refuses unknown ones', () => {
    expect(router.route(rcpt('<Alice@Example.ORG>'))).toEqual([
      { kind: 'local', mailbox: 'alice', address: 'alice@example.org' },
    ]);
    expect(router.route(rcpt('<nobody@example.org>'))).toBeUndefined();
  });

  it('always has postmaster, with and without a domain (RFC 5321 §4.5.1)', () => {
    expect(router.route(rcpt('<postmaster@localhost>'))?.[0]).toMatchObject({
      mailbox: 'postmaster',
    });
    expect(router.route(rcpt('<Postmaster>'))?.[0]).toMatchObject({ mailbox: 'postmaster' });
  });

  it('expands aliases to local and remote addresses, and stops alias loops', () => {
    expect(router.route(rcpt('<info@example.org>'))).toEqual([
      { kind: 'local', mailbox: 'alice', address: 'alice@example.org' },
      { kind: 'remote', domain: 'example.net', address: 'carol@example.net' },
    ]);
    expect(router.route(rcpt('<loop@example.org>'))).toBeUndefined();
    expect(router.route(rcpt('<abuse@example.org>'))?.[0]).toMatchObject({ mailbox: 'postmaster' });
  });

  it('routes other domains remotely, in A-labels', () => {
    expect(router.route(rcpt('<x@Bücher.example>'))).toEqual([
      { kind: 'remote', domain: 'xn--bcher-kva.example', address: 'x@bücher.example' },
    ]);
  });

  it('never makes a path of a local part', () => {
    expect(router.route(rcpt('<"../etc"@example.org>'))).toBeUndefined();
  });

  it('catch-all takes every local address', () => {
    const all = createRouter({
      localDomains: ['example.org'],
      catchAll: true,
      aliases: {},
      users: new Set(),
    });
    expect(all.route(rcpt('<anyone@example.org>'))).toEqual([
      { kind: 'local', mailbox: 'catch-all', address: 'anyone@example.org' },
    ]);
  });
});
