import { createRegistry, type SessionContext } from '@smtpkit/extensions';
import { greetedSession } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MtPriority, mtPriority, parsePriorityValue } from './mt-priority.js';

const ctx: SessionContext = greetedSession();
const registry = createRegistry([mtPriority()]);
const alphabet = fc
  .array(fc.constantFrom(...'<>:@.,;="\\\r\n +-0123456789aZ'), { maxLength: 6 })
  .map((a) => a.join(''));

describe('MT-PRIORITY properties', () => {
  it('any value gets a typed priority or a 501, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(alphabet, fc.string({ maxLength: 6 })), (v) => {
        const r = registry.parseMailParams([{ keyword: 'MT-PRIORITY', value: v }], ctx);
        if (r.ok) expect(r.value['MT-PRIORITY']).toBe(parsePriorityValue(v));
        else expect(r.reply.code).toBe(501);
      }),
    );
  });

  it('client format parses back to the same priority', () => {
    const caps = { domain: '', keywords: new Map(), has: () => true, params: () => [] };
    fc.assert(
      fc.property(fc.integer({ min: -9, max: 9 }), (n) => {
        const p = n as MtPriority;
        const sent = registry.clientMailParams(
          { mailParams: { 'MT-PRIORITY': p }, recipients: [] },
          caps,
          { tls: false, lmtp: false },
        );
        expect(registry.parseMailParams(sent, ctx)).toEqual({
          ok: true,
          value: { 'MT-PRIORITY': p },
        });
      }),
    );
  });
});
