import { describe, expect, it } from 'vitest';
import { extensionContextOf, isPlainSessionContext } from './extension-context.js';
import type { SessionContext } from './session-context.js';

const plain: SessionContext = {
  phase: 'rcpt',
  greeting: 'ehlo',
  lmtp: false,
  tls: true,
  authenticated: false,
  limits: { commandLine: 512 },
  mailParams: { SIZE: 10 },
  recipients: 2,
  peerAddress: '192.0.2.1',
};

describe('extensionContextOf', () => {
  it('copies a plain context field by field, as a spread would, keys in the same order', () => {
    expect(isPlainSessionContext(plain)).toBe(true);
    const keywords = new Set(['SIZE']);
    const ectx = extensionContextOf(plain, keywords, true);
    const spread = { ...plain, keywords };
    expect(ectx).toEqual(spread);
    expect(Object.keys(ectx)).toEqual(Object.keys(spread));
    expect(ectx.keywords).toBe(keywords);
    expect(ectx).not.toBe(plain);
  });

  it('spreads a context with other keys, another key order or symbol keys', () => {
    const extra = { ...plain, custom: 1 } as SessionContext;
    const { recipients, ...others } = plain;
    const reordered = { recipients, ...others } as SessionContext; // recipients comes first
    const { phase, ...rest } = plain;
    const phaseLast = { ...rest, phase } as SessionContext;
    const symbol = { ...plain, [Symbol('s')]: 1 } as SessionContext;
    expect(isPlainSessionContext(extra)).toBe(false);
    expect(isPlainSessionContext(reordered)).toBe(false);
    expect(isPlainSessionContext(phaseLast)).toBe(false);
    expect(isPlainSessionContext(symbol)).toBe(false);
    const keywords = new Set<string>();
    for (const ctx of [extra, reordered, phaseLast, symbol]) {
      const ectx = extensionContextOf(ctx, keywords, false);
      expect(ectx).toEqual({ ...ctx, keywords });
      expect(Object.keys(ectx)).toEqual(Object.keys({ ...ctx, keywords }));
    }
  });
});
