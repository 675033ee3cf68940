import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileScanWat, renderScanWasm } from '../../../../../tooling/gen-wasm-scan/index.mjs';
import { SCAN_WASM_BASE64, SCAN_WASM_LENGTH } from './scan-wasm.js';

describe('generated scan-wasm.ts', () => {
  it('is up to date with scan.wat (run `pnpm --filter @smtpkit/gen-wasm-scan gen` if not)', async () => {
    const committed = readFileSync(
      fileURLToPath(new URL('./scan-wasm.ts', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(await renderScanWasm());
  });

  it('holds the module compiled from scan.wat, byte for byte', async () => {
    const bytes = await compileScanWat();
    expect(SCAN_WASM_LENGTH).toBe(bytes.length);
    expect(SCAN_WASM_BASE64).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('the generator refuses text that is not a valid module', async () => {
    await expect(compileScanWat('(module (func (result i32)))')).rejects.toThrow();
  });
});
