import { describe, expect, it } from 'vitest';
import {
  arrowComments,
  citedRfcs,
  firstTsSnippet,
  linkedRfcs,
  linkTargets,
  minorOf,
  NODE_FLOOR,
  printsAsDocumented,
  TYPESCRIPT_FLOOR,
} from './readme.js';
import { publishablePackages } from './workspace.js';

describe('reading a README', () => {
  it('takes the first ts block only', () => {
    const md =
      '# x\n\n```sh\nnpm i x\n```\n\n```ts\nconst a = 1;\n```\n\n```ts\nconst b = 2;\n```\n';
    expect(firstTsSnippet(md)).toBe('const a = 1;\n');
    expect(firstTsSnippet('```js\nx\n```\n')).toBeUndefined();
  });

  it('collects arrow comments in order, with their continuation lines', () => {
    const snippet = [
      "console.log(a); // → { kind: 'x',",
      "//     y: 'z' }",
      '// not output',
      'console.log(b);',
      "// → ['b']",
      '//   after a plain comment line: no continuation',
    ].join('\n');
    expect(arrowComments(snippet)).toEqual([
      "{ kind: 'x', y: 'z' }",
      "['b'] after a plain comment line: no continuation",
    ]);
    expect(arrowComments('f(); // a remark\n//   more remark')).toEqual([]);
  });

  it('compares output and comments without whitespace and quotes, … matching anything', () => {
    expect(
      printsAsDocumented("[ '250 2.0.0 Ok' ]\n SIZE=1024\n", ["['250 2.0.0 Ok']", "' SIZE=1024'"]),
    ).toBe(true);
    expect(printsAsDocumented('listening on 40123\n', ['listening on …'])).toBe(true);
    expect(printsAsDocumented('a (b)\n', ['a (b)'])).toBe(true);
    expect(printsAsDocumented('250\n', ['550'])).toBe(false);
    expect(printsAsDocumented('250\n550\n', ['250'])).toBe(false);
    expect(printsAsDocumented('', [])).toBe(true);
  });

  it('finds links outside code, and linked and cited RFCs', () => {
    const md = [
      'See [RFC 5321](https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3) and RFC 6531.',
      '[sasl](../sasl) `[not](a-link)`',
      '```ts\n// RFC 9999 [x](y)\n```',
    ].join('\n');
    expect(linkTargets(md)).toEqual([
      'https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3',
      '../sasl',
    ]);
    expect(citedRfcs(md)).toEqual([5321, 6531]);
    expect(linkedRfcs(md)).toEqual([5321]);
  });
});

/** Packages whose `.d.ts` import `node:*` types: their users need `@types/node`. */
const TYPES_NODE_IN_DTS = new Set(['@smtpkit/server']);

/** What a stranger reads on the npm page of each publishable package. */
describe.each(publishablePackages())('$name README', ({ name, readme }) => {
  it('starts, after its summary, with an install line naming every package the snippet imports', () => {
    expect(readme.startsWith(`# ${name}\n`)).toBe(true);
    const install = /^```sh\n(npm install [^\n]*)\n/m.exec(readme);
    expect(install?.[1], 'an install line: ```sh npm install NAME …```').toMatch(
      new RegExp(`^npm install ${name.replace('/', '\\/')}( |$)`),
    );
    const snippet = firstTsSnippet(readme);
    expect(snippet, 'a ```ts snippet').toBeDefined();
    expect(install?.index ?? -1).toBeLessThan(readme.indexOf('```ts'));
    const installed = new Set(install?.[1]?.split(/\s+/).slice(2));
    // Node's built-ins (`node:fs`) need no install.
    const imported = [
      ...(snippet ?? '').matchAll(/\bfrom '(?!node:)((?:@[^/']+\/)?[^/':]+)[^']*'/g),
    ].map((m) => m[1] ?? '');
    expect([...new Set(imported)].filter((pkg) => !installed.has(pkg))).toEqual([]);
  });

  it('states its requirements: Node.js, TypeScript (the floor the consumer test checks)', () => {
    const line = readme.split('\n\n').find((l) => l.startsWith('Requirements:')) ?? '';
    expect(line, 'a paragraph starting "Requirements:"').not.toBe('');
    expect(line).toContain(`Node.js ≥ ${NODE_FLOOR}`);
    expect(line).toContain(`TypeScript ≥ ${minorOf(TYPESCRIPT_FLOOR)}`);
    if (TYPES_NODE_IN_DTS.has(name)) expect(line).toContain('@types/node');
  });

  it('links every RFC it cites to the RFC Editor', () => {
    const linked = new Set(linkedRfcs(readme));
    expect(citedRfcs(readme).filter((n) => !linked.has(n))).toEqual([]);
  });

  it('links only to absolute URLs (npm shows the README without the repository around it)', () => {
    const relative = linkTargets(readme).filter((t) => !/^(https:\/\/|#)/.test(t));
    expect(relative).toEqual([]);
  });
});
