import { describe, expect, it } from 'vitest';
import { extensionReplies } from '../extension-replies.js';
import { createRegistry } from '../registry.js';
import { sessionContext } from '../test-context.js';
import { auth } from './auth.js';

// The reply to AUTH when the extension is not in effect. RFC 4954 §3 offers AUTH through the
// EHLO keyword: before EHLO (or after HELO) the command is out of sequence (RFC 5321 §4.1.4:
// "A session that will contain mail transactions MUST first be initialized by the use of the
// EHLO command"), 503 5.5.1. RFC 4954 §6: 538 5.7.11 "Encryption required for requested
// authentication mechanism" only when encryption is what is missing.
describe('AUTH refused while not in effect', () => {
  const plainAllowed = createRegistry([auth({ mechanisms: ['PLAIN'], allowWithoutTls: true })]);
  const tlsOnly = createRegistry([auth({ mechanisms: ['PLAIN'] })]);
  const none = createRegistry([auth({ mechanisms: [] })]);
  const dispatch = (r: typeof tlsOnly, ctx: Parameters<typeof tlsOnly.dispatch>[2]) =>
    r.dispatch('AUTH', 'PLAIN', ctx);
  const badSequence = { kind: 'reply', reply: extensionReplies.R503_5_5_1_BadSequence };

  it('before any greeting: 503 5.5.1, whatever the TLS policy', () => {
    for (const registry of [plainAllowed, tlsOnly]) {
      for (const tls of [false, true]) {
        const ctx = sessionContext({ greeting: undefined, phase: 'connected', tls });
        expect(dispatch(registry, ctx)).toEqual(badSequence);
      }
    }
  });

  it('after HELO: 503 5.5.1 (AUTH is an EHLO extension)', () => {
    for (const registry of [plainAllowed, tlsOnly]) {
      for (const tls of [false, true]) {
        expect(dispatch(registry, sessionContext({ greeting: 'helo', tls }))).toEqual(badSequence);
      }
    }
  });

  it('after EHLO without TLS, mechanisms for TLS only: 538 5.7.11', () => {
    expect(dispatch(tlsOnly, sessionContext())).toEqual({
      kind: 'reply',
      reply: extensionReplies.R538_5_7_11_EncryptionRequiredForAuthMechanism,
    });
  });

  it('after EHLO with no mechanism at all: 502 5.5.1', () => {
    for (const tls of [false, true]) {
      expect(dispatch(none, sessionContext({ tls }))).toEqual({
        kind: 'reply',
        reply: extensionReplies.R502_5_5_1_CommandNotImplemented,
      });
    }
  });

  it('in effect after EHLO (allowWithoutTls) or under TLS: the exchange starts', () => {
    const started = { kind: 'auth', mechanism: 'PLAIN', initialResponse: undefined };
    expect(dispatch(plainAllowed, sessionContext())).toEqual(started);
    expect(dispatch(tlsOnly, sessionContext({ tls: true }))).toEqual(started);
  });
});
