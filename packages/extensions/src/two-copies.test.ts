// Two copies of @smtpkit/extensions in one process (its ESM and CommonJS builds, or a second
// version nested by npm) have two ExtensionError and two ClientRefusal classes; isExtensionError
// and isClientRefusal recognise both by their Symbol.for brands.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './index.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./index.js');
});

describe('isExtensionError and isClientRefusal', () => {
  it('recognise an ExtensionError thrown by a second copy, which instanceof does not', () => {
    let e: unknown;
    try {
      other.createRegistry([other.size(), other.size()]);
    } catch (thrown) {
      e = thrown;
    }
    expect(other.ExtensionError).not.toBe(here.ExtensionError);
    expect(e).not.toBeInstanceOf(here.ExtensionError);
    expect(here.isExtensionError(e)).toBe(true);
    expect(here.isClientRefusal(e)).toBe(false);
  });

  it('recognise a ClientRefusal made by a second copy as both', () => {
    const r = new other.ClientRefusal('ERR_EXTENSION_SIZE_EXCEEDS_LIMIT', 'SIZE', 'big', true);
    expect(r).not.toBeInstanceOf(here.ClientRefusal);
    expect(here.isClientRefusal(r)).toBe(true);
    expect(here.isExtensionError(r)).toBe(true);
  });

  it('recognise classes defined apart with the same Symbol.for brands', () => {
    class Elsewhere extends Error {
      static {
        for (const name of ['ExtensionError', 'ClientRefusal']) {
          Object.defineProperty(Elsewhere.prototype, Symbol.for(`@smtpkit/extensions.${name}`), {
            value: true,
          });
        }
      }
    }
    expect(here.isExtensionError(new Elsewhere())).toBe(true);
    expect(here.isClientRefusal(new Elsewhere())).toBe(true);
  });

  it('recognise nothing else', () => {
    for (const value of [new Error('x'), { code: 'ERR_EXTENSION_MISUSE_OPTION' }, null, 'x']) {
      expect(here.isExtensionError(value)).toBe(false);
      expect(here.isClientRefusal(value)).toBe(false);
    }
  });
});
