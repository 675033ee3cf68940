import { base } from '@smtpkit/tsup-config';
import { defineConfig } from 'tsup';

// Two entries: the sans-IO mechanisms, and the node:crypto adapter on the `./node` subpath.
export default defineConfig({
  ...base,
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
});
