// Two copies of @smtpkit/server in one process (its ESM and CommonJS builds, or a second version
// nested by npm) have two ServerError classes; isServerError recognises both by the Symbol.for
// brand.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './server-error.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./server-error.js');
});

describe('isServerError', () => {
  it('recognises a ServerError made by a second copy, which instanceof does not', () => {
    const e = new other.ServerError('ERR_SERVER_MISUSE_STATE', 'x');
    expect(other.ServerError).not.toBe(here.ServerError);
    expect(e).not.toBeInstanceOf(here.ServerError);
    expect(here.isServerError(e)).toBe(true);
  });

  it('recognises a class defined apart with the same Symbol.for brand', () => {
    class Elsewhere extends Error {
      static {
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/server.ServerError'), {
          value: true,
        });
      }
    }
    expect(here.isServerError(new Elsewhere())).toBe(true);
  });

  it('recognises this copy’s own errors and nothing else', () => {
    expect(here.isServerError(new here.ServerError('ERR_SERVER_MISUSE_STATE', 'x'))).toBe(true);
    for (const value of [new Error('x'), { code: 'ERR_SERVER_MISUSE_STATE' }, null, 'x']) {
      expect(here.isServerError(value)).toBe(false);
    }
  });
});
