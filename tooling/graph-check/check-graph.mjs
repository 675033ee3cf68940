#!/usr/bin/env node
// Checks that the package graph of DESIGN.md holds:
//   1. no package depends on one above it (layers below), and nothing depends on an app;
//   2. no package imports another's `src/` internals (only its exports);
//   3. the sans-IO packages import no `node:*` module, no Node built-in under its bare name, and no
//      dependency outside the allow-list of pure ones. The same holds in the sans-IO folders of the
//      I/O packages (SANS_IO_FOLDERS: `src/session`, `src/proxy`), and that code reads no clock, no
//      environment, uses no timer and does not log. A sans-IO package may keep a Node adapter in
//      `src/node/` (shipped as the subpath export `<name>/node`): those files may import Node
//      modules; every other sans-IO rule still applies to them;
//   4. no import cycles inside a package or app: the files of `src/` (test files left out) and the
//      relative imports between them, value and type-only alike (`import type`, `export type … from`,
//      `import { type X }`, `import()`, `require()`). `./x.js` resolves to `x.ts`, `./dir` to
//      `dir/index.ts`; a package importing itself by its own name (`@smtpkit/x` -> `src/index.ts`,
//      `@smtpkit/x/sub` -> `src/sub.ts` or `src/sub/index.ts`) counts too. Each cycle is one line,
//      files in import order: `packages/x/src/session: import cycle a.ts -> b.ts -> a.ts`. The finder
//      is a depth-first search that reports the cycle closed by each back edge, so every tangle
//      shows at least one of its cycles; once those are broken, a rerun shows any that remain;
//   5. in the I/O packages (IO_LAYERS: server, client, queue; queue-postgres) only files under `src/node/`
//      import `node:*` modules or Node built-ins (type-only imports included).
// Test files (`*.test.ts`, `*.prop.test.ts`, `*.test-d.ts`, and anything named `*test-support*`,
// file or folder) are exempt from the import rules and left out of the cycle graph; `bench/` and
// `test/` sit outside `src/` and are not read.
// Run by `pnpm check` and CI (`node tooling/graph-check/check-graph.mjs [ROOT]`). Exits 1 with
// one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Layer of each workspace package: a package may depend only on packages of a strictly lower
 * layer. Extension packages (`@smtpkit/ext-*`) sit beside the registry's consumers at layer 4 and
 * may use only the public packages below them. `@smtpkit/testing` is a dev-only helper.
 */
const LAYERS = {
  '@smtpkit/reply': 0,
  '@smtpkit/address': 1,
  '@smtpkit/sasl': 1,
  '@smtpkit/wire': 2,
  '@smtpkit/extensions': 3,
  '@smtpkit/dsn': 3,
  '@smtpkit/server': 5,
  '@smtpkit/client': 5,
  '@smtpkit/queue': 5,
  '@smtpkit/mime-downgrade': 5,
  '@smtpkit/queue-postgres': 6,
  '@smtpkit/testing': 9,
};
const EXT_LAYER = 4;
/** The I/O packages: in them only `src/node/` imports Node modules. */
const IO_LAYER = 5;
/** The layers of I/O packages: 5, and 6 for the backends built on layer 5 (queue-postgres). */
const IO_LAYERS = new Set([IO_LAYER, 6]);
const APP_LAYER = 10;

/**
 * Packages that must stay sans-IO: no node:* imports, no Node-only dependencies. Their `src/node/`
 * (NODE_FOLDER) may import Node modules: a Node adapter shipped as the subpath export `<name>/node`.
 */
const SANS_IO = new Set([
  '@smtpkit/reply',
  '@smtpkit/address',
  '@smtpkit/sasl',
  '@smtpkit/wire',
  '@smtpkit/extensions',
  '@smtpkit/dsn',
]);
/** Folders inside I/O packages that are sans-IO too (DESIGN.md: the `session/` folders). */
const SANS_IO_FOLDERS = ['src/session', 'src/proxy'];
/** The folder of a package where Node I/O lives (I/O packages) or may live (sans-IO adapters). */
const NODE_FOLDER = 'src/node';
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

/** Whether a file is test code; `path` is relative to the package's `src/`. */
const isTestFile = (path) =>
  /\.(test|prop\.test|test-d)\.(ts|js)$/.test(path) ||
  path.split(/[\\/]/).some((segment) => segment.includes('test-support'));

/** Whether `file` lies inside the folder `folder` (a path relative to the package `dir`). */
const isUnder = (dir, folder, file) => {
  const rel = relative(join(dir, folder), file);
  return rel !== '' && rel.split(/[\\/]/)[0] !== '..' && !isAbsolute(rel);
};

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

