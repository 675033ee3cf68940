/** Shared tsup preset: ESM + CJS + .d.ts for every library package. */
export const base = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // TypeScript 6 + tsup 8.5 report TS5101 (baseUrl deprecated) in the DTS step without this.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
};

/** Preset for the reference apps: ESM only, no declarations. */
export const app = { ...base, format: ['esm'], dts: false };
