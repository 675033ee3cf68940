// What npm shows a stranger, and what goes into every tarball, for each publishable package (one
// not marked private): the licence text itself (npm packs a package-root LICENSE even with
// `files`), a CHANGELOG.md, and the metadata the npm page and provenance read.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly [field: string]: unknown;
}

const publishable = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter(
    (entry) =>
      entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')),
  )
  .map((entry) => {
    const dir = join(root, 'packages', entry.name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    return { folder: entry.name, dir, manifest };
  })
  .filter(({ manifest }) => manifest.private !== true);

const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');

describe('the root LICENSE', () => {
  it('is the MIT licence of the smtpkit contributors', () => {
    expect(
      rootLicense.startsWith('MIT License\n\nCopyright (c) 2026 the smtpkit contributors\n'),
    ).toBe(true);
    expect(rootLicense).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('covers the packages that are published', () => {
    expect(publishable.map((p) => p.manifest.name)).toContain('@smtpkit/reply');
    expect(publishable.map((p) => p.manifest.name)).toContain('@smtpkit/server');
  });
});

describe.each(publishable)('$manifest.name', ({ folder, dir, manifest }) => {
  it('has a LICENSE identical to the root one, and says MIT', () => {
    expect(existsSync(join(dir, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(rootLicense);
    expect(manifest['license']).toBe('MIT');
  });

  it('ships its CHANGELOG.md beside dist', () => {
    expect(manifest['files']).toEqual(['dist', 'CHANGELOG.md']);
    // changesets inserts each release below the first line, the title.
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8').split('\n')[0]).toBe(
      `# ${manifest.name}`,
    );
  });

  it('says where it comes from, for the npm page and provenance', () => {
    expect(manifest['homepage']).toBe(
      `https://github.com/smtpkit/smtpkit/tree/main/packages/${folder}#readme`,
    );
    expect(manifest['repository']).toEqual({
      type: 'git',
      url: 'git+https://github.com/smtpkit/smtpkit.git',
      directory: `packages/${folder}`,
    });
    expect(manifest['bugs']).toEqual({ url: 'https://github.com/smtpkit/smtpkit/issues' });
    expect(manifest['publishConfig']).toEqual({ access: 'public', provenance: true });
  });

  it('has a description, keywords and the Node.js range it runs on', () => {
    expect(manifest['description']).toEqual(expect.stringMatching(/\S{3}/));
    expect(manifest['keywords']).toEqual(expect.arrayContaining(['smtp']));
    expect(manifest['engines']).toEqual({ node: '>=20.19' });
  });

  it('depends on the other packages by caret range, so npm can share one copy', () => {
    const dependencies = (manifest['dependencies'] ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(dependencies)) {
      if (name.startsWith('@smtpkit/'))
        expect({ name, range }).toEqual({ name, range: 'workspace:^' });
    }
  });
});

describe('@smtpkit/server', () => {
  it('names what its types need as optional peers: @types/node and the oldest TypeScript', () => {
    const server = publishable.find((p) => p.manifest.name === '@smtpkit/server')?.manifest;
    expect(server?.['peerDependencies']).toEqual({ '@types/node': '>=20', typescript: '>=5.0' });
    expect(server?.['peerDependenciesMeta']).toEqual({
      '@types/node': { optional: true },
      typescript: { optional: true },
    });
  });
});
