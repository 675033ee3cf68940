import { describe, expect, it } from 'vitest';
import { createPlainMechanism } from './plain-mechanism.js';
import { SaslError, type SaslErrorCode } from './sasl-error.js';

describe('SaslError', () => {
  it('tells misuse from a peer fault by its code', () => {
    const table: Record<SaslErrorCode, boolean> = {
      ERR_SASL_MISUSE_STATE: true,
      ERR_SASL_MISUSE_OPTION: true,
      ERR_SASL_SERVER_CHALLENGE: false,
      ERR_SASL_SERVER_SIGNATURE: false,
      ERR_SASL_SERVER_ERROR: false,
    };
    for (const [code, misuse] of Object.entries(table)) {
      expect(new SaslError(code as SaslErrorCode, 'x').misuse).toBe(misuse);
    }
  });

  it('a mechanism driven out of order throws misuse', () => {
    const m = createPlainMechanism();
    let error: unknown;
    try {
      m.secrets(undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SaslError);
    expect((error as SaslError).misuse).toBe(true);
  });
});
