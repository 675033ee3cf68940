/** Location of the WebAssembly text source (`scan.wat`). */
export function watPath(): string;

/** Location of the committed generated module. */
export function outputPath(): string;

/** The binary module compiled from `wat` (default: the committed `scan.wat`). */
export function compileScanWat(wat?: string): Promise<Uint8Array>;

/** The TypeScript source of `scan-wasm.ts` for the module compiled from `wat`. */
export function renderScanWasm(wat?: string): Promise<string>;
