// Vitest global setup: the CLI tests spawn `node dist/cli.js`; build it first when it is stale.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppIfStale } from '@smtpkit/testing';

export default function setup(): void {
  buildAppIfStale(join(dirname(fileURLToPath(import.meta.url)), '..'));
}
