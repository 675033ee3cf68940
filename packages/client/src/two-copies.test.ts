// Two copies of @smtpkit/client in one process (its ESM and CommonJS builds, or a second version
// nested by npm) have two ClientError classes; isClientError recognises both by the Symbol.for brand.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './client-error.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./client-error.js');
});

describe('isClientError', () => {
  it('recognises a ClientError made by a second copy, which instanceof does not', () => {
    const e = new other.ClientError('ERR_CLIENT_MISUSE_STATE', 'x');
    expect(other.ClientError).not.toBe(here.ClientError);
    expect(e).not.toBeInstanceOf(here.ClientError);
    expect(here.isClientError(e)).toBe(true);
  });

  it('recognises a class defined apart with the same Symbol.for brand', () => {
    class Elsewhere extends Error {
      static {
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/client.ClientError'), {
          value: true,
        });
      }
    }
    expect(here.isClientError(new Elsewhere())).toBe(true);
  });

  it('recognises this copy’s own errors and nothing else', () => {
    expect(here.isClientError(new here.ClientError('ERR_CLIENT_REPLY', 'x'))).toBe(true);
    for (const value of [new Error('x'), { code: 'ERR_CLIENT_MISUSE_STATE' }, null, 'x']) {
      expect(here.isClientError(value)).toBe(false);
    }
  });
});
