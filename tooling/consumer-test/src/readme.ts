/**
 * What the consumer test reads from a package README: its first TypeScript snippet, what that
 * snippet's comments say it prints, and the facts a stranger needs from the npm page.
 *
 * Printed output is documented with arrow comments: `// → text` after (or on the lines after) the
 * statement that prints it, in the order it is printed. A comment line that continues an arrow
 * comment starts with `//` and at least two more spaces. The snippet's standard output must be the
 * arrow texts joined, compared without whitespace and without quote characters (so
 * `// → ['250 2.0.0 Ok']` documents `console.log(['250 2.0.0 Ok'])` however Node breaks its lines,
 * and `// → ' SIZE=1024'` documents `console.log(' SIZE=1024')`). `…` in an arrow text stands for
 * any text (a port chosen by the system, a random nonce). Remarks go in comments without an arrow.
 */

/**
 * The oldest TypeScript the published `.d.ts` files support: checked here, stated in every README's
 * requirements. 5.0 for `moduleResolution: bundler` and the extension types' `const` type
 * parameters; the newest patch of that minor version.
 */
export const TYPESCRIPT_FLOOR = '5.0.4';
/** The newest TypeScript checked (the workspace's own). */
export const TYPESCRIPT_NEWEST = '6.0.3';
/** The Node.js versions the packages support (require() of ES modules without a flag from 20.19). */
export const NODE_FLOOR = '20.19';

/** `5.7.3` -> `5.7`: how a README states a version floor. */
export const minorOf = (version: string): string => version.split('.').slice(0, 2).join('.');

/** The body of the first fenced block tagged `ts`, or undefined. */
export function firstTsSnippet(markdown: string): string | undefined {
  const match = /^```ts[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/m.exec(markdown);
  return match?.[1];
}

/** The arrow comments of a snippet, in source order, continuation lines joined. */
export function arrowComments(snippet: string): string[] {
  const texts: string[] = [];
  let open = false;
  for (const line of snippet.split(/\r?\n/)) {
    const arrow = /\/\/\s*→(.*)$/.exec(line);
    if (arrow) {
      texts.push((arrow[1] ?? '').trim());
      open = true;
      continue;
    }
    const continuation = /^\s*\/\/ {2,}(\S.*)$/.exec(line);
    if (open && continuation) {
      texts[texts.length - 1] += ` ${continuation[1]}`;
      continue;
    }
    open = false;
  }
  return texts;
}

/** Text without whitespace and quote characters: the form output and arrow texts are compared in. */
export const normalize = (text: string): string => text.replace(/[\s'"`]/g, '');

/** Whether `stdout` is what the arrow comments `expected` say, `…` matching any text. */
export function printsAsDocumented(stdout: string, expected: readonly string[]): boolean {
  const pattern = normalize(expected.join(''))
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
  return new RegExp(`^${pattern}$`, 's').test(normalize(stdout));
}

/** Markdown link targets (`[text](target)`), code spans and fenced blocks left out. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
}

/** The RFC numbers a README cites as `RFC NNNN` (fenced code left out). */
export function citedRfcs(markdown: string): number[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const numbers = [...prose.matchAll(/\bRFC ?(\d{3,4})\b/g)].map((m) => Number(m[1]));
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** The RFC numbers a README links to at https://www.rfc-editor.org/rfc/rfcNNNN. */
export function linkedRfcs(markdown: string): number[] {
  const numbers = linkTargets(markdown).flatMap((target) => {
    const m = /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc(\d+)(?:\.html)?(?:#.*)?$/.exec(target);
    return m ? [Number(m[1])] : [];
  });
  return [...new Set(numbers)].sort((a, b) => a - b);
}
