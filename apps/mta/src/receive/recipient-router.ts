import { type ForwardPath, formatMailbox, type Mailbox, parseMailbox } from '@smtpkit/address';

/** Where one accepted recipient goes. */
export type Route =
  | {
      readonly kind: 'local';
      /** The Maildir name under the mailboxes root (`catch-all` in catch-all mode). */
      readonly mailbox: string;
      /** The address delivered to (after alias expansion), for `Delivered-To:`. */
      readonly address: string;
    }
  | {
      readonly kind: 'remote';
      /** The recipient's domain in A-labels, lower case: where MX delivery goes. */
      readonly domain: string;
      readonly address: string;
    };

/** What the router knows. */
export interface RouterOptions {
  readonly localDomains: readonly string[];
  readonly catchAll: boolean;
  /** Local part → targets (local parts or addresses). */
  readonly aliases: Readonly<Record<string, string | readonly string[]>>;
  /** Users with a mailbox (lower-case names). */
  readonly users: ReadonlySet<string>;
}

/** Local parts that can name a Maildir folder: no path separators, no leading dot. */
const MAILBOX_NAME = /^[a-z0-9_+-][a-z0-9._+-]{0,63}$/;

/** Alias chains longer than this are a loop (Postfix stops at 1000 recursions; we keep it short). */
const MAX_ALIAS_DEPTH = 10;

/** `postmaster`: RFC 5321 §4.5.1, every domain must accept it. */
const POSTMASTER = 'postmaster';

/**
 * Decides where each recipient goes: a local mailbox, after alias expansion, or a remote domain.
 * `undefined` for a local address nobody receives (the server answers 550 5.1.1).
 *
 * @example
 * ```ts
 * const router = createRouter({ localDomains: ['example.org'], catchAll: false, aliases: {}, users: new Set(['alice']) });
 * router.route(parseForwardPath('<alice@example.org>'));
 * // [{ kind: 'local', mailbox: 'alice', address: 'alice@example.org' }]
 * ```
 */
export function createRouter(options: RouterOptions) {
  const local = new Set(options.localDomains.map((d) => d.toLowerCase()));
  const primary = options.localDomains[0] ?? 'localhost';
  const aliases = new Map<string, readonly string[]>();
  for (const [name, target] of Object.entries(options.aliases)) {
    aliases.set(name.toLowerCase(), typeof target === 'string' ? [target] : target);
  }

  const isLocalDomain = (domain: string): boolean => local.has(domain.toLowerCase());

  const expandLocal = (localPart: string, domain: string, depth: number, out: Route[]): boolean => {
    const name = localPart.toLowerCase();
    if (options.catchAll) {
      out.push({ kind: 'local', mailbox: 'catch-all', address: `${localPart}@${domain}` });
      return true;
    }
    const targets = aliases.get(name);
    if (targets !== undefined && depth < MAX_ALIAS_DEPTH) {
      let any = false;
      for (const target of targets) {
        any = expandTarget(target, domain, depth + 1, out) || any;
      }
      return any;
    }
    if (!MAILBOX_NAME.test(name)) return false;
    if (name !== POSTMASTER && !options.users.has(name)) return false;
    out.push({ kind: 'local', mailbox: name, address: `${name}@${domain}` });
    return true;
  };

  const expandMailbox = (mailbox: Mailbox, depth: number, out: Route[]): boolean => {
    const domain = mailbox.domain.kind === 'domain' ? mailbox.domain.ascii.toLowerCase() : '';
    if (domain !== '' && isLocalDomain(domain)) {
      return expandLocal(mailbox.localPart, domain, depth, out);
    }
    if (domain === '') return false;
    out.push({ kind: 'remote', domain, address: formatMailbox(mailbox, 'unicode') });
    return true;
  };

  const expandTarget = (target: string, domain: string, depth: number, out: Route[]): boolean => {
    if (!target.includes('@')) return expandLocal(target, domain, depth, out);
    try {
      return expandMailbox(parseMailbox(target, { smtputf8: true }), depth, out);
    } catch {
      return false;
    }
  };

  return {
    isLocalDomain,
    /**
     * The routes of one RCPT: one or more after alias expansion, de-duplicated; `undefined` when
     * the address is local and unknown.
     */
    route(path: ForwardPath): readonly Route[] | undefined {
      const out: Route[] = [];
      const ok =
        path.kind === 'postmaster'
          ? expandLocal(POSTMASTER, primary, 0, out)
          : expandMailbox(path.mailbox, 0, out);
      if (!ok || out.length === 0) return undefined;
      const seen = new Set<string>();
      return out.filter((r) => {
        const key = r.kind === 'local' ? `l:${r.mailbox}` : `r:${r.address}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  };
}

/** A router. */
export type Router = ReturnType<typeof createRouter>;
