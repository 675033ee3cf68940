import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readVectorJson } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import {
  type RegistryJson,
  renderEnhancedStatusRegistry,
} from '../../../../tooling/gen-status/index.mjs';
import {
  classSubCodes,
  enumeratedStatusCodes,
  subjectSubCodes,
} from './enhanced-status-registry.js';

const registry = readVectorJson<RegistryJson>('status', 'iana-enhanced-status-codes.json');

describe('generated enhanced-status-registry.ts', () => {
  it('is up to date with the registry vector (run `pnpm --filter @smtpkit/reply gen` if not)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('./enhanced-status-registry.ts', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(renderEnhancedStatusRegistry(registry));
  });

  it('holds every record of the registry', () => {
    expect(classSubCodes.map((c) => c.class)).toEqual([2, 4, 5]);
    expect(subjectSubCodes).toHaveLength(registry.subject_sub_codes.records.length);
    expect(enumeratedStatusCodes).toHaveLength(registry.enumerated_status_codes.records.length);
  });

  it('the generator refuses a registry code it has no name for', () => {
    const extra = structuredClone(registry) as unknown as {
      enumerated_status_codes: { records: Record<string, unknown>[] };
    };
    extra.enumerated_status_codes.records.push({
      code: 'X.7.99',
      sample_text: 'New',
      basic_codes_raw: '',
      basic_codes: [],
      description: 'new',
      reference: '',
    });
    expect(() => renderEnhancedStatusRegistry(extra as unknown as RegistryJson)).toThrow(
      /X\.7\.99/,
    );
  });
});
