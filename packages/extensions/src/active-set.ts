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

/** What an extension said for a context: its parameters, or `false` (silent). */
type Advertised = readonly string[] | false;

const BARE: readonly string[] = [];

/**
 * The active sets of one registry's sessions. Every new context asks every extension's
 * `advertise` (which may read anything in the context, or outside it: free disk space for
 * SIZE, say); when each says what it said for the context computed last, the set made then is
 * the answer again. A server's sessions mostly look alike, and a set is never changed once made,
 * so they share it; the checks and the ehlo-lines are made only for what is new.
 *
 * @example
 * ```ts
 * const sets = new ActiveSets([size({ max: 1000 }), eightBitMime()]);
 * sets.of(ctxA) === sets.of(ctxB); // true when both advertise the same
 * ```
 */
export class ActiveSets {
  readonly #extensions: readonly AnyExtension[];
  /** The last set made, and (copies of) what each extension advertised for it. */
  #last: { readonly advertised: readonly Advertised[]; readonly set: ActiveSet } | undefined;

  constructor(extensions: readonly AnyExtension[]) {
    this.#extensions = extensions;
  }

  of(ctx: SessionContext): ActiveSet {
    if (!hasExtensions(ctx)) return NOTHING_ACTIVE;
    const advertised = advertisedBy(this.#extensions, ctx);
    const last = this.#last;
    if (last !== undefined && sameAdvertised(last.advertised, advertised)) return last.set;
    const set = activeSetOf(this.#extensions, advertised);
    // Copies: an extension may hand out one array and change it between calls.
    this.#last = { advertised: advertised.map((a) => (a === false ? a : [...a])), set };
    return set;
  }
}

function hasExtensions(ctx: SessionContext): boolean {
  return ctx.greeting === 'ehlo' || ctx.greeting === 'lhlo';
}

/** What each extension advertises in `ctx`, in registry order (absent `advertise`: bare). */
function advertisedBy(extensions: readonly AnyExtension[], ctx: SessionContext): Advertised[] {
  const out: Advertised[] = new Array(extensions.length);
  for (let i = 0; i < extensions.length; i++) {
    const extension = extensions[i] as AnyExtension;
    out[i] = extension.advertise ? extension.advertise(ctx) : BARE;
  }
  return out;
}

function sameAdvertised(a: readonly Advertised[], b: readonly Advertised[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Advertised;
    const y = b[i] as Advertised;
    if (x === false || y === false) {
      if (x !== y) return false;
      continue;
    }
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}

/**
 * What is in effect in a session: the extensions advertised (or keyword-less) whose requirements
 * are in effect too, their keywords and ehlo-lines.
 *
 * RFC 5321 §4.1.1.1: service extensions exist only in sessions opened with EHLO (and LHLO,
 * RFC 2033 §4.1); a HELO session has none, so all its parameters are unrecognized (see
 * {@link hasExtensions}).
 */
function activeSetOf(
  extensions: readonly AnyExtension[],
  advertised: readonly Advertised[],
): ActiveSet {
  const params = new Map<string, readonly string[]>();
  for (let i = 0; i < extensions.length; i++) {
    const extension = extensions[i] as AnyExtension;
    const said = advertised[i] as Advertised;
    if (said === false) continue;
    if (!said.every(isEhloParam)) {
      throw new ExtensionError(
        'ERR_EXTENSION_MISUSE_ADVERTISE_SYNTAX',
        `${extension.name} advertised a parameter that is not an RFC 5321 ehlo-param`,
      );
    }
    params.set(extension.name, said);
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
