// Two copies of @smtpkit/sasl in one process (its ESM and CommonJS builds, or a second version
// nested by npm) have two SaslError classes; isSaslError recognises both by the Symbol.for brand.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './index.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./index.js');
});

describe('isSaslError', () => {
  it('recognises a SaslError made by a second copy, which instanceof does not', () => {
    const e = new other.SaslError('ERR_SASL_MISUSE_STATE', 'x');
    expect(other.SaslError).not.toBe(here.SaslError);
    expect(e).not.toBeInstanceOf(here.SaslError);
    expect(here.isSaslError(e)).toBe(true);
  });

  it('recognises a class defined apart with the same Symbol.for brand', () => {
    class Elsewhere extends Error {
      static {
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/sasl.SaslError'), {
          value: true,
        });
      }
    }
    expect(here.isSaslError(new Elsewhere())).toBe(true);
  });

  it('recognises this copy’s own errors and nothing else', () => {
    expect(here.isSaslError(new here.SaslError('ERR_SASL_SERVER_ERROR', 'x'))).toBe(true);
    for (const value of [new Error('x'), { code: 'ERR_SASL_MISUSE_STATE' }, null, 'x']) {
      expect(here.isSaslError(value)).toBe(false);
    }
  });
});
