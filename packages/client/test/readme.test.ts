// The README's first snippet, run as written (its import of @smtpkit/client pointed at this
// package's source): what it prints is what its comments say.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const snippetFile = here(`./readme-snippet-${process.pid}.tmp.ts`);

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(snippetFile, { force: true });
});

it('the first README snippet runs against the example server and prints what it says', async () => {
  const readme = await readFile(here('../README.md'), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  expect(snippet).toContain("from '@smtpkit/client'");
  await writeFile(snippetFile, snippet.replace("'@smtpkit/client'", "'../src/index.js'"));
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  await import(/* @vite-ignore */ snippetFile);
  expect(printed).toEqual([
    ['BDAT', JSON.stringify('Subject: hi\r\n\r\nHello\r\n')],
    [['250 true', '250 true']],
  ]);
});
