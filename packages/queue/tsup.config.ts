import { base } from '@smtpkit/tsup-config';
import { defineConfig } from 'tsup';

// Two entries: the contract, the memory store and the pure scheduling rules; the spool and the scheduler on the `./node` subpath.
export default defineConfig({
  ...base,
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
});
