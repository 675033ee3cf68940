import { base } from '@smtpkit/tsup-config';
import { defineConfig } from 'tsup';

// Two entries: the schema, its migrations and the SQL (no driver); the store over node-postgres on the `./node` subpath.
export default defineConfig({
  ...base,
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
});
