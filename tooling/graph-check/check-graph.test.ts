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
      'packages/server/src/node/listen.ts':
        "import net from 'node:net';\nsetTimeout(() => {}, 1);\n",
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

  it('rejects import cycles, type-only ones too, each once in import order', () => {
    const root = workspace({
      'packages/server/package.json': pkg('@smtpkit/server'),
      // value one way, `import type` back
      'packages/server/src/session/a.ts': "import { b } from './b.js';\nexport type A = 1;\n",
      'packages/server/src/session/b.ts':
        "import type { A } from './a.js';\nexport const b: A = 1;\n",
      // a folder import, `export type … from` and `import { type X }` across folders
      'packages/server/src/x.ts': "import { y } from './session';\nexport type X = 1;\n",
      'packages/server/src/session/index.ts': "export type { Y } from '../y.js';\n",
      'packages/server/src/y.ts': "import { type X } from './x.js';\nexport type Y = X;\n",
      'apps/sink/package.json': pkg('@smtpkit/sink'),
      'apps/sink/src/cli.ts': "import { main } from './main.js';\n",
      'apps/sink/src/main.ts': "const cli = await import('./cli.js');\n",
      'apps/sink/src/self.ts': "export * from './self.js';\n",
    });
    expect(check(root).problems.sort()).toEqual(
      [
        'apps/sink/src: import cycle cli.ts -> main.ts -> cli.ts',
        'apps/sink/src: import cycle self.ts -> self.ts',
        'packages/server/src/session: import cycle a.ts -> b.ts -> a.ts',
        'packages/server/src: import cycle session/index.ts -> y.ts -> x.ts -> session/index.ts',
      ].sort(),
    );
  });

  it('counts a package importing itself by its own name in a cycle', () => {
    const root = workspace({
      'packages/sasl/package.json': pkg('@smtpkit/sasl'),
      'packages/sasl/src/index.ts': "export { plain } from './plain.js';\n",
      'packages/sasl/src/plain.ts':
        "import type { Crypto } from '@smtpkit/sasl/node';\nexport const plain = 1;\n",
      'packages/sasl/src/node/index.ts': "export type { Crypto } from './crypto.js';\n",
      'packages/sasl/src/node/crypto.ts':
        "import { plain } from '@smtpkit/sasl';\nexport type Crypto = typeof plain;\n",
    });
    expect(check(root).problems).toEqual([
      'packages/sasl/src: import cycle index.ts -> plain.ts -> node/index.ts -> node/crypto.ts -> index.ts',
    ]);
  });

  it('accepts an acyclic import graph; test files and test support are outside it', () => {
    const root = workspace({
      'packages/wire/package.json': pkg('@smtpkit/wire'),
      // a diamond is not a cycle
      'packages/wire/src/index.ts':
        "export * from './codec.js';\nexport * from './data';\nexport { x } from './xtext/index.js';\n",
      'packages/wire/src/codec.ts':
        "import type { X } from './xtext/index.js';\nexport const c = 1;\n",
      'packages/wire/src/data/index.ts':
        "import { x } from '../xtext/xtext.js';\nexport const d = 1;\n",
      'packages/wire/src/xtext/index.ts': "export { x } from './xtext.js';\n",
      'packages/wire/src/xtext/xtext.ts': 'export const x = 1;\nexport type X = 1;\n',
      // tests may import each other and the code in any direction
      'packages/wire/src/codec.test.ts':
        "import { c } from './codec.js';\nimport './codec.prop.test.js';\n",
      'packages/wire/src/codec.prop.test.ts': "import './codec.test.js';\n",
      'packages/wire/src/codec.test-d.ts': "import { c } from './index.js';\n",
      'packages/wire/src/data/driver.test-support.ts':
        "import { d } from './index.js';\nexport const drive = d;\n",
      'packages/wire/src/test-support/peer.ts':
        "import { drive } from '../data/driver.test-support.js';\n",
    });
    expect(check(root).problems).toEqual([]);
  });

  it('keeps node:* and Node built-ins in src/node/ of the I/O packages', () => {
    const root = workspace({
      'packages/client/package.json': pkg('@smtpkit/client'),
      'packages/client/src/connect.ts':
        "import type net from 'node:net';\nimport dns from 'dns';\n",
      'packages/client/src/index.ts': "const tls = require('node:tls');\n",
      'packages/client/src/node/socket.ts': "import net from 'node:net';\nimport tls from 'tls';\n",
      'packages/client/src/node/deep/resolver.ts': "import dns from 'node:dns';\n",
      'packages/client/src/client.test.ts': "import { readFileSync } from 'node:fs';\n",
      'packages/client/src/test-support/server.ts': "import net from 'node:net';\n",
      'packages/client/src/session/s.ts': "import net from 'node:net';\n",
      'packages/client/bench/send.ts': "import { performance } from 'node:perf_hooks';\n",
      'packages/client/test/e2e.ts': "import net from 'node:net';\n",
      'packages/queue/package.json': pkg('@smtpkit/queue'),
      'packages/queue/src/spool.ts': "import { open } from 'node:fs/promises';\n",
      'packages/queue/src/node/spool.ts': "import { open } from 'node:fs/promises';\n",
    });
    expect(check(root).problems.sort()).toEqual(
      [
        "packages/client/src/connect.ts: imports the Node module 'dns' outside src/node/ of an I/O package",
        "packages/client/src/connect.ts: imports the Node module 'node:net' outside src/node/ of an I/O package",
        "packages/client/src/index.ts: imports the Node module 'node:tls' outside src/node/ of an I/O package",
        "packages/client/src/session/s.ts: sans-IO code imports the Node module 'node:net'",
        "packages/queue/src/spool.ts: imports the Node module 'node:fs/promises' outside src/node/ of an I/O package",
      ].sort(),
    );
  });

  it('treats src/proxy of an I/O package as sans-IO, like src/session', () => {
    const root = workspace({
      'packages/server/package.json': pkg('@smtpkit/server'),
      'packages/server/src/proxy/proxy-v1.ts': "import net from 'node:net';\n",
      'packages/server/src/proxy/proxy-v2.ts': 'export const t = setTimeout(() => {}, 1);\n',
      'packages/server/src/proxy/proxy.test.ts': 'console.log(Date.now());\n',
    });
    expect(check(root).problems).toEqual([
      "packages/server/src/proxy/proxy-v1.ts: sans-IO code imports the Node module 'node:net'",
      'packages/server/src/proxy/proxy-v2.ts: sans-IO code reads the clock, the environment, uses timers or logs',
    ]);
  });

  it('accepts an I/O package whose Node code lives in src/node/', () => {
    const root = workspace({
      'packages/reply/package.json': pkg('@smtpkit/reply'),
      'packages/server/package.json': pkg('@smtpkit/server', { '@smtpkit/reply': 'workspace:*' }),
      'packages/server/src/index.ts':
        "export { listen } from './node/index.js';\nexport type { Session } from './session/index.js';\n",
      'packages/server/src/node/index.ts':
        "import net from 'node:net';\nimport type { Session } from '../session/index.js';\nexport const listen = (s: Session) => setTimeout(() => net, 1);\n",
      'packages/server/src/session/index.ts':
        "import { a } from '@smtpkit/reply';\nexport type Session = typeof a;\n",
      'packages/server/src/proxy/index.ts':
        "import { a } from '@smtpkit/reply';\nexport const p = a;\n",
      'packages/server/src/server.test.ts': "import net from 'node:net';\n",
    });
    expect(check(root).problems).toEqual([]);
  });

  it('places @smtpkit/sasl at layer 1, sans-IO but for its src/node/ adapter', () => {
    const root = workspace({
      'packages/reply/package.json': pkg('@smtpkit/reply'),
      'packages/wire/package.json': pkg('@smtpkit/wire'),
      'packages/sasl/package.json': pkg('@smtpkit/sasl', {
        '@smtpkit/reply': 'workspace:*',
        '@smtpkit/wire': 'workspace:*',
      }),
      'packages/sasl/src/index.ts': "import { a } from '@smtpkit/reply';\n",
      'packages/sasl/src/scram.ts': "import { createHash } from 'node:crypto';\n",
      'packages/sasl/src/node/index.ts': "import { createHash, randomBytes } from 'node:crypto';\n",
      'packages/sasl/src/node/clock.ts': 'export const now = () => Date.now();\n',
    });
    expect(check(root).problems.sort()).toEqual(
      [
        'packages/sasl: @smtpkit/sasl (layer 1) depends on @smtpkit/wire (layer 2), which is not below it',
        'packages/sasl/src/node/clock.ts: sans-IO code reads the clock, the environment, uses timers or logs',
        "packages/sasl/src/scram.ts: sans-IO code imports the Node module 'node:crypto'",
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
