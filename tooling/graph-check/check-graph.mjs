#!/usr/bin/env node
// Checks that the package graph of DESIGN.md holds:
//   1. no package depends on one above it (layers below), and nothing depends on an app;
//   2. no package imports another's `src/` internals (only its exports);
//   3. the sans-IO packages import no `node:*` module, no Node built-in under its bare name, and no
//      dependency outside the allow-list of pure ones.
// Run by `pnpm check` and CI (`node tooling/graph-check/check-graph.mjs [ROOT]`). Exits 1 with
// one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Layer of each workspace package: a package may depend only on packages of a strictly lower
 * layer. Extension packages (`@smtpkit/ext-*`) sit beside the registry's consumers at layer 4 and
 * may use only the public packages below them. `@smtpkit/testing` is a dev-only helper.
 */
const LAYERS = {
  '@smtpkit/reply': 0,
  '@smtpkit/address': 1,
  '@smtpkit/wire': 2,
  '@smtpkit/extensions': 3,
  '@smtpkit/dsn': 3,
  '@smtpkit/server': 5,
  '@smtpkit/client': 5,
  '@smtpkit/queue': 5,
  '@smtpkit/testing': 9,
};
const EXT_LAYER = 4;
const APP_LAYER = 10;

/** Packages that must stay sans-IO: no node:* imports, no Node-only dependencies. */
const SANS_IO = new Set([
  '@smtpkit/reply',
  '@smtpkit/address',
  '@smtpkit/wire',
  '@smtpkit/extensions',
]);
/** Folders inside I/O packages that are sans-IO too (DESIGN.md: the `session/` folders). */
const SANS_IO_FOLDERS = ['src/session'];
/** Third-party runtime dependencies known to be pure JavaScript (no Node built-ins). */
const PURE_DEPS = new Set(['tr46', 'punycode', 'webidl-conversions']);

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function workspaceDirs(root) {
  const dirs = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const base = join(root, group);
    let names = [];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = join(base, name);
      try {
        statSync(join(dir, 'package.json'));
        dirs.push({ group, dir });
      } catch {}
    }
  }
  return dirs;
}

function layerOf(name, group) {
  if (group === 'apps') return APP_LAYER;
  if (name in LAYERS) return LAYERS[name];
  if (name.startsWith('@smtpkit/ext-')) return EXT_LAYER;
  return undefined;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name)) yield path;
  }
}

/** Source text without comments (TSDoc examples may mention what the code must not do). */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

const isTestFile = (path) => /\.(test|prop\.test|test-d)\.(ts|js)$/.test(path);

/** Import specifiers of a file: static `import … from`, `export … from`, `import()`, `require()`. */
function importsOf(text) {
  const specs = [];
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

/**
 * Checks the workspace at `root`; returns the violations, one line each, and how many packages
 * were read.
 */
export function checkGraph(root) {
  const problems = [];
  const packages = workspaceDirs(root).map(({ group, dir }) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { group, dir, pkg, name: pkg.name, layer: layerOf(pkg.name, group) };
  });
  const byName = new Map(packages.map((p) => [p.name, p]));

  for (const p of packages) {
    if (p.group === 'tooling') continue;
    const rel = relative(root, p.dir);
    if (p.layer === undefined) {
      problems.push(`${rel}: ${p.name} has no layer in tooling/graph-check/check-graph.mjs`);
      continue;
    }
    // 1. Declared dependencies point strictly downwards.
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dep of Object.keys(p.pkg[field] ?? {})) {
        const target = byName.get(dep);
        if (target && target.group !== 'tooling') {
          if (target.group === 'apps') problems.push(`${rel}: depends on the app ${dep}`);
          else if (dep === '@smtpkit/testing')
            problems.push(`${rel}: @smtpkit/testing may only be a devDependency`);
          else if (target.layer >= p.layer)
            problems.push(
              `${rel}: ${p.name} (layer ${p.layer}) depends on ${dep} (layer ${target.layer}), which is not below it`,
            );
        } else if (!target && SANS_IO.has(p.name) && !PURE_DEPS.has(dep)) {
          problems.push(
            `${rel}: sans-IO package ${p.name} depends on ${dep}, which is not on the pure allow-list`,
          );
        }
      }
    }
    // 2 and 3. What the source files import.
    let srcDir;
    try {
      srcDir = join(p.dir, 'src');
      statSync(srcDir);
    } catch {
      continue;
    }
    for (const file of sourceFiles(srcDir)) {
      const relFile = relative(root, file);
      const text = withoutComments(readFileSync(file, 'utf8'));
      const inSansIoFolder = SANS_IO_FOLDERS.some(
        (f) => relative(join(p.dir, f), file).split(/[\\/]/)[0] !== '..',
      );
      const sansIo = SANS_IO.has(p.name) || inSansIoFolder;
      for (const spec of importsOf(text)) {
        if (/^@smtpkit\/[^/]+\/src(\/|$)/.test(spec) || /(^|\/)packages\/[^/]+\/src\//.test(spec)) {
          problems.push(
            `${relFile}: imports another package's internals (${spec}); use its exports`,
          );
        }
        const scoped = spec.match(/^(@smtpkit\/[^/]+)/)?.[1];
        if (scoped && scoped !== p.name) {
          const target = byName.get(scoped);
          const declared = {
            ...p.pkg.dependencies,
            ...p.pkg.devDependencies,
            ...p.pkg.peerDependencies,
          };
          if (!(scoped in declared))
            problems.push(`${relFile}: imports ${scoped}, which ${p.name} does not declare`);
          if (
            target &&
            !isTestFile(file) &&
            target.layer >= p.layer &&
            target.group !== 'tooling'
          ) {
            problems.push(
              `${relFile}: imports ${scoped} (layer ${target.layer}) from layer ${p.layer}`,
            );
          }
        }
        if (sansIo && !isTestFile(file) && builtins.has(spec)) {
          problems.push(`${relFile}: sans-IO code imports the Node module '${spec}'`);
        }
      }
      if (
        sansIo &&
        !isTestFile(file) &&
        /\b(process\.(env|argv|hrtime|nextTick)|Date\.now\(|performance\.now\(|setTimeout\(|setInterval\(|console\.)/.test(
          text,
        )
      ) {
        problems.push(
          `${relFile}: sans-IO code reads the clock, the environment, uses timers or logs`,
        );
      }
    }
  }
  return { problems, packages: packages.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url));
  const { problems, packages } = checkGraph(root);
  if (problems.length > 0) {
    for (const line of problems) console.error(`graph: ${line}`);
    console.error(`graph: ${problems.length} violation(s)`);
    process.exit(1);
  }
  console.log(`graph: ${packages} workspace packages checked, layering and sans-IO rules hold`);
}
