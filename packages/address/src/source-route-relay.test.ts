/**
 * Attack: relaying through a source route. RFC 5321 §3.6.1: "SMTP servers MAY decline to act as
 * mail relays"; §4.1.1.3 and Appendix C: source routes MUST be accepted, SHOULD be ignored. The
 * parsed path carries only the final mailbox, so a relay decision can never be based on the route.
 */
import { describe, expect, it } from 'vitest';
import { parseForwardPath } from './path.js';

describe('source route relay', () => {
  it('drops every hop and keeps only the final mailbox', () => {
    const p = parseForwardPath('<@trusted.example,@inside.example:victim@elsewhere.example>');
    expect(p).toEqual({
      kind: 'mailbox',
      mailbox: {
        localPart: 'victim',
        domain: { kind: 'domain', ascii: 'elsewhere.example', unicode: 'elsewhere.example' },
      },
    });
    expect(JSON.stringify(p)).not.toMatch(/trusted|inside/);
  });
});