/** Source extensions tried, in order, for a relative specifier without one (or with `.js`). */
const TS_FOR_JS = {
  '.js': ['.ts', '.js'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

/** The first of `candidates` that is a file, or undefined. */
function firstFile(candidates) {
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {}
  }
  return undefined;
}

/** The source file under `base` (no extension, or a `.js`-family one) that a specifier names. */
function resolveSource(base) {
  const ext = Object.keys(TS_FOR_JS).find((e) => base.endsWith(e));
  const stem = ext ? base.slice(0, -ext.length) : base;
  return firstFile([
    ...(ext ? TS_FOR_JS[ext].map((e) => stem + e) : []),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ]);
}

/**
 * The file of package `p` that `spec`, imported from `file`, names: a relative import, or the
 * package's own name (`@smtpkit/x` -> `src/index.ts`, `@smtpkit/x/sub` -> `src/sub.ts` or
 * `src/sub/index.ts`). Undefined for anything else.
 */
function resolveImport(p, srcDir, file, spec) {
  if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..')
    return resolveSource(resolve(dirname(file), spec));
  if (spec === p.name) return resolveSource(join(srcDir, 'index'));
  if (spec.startsWith(`${p.name}/`))
    return resolveSource(join(srcDir, spec.slice(p.name.length + 1)));
  return undefined;
}

/**
 * The import cycles of `graph` (file -> sorted files it imports), each once, as the list of its
 * files in import order starting from its smallest path. A plain depth-first search: every edge
 * back to a file still on the path closes one cycle. Each tangle of files yields at least one cycle.
 */
function findCycles(graph) {
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Map();
  const path = [];
  const cycles = new Map();
  const visit = (file) => {
    state.set(file, ON_PATH);
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === ON_PATH) {
        const cycle = path.slice(path.indexOf(next));
        let start = 0;
        for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[start]) start = i;
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join('\0'), rotated);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, DONE);
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...cycles.keys()].sort().map((key) => cycles.get(key));
}

/** The deepest folder that holds all of `files`. */
function commonDir(files) {
  let base = dirname(files[0]);
  while (!files.every((f) => !relative(base, f).startsWith('..'))) base = dirname(base);
  return base;
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
    // 2, 3 and 5. What the source files import; 4 from the same reading.
    let srcDir;
    try {
      srcDir = join(p.dir, 'src');
      statSync(srcDir);
    } catch {
      continue;
    }
    /** The import graph of the package's non-test files: file -> the files it imports. */
    const graph = new Map();
    const files = [...sourceFiles(srcDir)].sort();
    const inGraph = new Set(files.filter((f) => !isTestFile(relative(srcDir, f))));
    for (const file of files) {
      const relFile = relative(root, file);
      const test = isTestFile(relative(srcDir, file));
      const text = withoutComments(readFileSync(file, 'utf8'));
      const inSansIoFolder = SANS_IO_FOLDERS.some((f) => isUnder(p.dir, f, file));
      const inNodeFolder = isUnder(p.dir, NODE_FOLDER, file);
      const sansIo = SANS_IO.has(p.name) || inSansIoFolder;
      const edges = new Set();
      for (const spec of new Set(importsOf(text))) {
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
          if (target && !test && target.layer >= p.layer && target.group !== 'tooling') {
            problems.push(
              `${relFile}: imports ${scoped} (layer ${target.layer}) from layer ${p.layer}`,
            );
          }
        }
        if (!test && builtins.has(spec)) {
          if (sansIo && !(SANS_IO.has(p.name) && inNodeFolder))
            problems.push(`${relFile}: sans-IO code imports the Node module '${spec}'`);
          else if (IO_LAYERS.has(p.layer) && !inNodeFolder && !sansIo)
            problems.push(
              `${relFile}: imports the Node module '${spec}' outside ${NODE_FOLDER}/ of an I/O package`,
            );
        }
        const target = test ? undefined : resolveImport(p, srcDir, file, spec);
        if (target !== undefined && inGraph.has(target)) edges.add(target);
      }
      if (!test) graph.set(file, [...edges].sort());
      if (
        sansIo &&
        !test &&
        /\b(process\.(env|argv|hrtime|nextTick)|Date\.now\(|performance\.now\(|setTimeout\(|setInterval\(|console\.)/.test(
          text,
        )
      ) {
        problems.push(
          `${relFile}: sans-IO code reads the clock, the environment, uses timers or logs`,
        );
      }
    }
    // 4. No import cycles inside the package.
    for (const cycle of findCycles(graph)) {
      const base = commonDir(cycle);
      const names = [...cycle, cycle[0]].map((f) => relative(base, f).split(sep).join('/'));
      problems.push(
        `${relative(root, base).split(sep).join('/')}: import cycle ${names.join(' -> ')}`,
      );
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
  console.log(
    `graph: ${packages} workspace packages checked, layering, sans-IO, node/ and no-cycle rules hold`,
  );
}
