import { describe, expect, it } from 'vitest';
import { createAllowList } from './cidr.js';
import { handleXclient, xclientReplies } from './xclient.js';

// Attack: an ordinary client sends XCLIENT to claim another address or a login name and so slip
// past relay or sender checks. Postfix answers such clients "550 5.7.0 Error: insufficient
// authorization"; so do we, whatever the arguments are.
describe('attack: XCLIENT from a peer outside the allow-list', () => {
  const allowedPeers = createAllowList(['127.0.0.0/8', '::1']);
  it.each(['203.0.113.9', '::2', '::ffff:203.0.113.9', 'garbage'])(
    '%s is refused with 550 5.7.0',
    (remoteAddress) => {
      expect(
        handleXclient('ADDR=127.0.0.1 LOGIN=postmaster', { remoteAddress, allowedPeers }),
      ).toEqual({
        kind: 'refused',
        reply: xclientReplies.R550_5_7_0_XclientNotAuthorized,
        code: 'ERR_XCLIENT_NOT_ALLOWED',
      });
    },
  );
  it('an unknown peer address is refused', () => {
    expect(handleXclient('ADDR=192.0.2.1', { remoteAddress: undefined, allowedPeers }).kind).toBe(
      'refused',
    );
  });
  it('even malformed arguments get 550, not a syntax hint', () => {
    expect(
      handleXclient('FOO=bar', { remoteAddress: '198.51.100.1', allowedPeers: ['127.0.0.0/8'] }),
    ).toMatchObject({
      reply: xclientReplies.R550_5_7_0_XclientNotAuthorized,
    });
  });
  it('an allowed peer is accepted', () => {
    expect(handleXclient('LOGIN=alice', { remoteAddress: '::1', allowedPeers }).kind).toBe(
      'accepted',
    );
  });
});
