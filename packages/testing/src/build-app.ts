// Vitest global setup of the apps: their CLI tests spawn `node dist/cli.js`, the contract people
// and scripts use, so dist must match the sources. turbo's `test` task builds the dependencies
// only, and the root `vitest run` builds nothing: the app builds itself when dist is missing or
// older than a source file (any folder under src/). Its dependencies load from their own dist/.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(appDir: string, entry: string): number {
  try {
    return statSync(join(appDir, 'dist', entry)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds the app at `appDir` with its tsup config when `dist/<entry>` is missing or older than
 * a source file.
 *
 * @example
 * ```ts
 * // test/build-cli.ts of an app
 * export default () => buildAppIfStale(join(dirname(fileURLToPath(import.meta.url)), '..'));
 * ```
 */
export function buildAppIfStale(appDir: string, entry = 'cli.js'): void {
  const newest = Math.max(
    statSync(join(appDir, 'tsup.config.ts')).mtimeMs,
    newestIn(join(appDir, 'src')),
  );
  if (builtAt(appDir, entry) > newest) return;
  const require = createRequire(join(appDir, 'package.json'));
  const tsupCli = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  execFileSync(process.execPath, [tsupCli, '--silent'], {
    cwd: appDir,
    stdio: 'inherit',
    timeout: 120_000,
  });
}
