import { describe, expect, it } from 'vitest';
import { buildHookContext, type ConnectionFacts } from './hook-context.js';

function facts(signal: () => AbortSignal): ConnectionFacts & { reads: number; localReads: number } {
  const f = {
    reads: 0,
    localReads: 0,
    id: 'c1',
    remoteAddress: '192.0.2.1',
    remotePort: 2525,
    localEndpoint: () => {
      f.localReads++;
      return { address: '192.0.2.2', port: 25 };
    },
    proxied: undefined,
    get signal() {
      f.reads++;
      return signal();
    },
  };
  return f;
}

describe('buildHookContext: ctx.signal', () => {
  it('is not made until a hook reads it (a getter, no controller per hook call)', () => {
    const controller = new AbortController();
    const f = facts(() => controller.signal);
    const ctx = buildHookContext(undefined, f);
    expect(f.reads).toBe(0);
    expect(ctx.signal).toBe(controller.signal);
    expect(f.reads).toBe(1);
  });

  it("is the connection's signal: aborting it is seen by a context built earlier", () => {
    const controller = new AbortController();
    const ctx = buildHookContext(
      undefined,
      facts(() => controller.signal),
    );
    const signal = ctx.signal;
    expect(signal.aborted).toBe(false);
    controller.abort('timeout');
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe('timeout');
    expect(signal).toBe(ctx.signal);
  });

  it('is an accessor: reading the other fields does not make it', () => {
    const f = facts(() => new AbortController().signal);
    const ctx = buildHookContext(undefined, f);
    // On the prototype, shared by every context: none is made per hook call.
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(ctx), 'signal')?.get).toBeTypeOf(
      'function',
    );
    expect([ctx.id, ctx.remoteAddress, ctx.localPort, ctx.phase]).toEqual([
      'c1',
      '192.0.2.1',
      25,
      'connected',
    ]);
    expect(f.reads).toBe(0);
  });
});

describe('buildHookContext: the local endpoint', () => {
  it('is read when a hook first asks for it, not when the context is built', () => {
    const f = facts(() => new AbortController().signal);
    const ctx = buildHookContext(undefined, f);
    expect(f.localReads).toBe(0);
    expect([ctx.localAddress, ctx.localPort]).toEqual(['192.0.2.2', 25]);
    expect(f.localReads).toBe(2);
  });

  it('gives the same fields as before: the session facts, then the connection facts', () => {
    const f = facts(() => new AbortController().signal);
    const ctx = buildHookContext(undefined, f);
    expect(Object.keys(ctx)).toEqual([
      'phase',
      'greeting',
      'lmtp',
      'tls',
      'authenticated',
      'limits',
      'mailParams',
      'recipients',
      'id',
      'remoteAddress',
      'remotePort',
      'envelope',
    ]);
    expect(ctx).not.toHaveProperty('heloName');
    expect(ctx).not.toHaveProperty('user');
  });
});
