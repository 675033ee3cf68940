import {
  createRegistry,
  defaultExtensions,
  extensionReplies,
  type MailParamsOf,
  parseServerCapabilities,
  type SessionContext,
} from '@smtpkit/extensions';
import { greetedSession } from '@smtpkit/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type MtPriority, mtPriority, parsePriorityValue } from './mt-priority.js';

const ctx: SessionContext = greetedSession();

describe('parsePriorityValue (RFC 6710 §3 priority-value)', () => {
  it('reads -9 .. 9 with an optional sign', () => {
    for (let n = -9; n <= 9; n++) expect(parsePriorityValue(String(n))).toBe(n);
    expect(parsePriorityValue('+4')).toBe(4);
    expect(parsePriorityValue('-0')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '10', '-10', '+', '-', '1.0', ' 1', 'a', '--1', '+-1', '١']) {
      expect(parsePriorityValue(bad), bad).toBeUndefined();
    }
  });
});

describe('mtPriority() in a registry', () => {
  it('advertises the keyword with the optional policy name', () => {
    expect(createRegistry([mtPriority()]).advertise(ctx)).toEqual(['MT-PRIORITY']);
    expect(createRegistry([mtPriority({ policy: 'STANAG4406' })]).advertise(ctx)).toEqual([
      'MT-PRIORITY STANAG4406',
    ]);
    expect(() => mtPriority({ policy: 'BAD NAME' })).toThrow(
      expect.objectContaining({ code: 'ERR_EXTENSION_MISUSE_OPTION', misuse: true }),
    );
  });

  it('parses MT-PRIORITY= into a typed number, 501 5.5.4 when malformed', () => {
    const registry = createRegistry([...defaultExtensions(), mtPriority()]);
    const ok = registry.parseMailParams(
      [
        { keyword: 'SIZE', value: '100' },
        { keyword: 'mt-priority', value: '-3' },
      ],
      ctx,
    );
    expect(ok).toEqual({ ok: true, value: { SIZE: 100, 'MT-PRIORITY': -3 } });
    expect(registry.parseMailParams([{ keyword: 'MT-PRIORITY', value: '12' }], ctx)).toEqual({
      ok: false,
      reply: extensionReplies.R501_5_5_4_InvalidParameterValue,
    });
    expect(
      registry.parseMailParams([{ keyword: 'MT-PRIORITY', value: undefined }], ctx),
    ).toMatchObject({
      ok: false,
      reply: { code: 501 },
    });
  });

  it('is unknown (555 5.5.4) without the extension or in a HELO session', () => {
    const without = createRegistry(defaultExtensions());
    expect(without.parseMailParams([{ keyword: 'MT-PRIORITY', value: '1' }], ctx)).toEqual({
      ok: false,
      reply: extensionReplies.R555_5_5_4_ParameterNotRecognized,
    });
    const registry = createRegistry([mtPriority()]);
    expect(
      registry.parseMailParams([{ keyword: 'MT-PRIORITY', value: '1' }], {
        ...ctx,
        greeting: 'helo',
      }),
    ).toMatchObject({ ok: false, reply: { code: 555 } });
  });

  it("applies the server's policy to the requested priority", () => {
    const registry = createRegistry([
      mtPriority({ accept: (p, c) => (c.authenticated ? p : (Math.min(p, 0) as MtPriority)) }),
    ]);
    const p = [{ keyword: 'MT-PRIORITY', value: '9' }];
    expect(registry.parseMailParams(p, ctx)).toEqual({ ok: true, value: { 'MT-PRIORITY': 0 } });
    expect(registry.parseMailParams(p, { ...ctx, authenticated: true })).toEqual({
      ok: true,
      value: { 'MT-PRIORITY': 9 },
    });
  });

  it('raises the MAIL line limit by the parameter length', () => {
    expect(createRegistry([mtPriority()]).commandLineLimit('MAIL', ctx)).toBe(512 + 15);
  });

  it('client: sends the priority only to a server that offers MT-PRIORITY', () => {
    const registry = createRegistry([mtPriority()]);
    const env = { mailParams: { 'MT-PRIORITY': -2 as const }, recipients: [] };
    const c = { tls: false, lmtp: false };
    const offered = parseServerCapabilities(['mx.example', 'MT-PRIORITY MIXER']);
    expect(registry.clientMailParams(env, offered, c)).toEqual([
      { keyword: 'MT-PRIORITY', value: '-2' },
    ]);
    expect(registry.clientMailParams(env, parseServerCapabilities(['mx.example']), c)).toEqual([]);
  });

  it('types the parameter from the list given', () => {
    const registry = createRegistry([mtPriority()]);
    expectTypeOf<MailParamsOf<typeof registry.extensions>>().toEqualTypeOf<{
      readonly 'MT-PRIORITY'?: MtPriority;
    }>();
    // @ts-expect-error 10 is not a priority
    const bad: MailParamsOf<typeof registry.extensions> = { 'MT-PRIORITY': 10 };
    void bad;
  });
});
