import { describe, expect, it } from 'vitest';
import { DsnError, isDsnError } from './dsn-error.js';

describe('DsnError', () => {
  it('reads misuse from the code', () => {
    expect(new DsnError('ERR_DSN_MISUSE_STATUS', 'x').misuse).toBe(true);
    expect(new DsnError('ERR_DSN_SYNTAX', 'x').misuse).toBe(false);
    expect(new DsnError('ERR_DSN_SYNTAX', 'x', { cause: 1 }).cause).toBe(1);
  });

  it('is recognised by its brand, also when made by another copy of the class', () => {
    expect(isDsnError(new DsnError('ERR_DSN_SYNTAX', 'x'))).toBe(true);
    const other = Object.create({ [Symbol.for('@smtpkit/dsn.DsnError')]: true });
    expect(isDsnError(other)).toBe(true);
    expect(isDsnError(new Error('x'))).toBe(false);
    expect(isDsnError(null)).toBe(false);
  });
});
