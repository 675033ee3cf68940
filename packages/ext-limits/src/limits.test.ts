import { createRegistry, defaultExtensions, type SessionContext } from '@smtpkit/extensions';
import { greetedSession } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { limits } from './limits.js';

const ctx: SessionContext = greetedSession();

describe('limits() server side (RFC 9422)', () => {
  it('advertises the explicit limits in a LIMITS ehlo-line', () => {
    const registry = createRegistry([limits({ rcptMax: 20, mailMax: 10, rcptDomainMax: 3 })]);
    expect(registry.advertise(ctx)).toEqual(['LIMITS MAILMAX=10 RCPTMAX=20 RCPTDOMAINMAX=3']);
  });

  it('advertises what the session enforces when no value is given, the smaller when both', () => {
    const registry = createRegistry([...defaultExtensions(), limits({ rcptMax: 200 })]);
    const enforced = { ...ctx, limits: { commandLine: 512, recipients: 100, transactions: 5 } };
    expect(registry.advertise(enforced)).toContain('LIMITS MAILMAX=5 RCPTMAX=100');
  });

  it('stays silent with no limit to tell', () => {
    expect(createRegistry([limits()]).advertise(ctx)).toEqual([]);
    expect(
      createRegistry([limits({ fromSession: false })]).advertise({
        ...ctx,
        limits: { commandLine: 512, recipients: 100 },
      }),
    ).toEqual([]);
  });

  it('declares explicit limits so the server enforces what it advertises', () => {
    expect(createRegistry([limits({ rcptMax: 20, mailMax: 10 })]).limits).toEqual({
      recipients: 20,
      transactions: 10,
    });
  });

  it('refuses a non-positive or fractional limit (API misuse)', () => {
    for (const bad of [{ rcptMax: 0 }, { mailMax: 1.5 }]) {
      expect(() => limits(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_EXTENSION_MISUSE_OPTION', misuse: true }),
      );
    }
  });

  it('is not advertised in a HELO session', () => {
    expect(
      createRegistry([limits({ rcptMax: 1 })]).advertise({ ...ctx, greeting: 'helo' }),
    ).toEqual([]);
  });
});
