import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    // The CLI tests spawn dist/cli.js: build it from the current sources first.
    globalSetup: ['./test/build-cli.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
