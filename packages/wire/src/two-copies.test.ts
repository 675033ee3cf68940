// Two copies of @smtpkit/wire in one process (its ESM and CommonJS builds, or a second version
// nested by npm) have two WireError classes; isWireError recognises both by the Symbol.for brand.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as here from './index.js';

let other: typeof here;
beforeAll(async () => {
  vi.resetModules();
  other = await import('./index.js');
});

describe('isWireError', () => {
  it('recognises a WireError thrown by a second copy, which instanceof does not', () => {
    let e: unknown;
    try {
      other.parseCommand('MAIL FROM:<a@example.com> SIZE=1 SIZE=2');
    } catch (thrown) {
      e = thrown;
    }
    expect(other.WireError).not.toBe(here.WireError);
    expect(e).not.toBeInstanceOf(here.WireError);
    expect(here.isWireError(e)).toBe(true);
  });

  it('recognises a class defined apart with the same Symbol.for brand', () => {
    class Elsewhere extends Error {
      static {
        Object.defineProperty(Elsewhere.prototype, Symbol.for('@smtpkit/wire.WireError'), {
          value: true,
        });
      }
    }
    expect(here.isWireError(new Elsewhere())).toBe(true);
  });

  it('recognises this copy’s own errors and nothing else', () => {
    expect(here.isWireError(new here.WireError('ERR_WIRE_COMMAND_SYNTAX', 'x'))).toBe(true);
    for (const value of [new Error('x'), { code: 'ERR_WIRE_COMMAND_SYNTAX' }, null, 'x']) {
      expect(here.isWireError(value)).toBe(false);
    }
  });
});
