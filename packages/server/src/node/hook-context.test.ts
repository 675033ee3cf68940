import { describe, expect, it } from 'vitest';
import { buildHookContext, type ConnectionFacts } from './hook-context.js';

function facts(signal: () => AbortSignal): ConnectionFacts & { reads: number } {
  const f = {
    reads: 0,
    id: 'c1',
    remoteAddress: '192.0.2.1',
    remotePort: 2525,
    local: () => ({ address: '192.0.2.2', port: 25 }),
    proxied: undefined,
    signal: () => {
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
    expect(Object.getOwnPropertyDescriptor(ctx, 'signal')?.get).toBeTypeOf('function');
    expect([ctx.id, ctx.remoteAddress, ctx.localPort, ctx.phase]).toEqual([
      'c1',
      '192.0.2.1',
      25,
      'connected',
    ]);
    expect(f.reads).toBe(0);
  });
});
