/** The workspace's publishable packages: every `packages/*` whose package.json is not private. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly exports?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface PublishablePackage {
  /** `@smtpkit/address` */
  readonly name: string;
  /** `address`: the folder under `packages/` */
  readonly folder: string;
  readonly dir: string;
  readonly manifest: Manifest;
  readonly readme: string;
}

export function publishablePackages(): PublishablePackage[] {
  const base = join(ROOT, 'packages');
  const found: PublishablePackage[] = [];
  for (const folder of readdirSync(base).sort()) {
    const dir = join(base, folder);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    const readmePath = join(dir, 'README.md');
    const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
    found.push({ name: manifest.name, folder, dir, manifest, readme });
  }
  return found;
}

/**
 * The export each package entry point is known by, checked to load in every module format. A new
 * publishable package (or subpath export) needs its line here.
 */
export const MAIN_EXPORTS: Readonly<Record<string, string>> = {
  '@smtpkit/reply': 'createReply',
  '@smtpkit/address': 'parseMailbox',
  '@smtpkit/sasl': 'createServerMechanism',
  '@smtpkit/sasl/node': 'nodeSaslCrypto',
  '@smtpkit/wire': 'CommandReader',
  '@smtpkit/extensions': 'createRegistry',
  '@smtpkit/dsn': 'buildDsn',
  '@smtpkit/ext-mt-priority': 'mtPriority',
  '@smtpkit/ext-limits': 'limits',
  '@smtpkit/server': 'createServer',
  '@smtpkit/client': 'ClientSession',
  '@smtpkit/mime-downgrade': 'downgradeTo7bit',
  '@smtpkit/queue': 'createMemoryStore',
  '@smtpkit/queue/node': 'openSpool',
  '@smtpkit/queue-postgres': 'migrations',
  '@smtpkit/queue-postgres/node': 'openPostgresQueue',
};

/** The import specifiers of a package's exports map (`@smtpkit/sasl`, `@smtpkit/sasl/node`). */
export function entryPoints(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? { '.': null })
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
}
