import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { punycodeDecode } from './punycode.js';

interface PunycodeRow {
  decoded?: string;
  encoded: string | null;
  description?: string;
  valid: boolean;
}

describe('RFC 3492 decoding (idna/punycode.jsonl)', () => {
  const rows = readJsonl<PunycodeRow>('idna', 'punycode.jsonl');

  it('has every pair', () => {
    expect(rows.length).toBe(26);
  });

  it.each(rows.filter((r) => r.valid).map((r) => [r.encoded, r] as const))(
    'decodes %s',
    (_e, r) => {
      expect(punycodeDecode(r.encoded ?? '')).toBe(r.decoded);
    },
  );

  it('has one must-fail row, an encoder overflow, which a decoder cannot exercise', () => {
    // The package only decodes (A-label → U-label for display); encoding is tr46's job.
    const bad = rows.filter((r) => !r.valid);
    expect(bad.map((r) => r.encoded)).toEqual([null]);
  });

  it('fails cleanly on delta overflow, and never throws', () => {
    expect(punycodeDecode('99999999999999999')).toBeNull();
    for (const s of ['99999999a', 'zzzzzzzzzzzza', '-', '--', 'a-', '9'.repeat(200), 'ab-9zz']) {
      expect(() => punycodeDecode(s), s).not.toThrow();
    }
  });

  it('refuses non-digits and truncated deltas', () => {
    expect(punycodeDecode('tda!')).toBeNull();
    expect(punycodeDecode('é-tda')).toBeNull();
    expect(punycodeDecode('z')).toBeNull();
  });
});
