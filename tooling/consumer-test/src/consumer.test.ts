/**
 * The packages as a stranger gets them. Every publishable package is packed with `pnpm pack`
 * (workspace ranges become real versions, `files` decides the content), and the tarballs are
 * installed with npm into three throw-away projects outside the workspace:
 *
 * - a TypeScript project, where every README's first snippet (and a CommonJS `import = require()`
 *   of every entry point) typechecks under `node16` and `bundler` resolution, with the oldest
 *   TypeScript the `.d.ts` files support (TYPESCRIPT_FLOOR) and the newest (TYPESCRIPT_NEWEST),
 *   library files checked too (`skipLibCheck: false`);
 * - an ES module project, where each snippet, compiled to JavaScript by that project's newest
 *   TypeScript, runs under plain `node`, exits 0, writes nothing to stderr and prints what its arrow
 *   comments say (see readme.ts);
 * - a CommonJS project, where `require()` loads every entry point (the CommonJS build, or the ES
 *   module build through Node's require() of ES modules), and the ES module build has the same
 *   exports;
 *
 * and publint and @arethetypeswrong/cli check every tarball. External dependencies (tr46,
 * TypeScript, @types/node) come from the npm registry: without it the test is skipped with its
 * reason, except under CI, where it fails. SMTPKIT_CONSUMER_KEEP=1 keeps the projects for a look.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  arrowComments,
  firstTsSnippet,
  printsAsDocumented,
  TYPESCRIPT_FLOOR,
  TYPESCRIPT_NEWEST,
} from './readme.js';
import { describeRun, inCi, npmEnv, type RunResult, run } from './run.js';
import { entryPoints, MAIN_EXPORTS, publishablePackages, ROOT } from './workspace.js';

const HERE = join(ROOT, 'tooling/consumer-test');
/** npm's cache for the throw-away projects: kept between runs, so a second run reads no metadata. */
const NPM_CACHE = join(HERE, 'node_modules/.cache/npm');
const ATTW = join(HERE, 'node_modules/.bin/attw');
const TS_FLOOR = 'typescript-floor';
const TS_NEWEST = 'typescript-newest';
const TYPES_NODE = (
  JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies['@types/node'];

const packages = publishablePackages();
const entries = packages.flatMap((p) =>
  entryPoints(p.manifest).map((specifier) => ({ specifier, manifest: p.manifest })),
);
/** `@smtpkit/sasl/node` -> `sasl-node`: a file name for an entry point. */
const fileNameOf = (specifier: string) => specifier.replace(/^@smtpkit\//, '').replace(/\//g, '-');
const tarballNameOf = (name: string, version: string) =>
  `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`;

/** Why the npm registry cannot be used, or undefined when it answers. */
async function registryProblem(): Promise<string | undefined> {
  const ping = await run('npm', ['ping'], { cwd: tmpdir(), timeoutMs: 20_000, env: npmEnv() });
  if (ping.code === 0) return undefined;
  if (ping.timedOut) return 'npm ping timed out after 20 s';
  return ping.stderr.trim().split('\n').at(-1) ?? `npm ping exited ${ping.code}`;
}

const offline = await registryProblem();
if (offline !== undefined && !inCi()) {
  console.warn(
    `consumer test skipped: the npm registry is unreachable (${offline}); under CI it fails`,
  );
}

const npmInstall = (cwd: string): Promise<RunResult> =>
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      '--loglevel=error',
      `--cache=${NPM_CACHE}`,
    ],
    { cwd, timeoutMs: 120_000, env: npmEnv() },
  );

const failed = (results: readonly RunResult[]) =>
  results
    .filter((r) => r.code !== 0)
    .map(describeRun)
    .join('\n');

