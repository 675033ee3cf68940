import type { AnyExtension } from './define-extension.js';
import { ExtensionError } from './extension-error.js';
import type { SessionContext } from './session-context.js';

/** What is in effect in one session: computed from the session facts, cached per context. */
export interface ActiveSet {
  readonly names: ReadonlySet<string>;
  readonly keywords: ReadonlySet<string>;
  readonly lines: readonly string[];
}

export const NOTHING_ACTIVE: ActiveSet = { names: new Set(), keywords: new Set(), lines: [] };

// RFC 5321 §4.1.1.1: ehlo-param = 1*(%d33-126). An advertised parameter outside it would corrupt
// (or inject lines into) the EHLO reply, so it is refused as a bug in the extension.
function isEhloParam(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/**
 * What is in effect in a session: the extensions advertised (or keyword-less) whose requirements
 * are in effect too, their keywords and ehlo-lines.
 *
 * RFC 5321 §4.1.1.1: service extensions exist only in sessions opened with EHLO (and LHLO,
 * RFC 2033 §4.1); a HELO session has none, so all its parameters are unrecognized.
 */
export function computeActiveSet(
  extensions: readonly AnyExtension[],
  ctx: SessionContext,
): ActiveSet {
  if (ctx.greeting !== 'ehlo' && ctx.greeting !== 'lhlo') return NOTHING_ACTIVE;
  const params = new Map<string, readonly string[]>();
  for (const extension of extensions) {
    const advertised = extension.advertise ? extension.advertise(ctx) : [];
    if (advertised === false) continue;
    if (!advertised.every(isEhloParam)) {
      throw new ExtensionError(
        'ERR_EXTENSION_MISUSE_ADVERTISE_SYNTAX',
        `${extension.name} advertised a parameter that is not an RFC 5321 ehlo-param`,
      );
    }
    params.set(extension.name, advertised);
  }
  // An extension whose requirement is not in effect is not in effect either (SMTPUTF8 without
  // 8BITMIME, RFC 6531 §3.1); repeat until nothing changes, as requirements chain.
  let changed = true;
  while (changed) {
    changed = false;
    for (const extension of extensions) {
      if (!params.has(extension.name)) continue;
      if ((extension.requires ?? []).some((r) => !params.has(r))) {
        params.delete(extension.name);
        changed = true;
      }
    }
  }
  const keywords = new Set<string>();
  const lines: string[] = [];
  for (const extension of extensions) {
    const p = params.get(extension.name);
    if (p === undefined || extension.keyword === undefined) continue;
    const keyword = extension.keyword.toUpperCase();
    keywords.add(keyword);
    lines.push(p.length === 0 ? keyword : `${keyword} ${p.join(' ')}`);
  }
  return { names: new Set(params.keys()), keywords, lines };
}
