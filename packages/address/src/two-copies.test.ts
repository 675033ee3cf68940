// Two copies of @smtpkit/address in one process (its ESM and CommonJS builds, or a second version
// nested by npm) have two AddressError classes; isAddressError recognises both by the
// Symbol.for brand.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './index.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./index.js');
});

describe('isAddressError', () => {
  it('recognises an AddressError thrown by a second copy, which instanceof does not', () => {
    let e: unknown;
    try {
      other.parseMailbox('a..b@example.com');
    } catch (thrown) {
      e = thrown;
    }
    expect(other.AddressError).not.toBe(here.AddressError);
    expect(e).not.toBeInstanceOf(here.AddressError);
    expect(here.isAddressError(e)).toBe(true);
  });

  it('recognises a class defined apart with the same Symbol.for brand', () => {
    class Elsewhere extends Error {
      static {
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/address.AddressError'), {
          value: true,
        });
      }
    }
    expect(here.isAddressError(new Elsewhere())).toBe(true);
  });

  it('recognises this copy’s own errors and nothing else', () => {
    expect(
      here.isAddressError(new here.AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'x')),
    ).toBe(true);
    for (const value of [new Error('x'), { code: 'ERR_ADDRESS_SYNTAX' }, null, 'x']) {
      expect(here.isAddressError(value)).toBe(false);
    }
  });
});
