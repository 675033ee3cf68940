import { createRegistry, type SessionContext } from '@smtpkit/extensions';
import { greetedSession } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { createAllowList } from './cidr.js';
import { xclientReplies } from './xclient.js';
import { xclient } from './xclient-extension.js';

// Attack: an ordinary client sends XCLIENT to claim another address or a login name and so slip
// past relay or sender checks. Postfix answers such clients "550 5.7.0 Error: insufficient
// authorization"; so do we, whatever the arguments are, and the keyword is not advertised to them.
describe('attack: XCLIENT from a peer outside the allow-list', () => {
  const registry = createRegistry([
    xclient({ allowFrom: createAllowList(['127.0.0.0/8', '::1']) }),
  ]);
  const ctx = (peerAddress: string | undefined): SessionContext => ({
    ...greetedSession(),
    peerAddress,
  });
  it.each(['203.0.113.9', '::2', '::ffff:203.0.113.9', 'garbage'])(
    '%s is refused with 550 5.7.0 and is not offered XCLIENT',
    (peer) => {
      expect(registry.dispatch('XCLIENT', 'ADDR=127.0.0.1 LOGIN=postmaster', ctx(peer))).toEqual({
        kind: 'reply',
        reply: xclientReplies.R550_5_7_0_XclientNotAuthorized,
      });
      expect(registry.advertise(ctx(peer))).toEqual([]);
    },
  );
  it('an unknown peer address is refused', () => {
    expect(registry.dispatch('XCLIENT', 'ADDR=192.0.2.1', ctx(undefined))).toMatchObject({
      reply: xclientReplies.R550_5_7_0_XclientNotAuthorized,
    });
  });
  it('even malformed arguments get 550, not a syntax hint', () => {
    expect(registry.dispatch('XCLIENT', 'FOO=bar', ctx('198.51.100.1'))).toMatchObject({
      reply: xclientReplies.R550_5_7_0_XclientNotAuthorized,
    });
  });
  it('an allowed peer is accepted and offered the attributes', () => {
    expect(registry.dispatch('XCLIENT', 'LOGIN=alice', ctx('::1'))).toMatchObject({
      kind: 'restart',
      client: { source: 'XCLIENT', user: 'alice' },
    });
    expect(registry.advertise(ctx('::1'))).toEqual([
      'XCLIENT NAME ADDR PORT PROTO HELO LOGIN DESTADDR DESTPORT',
    ]);
  });
});