describe.skipIf(offline !== undefined && !inCi())('the packed packages, installed by npm', () => {
  let work = '';
  const tarballs = new Map<string, string>();
  const dir = (project: 'esm' | 'cjs' | 'ts') => join(work, project);
  /** Why packing or installing failed: the first test reports it, the others skip. */
  let setupError: unknown;

  beforeAll(async () => {
    try {
      await prepare();
    } catch (error) {
      setupError = error;
    }
  });

  async function prepare(): Promise<void> {
    if (offline !== undefined) throw new Error(`the npm registry is unreachable: ${offline}`);
    const unbuilt = packages.filter((p) => !existsSync(join(p.dir, 'dist'))).map((p) => p.name);
    if (unbuilt.length > 0) throw new Error(`not built (run pnpm build): ${unbuilt.join(', ')}`);

    work = await mkdtemp(join(tmpdir(), 'smtpkit-consumer-'));
    const packs = join(work, 'packs');
    await mkdir(packs);
    const packed = await Promise.all(
      packages.map((p) =>
        run('pnpm', ['pack', '--pack-destination', packs], { cwd: p.dir, timeoutMs: 60_000 }),
      ),
    );
    if (failed(packed)) throw new Error(`pnpm pack failed:\n${failed(packed)}`);
    for (const p of packages) {
      const file = join(packs, tarballNameOf(p.name, p.manifest.version));
      if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${file}`);
      tarballs.set(p.name, file);
    }

    const dependencies = Object.fromEntries(
      packages.map((p) => [p.name, `file:../packs/${tarballNameOf(p.name, p.manifest.version)}`]),
    );
    const project = async (name: 'esm' | 'cjs' | 'ts', manifest: object) => {
      await mkdir(dir(name));
      const json = { name: `smtpkit-consumer-${name}`, private: true, ...manifest, dependencies };
      await writeFile(join(dir(name), 'package.json'), `${JSON.stringify(json, null, 2)}\n`);
    };
    await project('esm', { type: 'module' });
    await project('cjs', { type: 'commonjs' });
    await project('ts', {
      type: 'module',
      devDependencies: {
        [TS_FLOOR]: `npm:typescript@${TYPESCRIPT_FLOOR}`,
        [TS_NEWEST]: `npm:typescript@${TYPESCRIPT_NEWEST}`,
        '@types/node': TYPES_NODE,
      },
    });
    await copyFile(join(HERE, 'fixtures/require-entry.cjs'), join(dir('cjs'), 'require-entry.cjs'));

    // The TypeScript project: the snippets, a CommonJS import of every entry point, two configs.
    await mkdir(join(dir('ts'), 'snippets'));
    await mkdir(join(dir('ts'), 'require'));
    for (const p of packages) {
      const snippet = firstTsSnippet(p.readme);
      if (snippet !== undefined)
        await writeFile(join(dir('ts'), 'snippets', `${p.folder}.ts`), snippet);
    }
    for (const { specifier } of entries) {
      const main = MAIN_EXPORTS[specifier] ?? 'missing';
      await writeFile(
        join(dir('ts'), 'require', `${fileNameOf(specifier)}.cts`),
        `import entry = require('${specifier}');\nexport = entry.${main};\n`,
      );
    }
    const common = {
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    };
    const tsconfigs = {
      node16: {
        compilerOptions: {
          ...common,
          module: 'node16',
          moduleResolution: 'node16',
          verbatimModuleSyntax: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
        },
        include: ['snippets', 'require'],
      },
      bundler: {
        compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler' },
        include: ['snippets'],
      },
    };
    for (const [mode, config] of Object.entries(tsconfigs)) {
      await writeFile(join(dir('ts'), `tsconfig.${mode}.json`), JSON.stringify(config, null, 2));
    }

    const installed = await Promise.all([
      npmInstall(dir('esm')),
      npmInstall(dir('cjs')),
      npmInstall(dir('ts')),
    ]);
    if (failed(installed)) throw new Error(`npm install failed:\n${failed(installed)}`);

    // The ES module project runs the snippets as the TypeScript project's compiler emits them.
    const ts = createRequire(join(dir('ts'), 'package.json'))(
      TS_NEWEST,
    ) as typeof import('typescript');
    await mkdir(join(dir('esm'), 'snippets'));
    for (const p of packages) {
      const snippet = firstTsSnippet(p.readme);
      if (snippet === undefined) continue;
      const { outputText } = ts.transpileModule(snippet, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      await writeFile(join(dir('esm'), 'snippets', `${p.folder}.js`), outputText);
    }
  }

  afterAll(async () => {
    if (work === '') return;
    if (process.env['SMTPKIT_CONSUMER_KEEP']) console.info(`consumer projects kept in ${work}`);
    else await rm(work, { recursive: true, force: true });
  });

  it('packs every publishable package and installs the tarballs with npm', () => {
    if (setupError !== undefined) throw setupError;
  });

  describe.concurrent('TypeScript project', () => {
    it.for([
      [TYPESCRIPT_FLOOR, 'node16'],
      [TYPESCRIPT_FLOOR, 'bundler'],
      [TYPESCRIPT_NEWEST, 'node16'],
      [TYPESCRIPT_NEWEST, 'bundler'],
    ])(
      'README snippets typecheck with TypeScript %s, moduleResolution %s',
      async ([version, mode], { expect, skip }) => {
        if (setupError !== undefined) skip('set-up failed');
        const alias = version === TYPESCRIPT_FLOOR ? TS_FLOOR : TS_NEWEST;
        const tsc = join(dir('ts'), 'node_modules', alias, 'bin/tsc');
        const result = await run('node', [tsc, '-p', `tsconfig.${mode}.json`], {
          cwd: dir('ts'),
          timeoutMs: 90_000,
        });
        expect(result.code, describeRun(result)).toBe(0);
      },
    );
  });

  describe.concurrent('ES module project', () => {
    it.for(packages)(
      "$name: the README's first snippet runs and prints what it says",
      async (p, { expect, skip }) => {
        if (setupError !== undefined) skip('set-up failed');
        const snippet = firstTsSnippet(p.readme);
        expect(snippet, `${p.name}: no \`\`\`ts block in README.md`).toBeDefined();
        const documented = arrowComments(snippet ?? '');
        expect(documented, `${p.name}: the snippet documents no output (// → …)`).not.toEqual([]);
        const result = await run('node', [join('snippets', `${p.folder}.js`)], {
          cwd: dir('esm'),
          timeoutMs: 30_000,
        });
        expect(result.code, describeRun(result)).toBe(0);
        expect(result.stderr, describeRun(result)).toBe('');
        const message = `${p.name}: printed\n${result.stdout}\nbut its comments say\n${documented.join('\n')}`;
        expect(printsAsDocumented(result.stdout, documented), message).toBe(true);
      },
    );
  });

  describe.concurrent('CommonJS project', () => {
    it.for(entries)(
      '$specifier loads with require(), and its ES module build with require() too',
      async ({ specifier, manifest }, { expect, skip }) => {
        if (setupError !== undefined) skip('set-up failed');
        const main = MAIN_EXPORTS[specifier];
        expect(
          main,
          `add ${specifier}'s main export to MAIN_EXPORTS in workspace.ts`,
        ).toBeDefined();
        const result = await run(
          'node',
          ['--disable-warning=ExperimentalWarning', 'require-entry.cjs', specifier, main ?? ''],
          { cwd: dir('cjs'), timeoutMs: 30_000 },
        );
        expect(result.code, describeRun(result)).toBe(0);
        expect(result.stderr, describeRun(result)).toBe('');
        const loaded = JSON.parse(result.stdout) as {
          resolved: string;
          mainType: string;
          requireKeys: string[];
          esmFile: string | null;
          esmKeys: string[] | null;
        };
        expect(['function', 'object']).toContain(loaded.mainType);
        const subpath =
          specifier === manifest.name ? '.' : `./${specifier.split('/').slice(2).join('/')}`;
        const target = manifest.exports?.[subpath] as { require?: unknown } | undefined;
        if (target?.require !== undefined) expect(loaded.resolved).toMatch(/\.cjs$/);
        expect(loaded.esmFile, `${specifier}: no ES module build in exports`).not.toBeNull();
        expect(loaded.esmKeys).toEqual(loaded.requireKeys);
      },
    );
  });

  describe.concurrent('publint and attw', () => {
    it.for(packages)('$name: publint finds no error or warning', async (p, { expect, skip }) => {
      if (setupError !== undefined) skip('set-up failed');
      const file = await readFile(tarballs.get(p.name) ?? '');
      const tarball = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
      const { messages, pkg } = await publint({
        pack: { tarball },
        level: 'suggestion',
        strict: true,
      });
      const lines = messages.map(
        (m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`,
      );
      const suggestions = lines.filter((line) => line.startsWith('suggestion:'));
      if (suggestions.length > 0) console.info(`publint ${p.name}\n  ${suggestions.join('\n  ')}`);
      expect(lines.filter((line) => !line.startsWith('suggestion:'))).toEqual([]);
    });

    it.for(packages)('$name: attw finds no problem', async (p, { expect, skip }) => {
      if (setupError !== undefined) skip('set-up failed');
      const result = await run(ATTW, [tarballs.get(p.name) ?? '', '--format', 'ascii'], {
        cwd: HERE,
        timeoutMs: 60_000,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      });
      expect(result.code, describeRun(result)).toBe(0);
    });
  });
});
