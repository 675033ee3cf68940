import { describe, expect, it } from 'vitest';
import { authTransportRefusal } from './auth-transport-policy.js';
import { saslReplies } from './sasl-replies.js';

describe('AUTH only over TLS unless an option says otherwise', () => {
  it('refuses clear-text AUTH with 538 5.7.11 (RFC 4954 §6)', () => {
    const reply = authTransportRefusal({ secure: false });
    expect(reply).toBe(saslReplies.R538_5_7_11_EncryptionRequired);
    expect(reply?.code).toBe(538);
    expect(reply?.enhanced).toEqual({ class: 5, subject: 7, detail: 11 });
  });
  it('allows AUTH over TLS, or in clear text when explicitly allowed', () => {
    expect(authTransportRefusal({ secure: true })).toBeUndefined();
    expect(authTransportRefusal({ secure: false, allowInsecureAuth: true })).toBeUndefined();
  });
  it('every AUTH reply pairs the RFC 4954 §6 basic and enhanced codes', () => {
    const pairs = Object.values(saslReplies).map(
      (r) => `${r.code} ${r.enhanced?.class}.${r.enhanced?.subject}.${r.enhanced?.detail}`,
    );
    expect(pairs).toEqual([
      '235 2.7.0',
      '454 4.7.0',
      '500 5.5.6',
      '501 5.0.0',
      '501 5.5.2',
      '501 5.5.2',
      '503 5.5.1',
      '504 5.5.4',
      '530 5.7.0',
      '534 5.7.9',
      '535 5.7.8',
      '538 5.7.11',
    ]);
  });
});
