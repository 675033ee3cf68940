import { app } from '@smtpkit/tsup-config';
import { defineConfig } from 'tsup';

export default defineConfig({
  ...app,
  entry: ['src/cli.ts'],
  banner: { js: '#!/usr/bin/env node' },
});
