// Vitest global setup: the CLI tests spawn `node dist/cli.js`, the contract people and scripts
// use, so dist must match the sources. turbo's `test` task builds the dependencies only, and the
// root `vitest run` builds nothing: the app builds itself here when dist is missing or older
// than a source file. Its dependencies (@smtpkit/client …) load from their own dist/.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(): number {
  let newest = statSync(join(appDir, 'tsup.config.ts')).mtimeMs;
  for (const name of readdirSync(join(appDir, 'src'))) {
    if (!name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(join(appDir, 'src', name)).mtimeMs);
    }
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(appDir, 'dist', 'cli.js')).mtimeMs;
  } catch {
    return 0;
  }
}

export default function setup(): void {
  if (builtAt() > newestSource()) return;
  const require = createRequire(join(appDir, 'package.json'));
  const tsupCli = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  execFileSync(process.execPath, [tsupCli, '--silent'], {
    cwd: appDir,
    stdio: 'inherit',
    timeout: 120_000,
  });
}
