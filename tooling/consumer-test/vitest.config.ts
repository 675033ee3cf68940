import { defineProject } from 'vitest/config';

// The consumer test packs, installs with npm and compiles: minutes, not milliseconds. Every child
// process has its own deadline (src/run.ts); these bound the whole.
export default defineProject({
  test: {
    name: 'consumer-test',
    testTimeout: 120_000,
    hookTimeout: 240_000,
    maxConcurrency: 3,
  },
});
