import { base } from '@smtpkit/tsup-config';
import { defineConfig } from 'tsup';

export default defineConfig({ ...base });
