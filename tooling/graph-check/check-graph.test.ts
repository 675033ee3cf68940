import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without declarations
import { checkGraph } from './check-graph.mjs';

type Result = { problems: string[]; packages: number };
const check = checkGraph as (root: string) => Result;

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  roots = [];
});

/** Writes a throw-away workspace: `files` maps relative paths to contents. */
function workspace(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'smtpkit-graph-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const pkg = (
  name: string,
  deps: Record<string, string> = {},
  dev: Record<string, string> = {},
) => ({
  name,
  dependencies: deps,
  devDependencies: dev,
});

describe('check-graph', () => {
  it('accepts the layering of DESIGN.md', () => {
    const root = workspace({
      'packages/reply/package.json': pkg('@smtpkit/reply'),
      'packages/reply/src/index.ts': 'export const a = 1;\n',
      'packages/wire/package.json': pkg(
        '@smtpkit/wire',
        { '@smtpkit/reply': 'workspace:*' },
        { '@smtpkit/testing': 'workspace:*' },
      ),
      'packages/wire/src/index.ts': "import { a } from '@smtpkit/reply';\nexport const b = a;\n",
      'packages/wire/src/x.test.ts':
        "import { readFileSync } from 'node:fs';\nimport '@smtpkit/testing';\n",
      'packages/testing/package.json': pkg('@smtpkit/testing'),
    });
    expect(check(root)).toEqual({ problems: [], packages: 3 });
  });

  it('rejects a dependency on a package above', () => {
    const root = workspace({
      'packages/reply/package.json': pkg('@smtpkit/reply', { '@smtpkit/wire': 'workspace:*' }),
      'packages/wire/package.json': pkg('@smtpkit/wire'),
    });
    expect(check(root).problems).toEqual([
      'packages/reply: @smtpkit/reply (layer 0) depends on @smtpkit/wire (layer 2), which is not below it',
    ]);
  });

  it('rejects node:* imports and Node-only dependencies in sans-IO packages', () => {
    const root = workspace({
      'packages/address/package.json': pkg('@smtpkit/address', { pino: '1.0.0', tr46: '6.0.0' }),
      'packages/address/src/index.ts':
        "import { readFileSync } from 'node:fs';\nimport net from 'net';\n",
    });
    expect(check(root).problems).toEqual([
      'packages/address: sans-IO package @smtpkit/address depends on pino, which is not on the pure allow-list',
      "packages/address/src/index.ts: sans-IO code imports the Node module 'node:fs'",
      "packages/address/src/index.ts: sans-IO code imports the Node module 'net'",
    ]);
  });

  it('rejects clocks, timers and logging in sans-IO code, including session/ folders', () => {
    const root = workspace({
      'packages/server/package.json': pkg('@smtpkit/server'),
      'packages/server/src/listen.ts': "import net from 'node:net';\nsetTimeout(() => {}, 1);\n",
      'packages/server/src/session/server-session.ts': 'export const t = Date.now();\n',
    });
    expect(check(root).problems).toEqual([
      'packages/server/src/session/server-session.ts: sans-IO code reads the clock, the environment, uses timers or logs',
    ]);
  });

  it('ignores what comments say (TSDoc examples)', () => {
    const root = workspace({
      'packages/wire/package.json': pkg('@smtpkit/wire'),
      'packages/wire/src/index.ts':
        "/**\n * @example console.log(Date.now())\n */\nexport const u = 'http://x'; // setTimeout(\n",
    });
    expect(check(root).problems).toEqual([]);
  });

  it("rejects imports of another package's src/ and undeclared workspace imports", () => {
    const root = workspace({
      'packages/reply/package.json': pkg('@smtpkit/reply'),
      'packages/wire/package.json': pkg('@smtpkit/wire'),
      'packages/wire/src/index.ts': "import { a } from '@smtpkit/reply/src/reply.js';\n",
    });
    expect(check(root).problems).toEqual([
      "packages/wire/src/index.ts: imports another package's internals (@smtpkit/reply/src/reply.js); use its exports",
      'packages/wire/src/index.ts: imports @smtpkit/reply, which @smtpkit/wire does not declare',
    ]);
  });

  it('rejects depending on an app or on testing at run time, and unknown packages', () => {
    const root = workspace({
      'packages/testing/package.json': pkg('@smtpkit/testing'),
      'packages/client/package.json': pkg('@smtpkit/client', {
        '@smtpkit/testing': 'workspace:*',
        '@smtpkit/sink': 'workspace:*',
      }),
      'apps/sink/package.json': pkg('@smtpkit/sink'),
      'packages/mystery/package.json': pkg('@smtpkit/mystery'),
    });
    expect(check(root).problems.sort()).toEqual(
      [
        'packages/client: @smtpkit/testing may only be a devDependency',
        'packages/client: depends on the app @smtpkit/sink',
        'packages/mystery: @smtpkit/mystery has no layer in tooling/graph-check/check-graph.mjs',
      ].sort(),
    );
  });

  it('holds for this repository', () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    const result = check(repo);
    expect(result.problems).toEqual([]);
    expect(result.packages).toBeGreaterThan(4);
  });
});
