import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseDomain } from '@smtpkit/address';
import { replies } from '@smtpkit/reply';
import { ClientError } from '../client-error.js';

/**
 * The DNS queries MX routing makes: the shape of `node:dns/promises`' `Resolver` (and of the
 * module itself), so a `Resolver` pointed at any server with `setServers` fits. Errors are
 * expected to carry c-ares' codes (`ENOTFOUND` for NXDOMAIN, `ENODATA` for no record of the type).
 */
export interface MxResolver {
  resolveMx(hostname: string): Promise<{ exchange: string; priority: number }[]>;
  resolve4(hostname: string): Promise<string[]>;
  resolve6(hostname: string): Promise<string[]>;
}

/**
 * Which addresses of each host are tried, in which order: all of one family, then all of the
 * other (`'ipv6-first'`, the default, as RFC 6724's default policy prefers IPv6; a host whose
 * IPv6 path is broken still gets its IPv4 addresses next), or one family only.
 */
export type MxAddressOrder = 'ipv6-first' | 'ipv4-first' | 'ipv6-only' | 'ipv4-only';

/** Options of {@link resolveMxTargets}. */
export interface ResolveMxOptions {
  /** Default: a new `Resolver()` of `node:dns/promises` (the system's servers), cancelled after. */
  readonly resolver?: MxResolver;
  /** Shuffles MX hosts of equal preference (RFC 5321 §5.1); values in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Default `'ipv6-first'`. */
  readonly addressOrder?: MxAddressOrder;
  /** MX hosts looked up at most, the first ones in preference order. Default {@link DEFAULT_MX_LIMITS}. */
  readonly maxHosts?: number;
  /** Addresses returned at most, over all hosts (Postfix's `smtp_mx_address_limit`). */
  readonly maxAddresses?: number;
  /** Bound on each DNS query; past it the query counts as a temporary failure. */
  readonly queryTimeoutMs?: number;
}

/** Defaults of {@link ResolveMxOptions}. */
export const DEFAULT_MX_LIMITS = {
  maxHosts: 10,
  maxAddresses: 10,
  queryTimeoutMs: 10_000,
} as const;

/** One address to try, with the host it belongs to. */
export interface MxTarget {
  /** The MX host's name (lower case, no final dot), or the domain itself for the implicit MX. */
  readonly host: string;
  readonly preference: number;
  readonly address: string;
  readonly family: 4 | 6;
}

/** One MX host with the addresses of it that will be tried, in order. */
export interface MxHost {
  readonly host: string;
  readonly preference: number;
  readonly addresses: readonly { readonly address: string; readonly family: 4 | 6 }[];
}

/** Why an MX host gives no target. */
export type MxSkipReason =
  /** Its name is empty, the root, or an IP address (RFC 5321 §5.1: MX names are domain names). */
  | 'invalid-name'
  /** Its A / AAAA lookups answered NXDOMAIN or no record. */
  | 'no-address'
  /** A lookup failed temporarily (SERVFAIL, refused, timed out) and none answered. */
  | 'temporary'
  /** Past `maxHosts` (not looked up), or its addresses past `maxAddresses`. */
  | 'over-limit'
  /** Every address of it is listed already, under an earlier host. */
  | 'duplicate';

/** An MX record that gave no target, and why. */
export interface MxSkipped {
  readonly host: string;
  readonly preference: number;
  readonly reason: MxSkipReason;
}

/** What {@link resolveMxTargets} found: the hosts and addresses to try, in order. */
export interface MxRoute {
  /** The domain, in A-label form, lower case. */
  readonly domain: string;
  /** True when the domain has no MX record and its own addresses are used (RFC 5321 §5.1). */
  readonly implicit: boolean;
  /** Hosts with at least one address, in the order to try them. */
  readonly hosts: readonly MxHost[];
  /** Every address of `hosts`, flattened in order, each once, at most `maxAddresses`. */
  readonly targets: readonly MxTarget[];
  /** MX records (or the implicit MX) that gave no target, in the order they were considered. */
  readonly skipped: readonly MxSkipped[];
}

type Lookup<T> = { ok: true; value: T } | { ok: false; kind: 'none' | 'temporary'; error: unknown };

/** NXDOMAIN (`ENOTFOUND`) and NODATA (`ENODATA`) are answers; anything else is a failure to get one. */
function classify(error: unknown): 'nxdomain' | 'nodata' | 'temporary' {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND') return 'nxdomain';
  if (code === 'ENODATA') return 'nodata';
  return 'temporary';
}

class QueryTimeout extends Error {
  readonly code = 'ETIMEOUT';
}

async function query<T>(run: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueryTimeout(`${what}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function lookup<T>(
  run: () => Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<Lookup<T>> {
  try {
    return { ok: true, value: await query(run, timeoutMs, what) };
  } catch (error) {
    return { ok: false, kind: classify(error) === 'temporary' ? 'temporary' : 'none', error };
  }
}

/** A DNS name as compared and reported: lower case, no final dot. */
function normalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ClientError(
      'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      `${name} must be a positive integer`,
    );
  }
  return value;
}

/**
 * MX records in the order RFC 5321 §5.1 asks: lowest preference first, hosts of equal preference
 * in random order (Fisher-Yates with `random`), each host name once (at its lowest preference).
 *
 * @example
 * ```ts
 * orderMxRecords([{ exchange: 'b.example', priority: 20 }, { exchange: 'a.example', priority: 10 }], Math.random);
 * // [{ host: 'a.example', preference: 10 }, { host: 'b.example', preference: 20 }]
 * ```
 */
export function orderMxRecords(
  records: readonly { readonly exchange: string; readonly priority: number }[],
  random: () => number,
): { host: string; preference: number }[] {
  const best = new Map<string, number>();
  for (const r of records) {
    const host = normalName(r.exchange);
    const seen = best.get(host);
    if (seen === undefined || r.priority < seen) best.set(host, r.priority);
  }
  const byPreference = new Map<number, string[]>();
  for (const [host, preference] of best) {
    const group = byPreference.get(preference);
    if (group === undefined) byPreference.set(preference, [host]);
    else group.push(host);
  }
  const out: { host: string; preference: number }[] = [];
  for (const preference of [...byPreference.keys()].sort((a, b) => a - b)) {
    const group = byPreference.get(preference) ?? [];
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(random() * (i + 1)));
      const t = group[i] as string;
      group[i] = group[j] as string;
      group[j] = t;
    }
    for (const host of group) out.push({ host, preference });
  }
  return out;
}

type HostLookup =
  | { ok: true; addresses: { address: string; family: 4 | 6 }[] }
  | { ok: false; reason: 'no-address' | 'temporary'; error: unknown };

async function hostAddresses(
  resolver: MxResolver,
  host: string,
  order: MxAddressOrder,
  timeoutMs: number,
): Promise<HostLookup> {
  const want6 = order !== 'ipv4-only';
  const want4 = order !== 'ipv6-only';
  const [v6, v4] = await Promise.all([
    want6 ? lookup(() => resolver.resolve6(host), timeoutMs, `AAAA ${host}`) : undefined,
    want4 ? lookup(() => resolver.resolve4(host), timeoutMs, `A ${host}`) : undefined,
  ]);
  const six = v6?.ok === true ? v6.value.map((address) => ({ address, family: 6 as const })) : [];
  const four = v4?.ok === true ? v4.value.map((address) => ({ address, family: 4 as const })) : [];
  const addresses = order === 'ipv4-first' ? [...four, ...six] : [...six, ...four];
  if (addresses.length > 0) return { ok: true, addresses };
  const failed = [v6, v4].find((l) => l?.ok === false && l.kind === 'temporary');
  if (failed !== undefined && failed.ok === false) {
    return { ok: false, reason: 'temporary', error: failed.error };
  }
  const none = [v6, v4].find((l) => l?.ok === false);
  return { ok: false, reason: 'no-address', error: none?.ok === false ? none.error : undefined };
}

function noRoute(
  domain: string,
  message: string,
  reply = replies.R554_5_4_4_UnableToRoute,
  cause?: unknown,
): ClientError {
  return new ClientError('ERR_CLIENT_NO_ROUTE', `${domain}: ${message}`, {
    reply,
    permanent: true,
    ...(cause === undefined ? {} : { cause }),
  });
}

function dnsFailure(domain: string, message: string, cause: unknown): ClientError {
  return new ClientError('ERR_CLIENT_DNS', `${domain}: ${message}`, {
    reply: replies.R451_4_4_3_DirectoryServerFailure,
    permanent: false,
    cause,
  });
}

function causeText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}

/**
 * The hosts and addresses to try for mail to `domain`, in order, by RFC 5321 §5.1 and RFC 7505:
 *
 * 1. MX lookup. NXDOMAIN: `ERR_CLIENT_NO_ROUTE` (permanent, 550 5.1.2). A single MX of
 *    preference 0 naming the root (a null MX): `ERR_CLIENT_NO_ROUTE` (permanent, 556 5.1.10).
 *    No MX record (NODATA): the implicit MX, the domain itself with preference 0. Any other
 *    failure (SERVFAIL, REFUSED, no answer within `queryTimeoutMs`): `ERR_CLIENT_DNS`
 *    (temporary, 451 4.4.3).
 * 2. MX hosts sorted by preference, those of equal preference shuffled with `random`, each name
 *    once; the first `maxHosts` are looked up (AAAA and A at once), the rest reported skipped.
 *    A host that is an IP address or the root is skipped; so is one whose name resolves to
 *    nothing.
 * 3. Each host's addresses by `addressOrder` (IPv6 then IPv4 by default), an address already
 *    listed for an earlier host left out, at most `maxAddresses` in all.
 *
 * When no host has an address: `ERR_CLIENT_DNS` (temporary) if a lookup failed temporarily,
 * else `ERR_CLIENT_NO_ROUTE` (permanent, 554 5.4.4). The `reply` of these errors is a ready
 * reply of `@smtpkit/reply` for a delivery status notification, not one a server sent. At most
 * two rounds of queries run one after the other, so the whole call takes at most about
 * 2 × `queryTimeoutMs`.
 *
 * @example
 * ```ts
 * import { Resolver } from 'node:dns/promises';
 * import { resolveMxTargets } from '@smtpkit/client';
 * const resolver = new Resolver();
 * resolver.setServers(['127.0.0.1:5353']);
 * const route = await resolveMxTargets('example.test', { resolver, queryTimeoutMs: 2000 });
 * for (const t of route.targets) console.log(t.host, t.preference, t.address);
 * ```
 */
export async function resolveMxTargets(
  domain: string,
  options: ResolveMxOptions = {},
): Promise<MxRoute> {
  const maxHosts = positiveInteger(options.maxHosts, DEFAULT_MX_LIMITS.maxHosts, 'maxHosts');
  const maxAddresses = positiveInteger(
    options.maxAddresses,
    DEFAULT_MX_LIMITS.maxAddresses,
    'maxAddresses',
  );
  const timeoutMs = positiveInteger(
    options.queryTimeoutMs,
    DEFAULT_MX_LIMITS.queryTimeoutMs,
    'queryTimeoutMs',
  );
  const order = options.addressOrder ?? 'ipv6-first';
  if (!['ipv6-first', 'ipv4-first', 'ipv6-only', 'ipv4-only'].includes(order)) {
    throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', `unknown addressOrder: ${order}`);
  }
  const random = options.random ?? Math.random;
  const name = asciiDomain(domain);
  const owned = options.resolver === undefined ? new Resolver() : undefined;
  const resolver: MxResolver = options.resolver ?? (owned as Resolver);
  try {
    return await route(name, resolver, { maxHosts, maxAddresses, timeoutMs, order, random });
  } finally {
    owned?.cancel();
  }
}

function asciiDomain(domain: string): string {
  if (typeof domain !== 'string') {
    throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', 'the domain must be a string');
  }
  const bare = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  try {
    return parseDomain(bare, { smtputf8: true }).ascii.toLowerCase();
  } catch (cause) {
    throw new ClientError(
      'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      `not a domain to route mail to: ${JSON.stringify(domain.slice(0, 300))}`,
      { cause },
    );
  }
}

interface RouteLimits {
  readonly maxHosts: number;
  readonly maxAddresses: number;
  readonly timeoutMs: number;
  readonly order: MxAddressOrder;
  readonly random: () => number;
}

async function route(domain: string, resolver: MxResolver, limits: RouteLimits): Promise<MxRoute> {
  const mx = await lookup(() => resolver.resolveMx(domain), limits.timeoutMs, `MX ${domain}`);
  let candidates: { host: string; preference: number }[];
  let implicit = false;
  if (mx.ok && mx.value.length > 0) {
    const only = mx.value.length === 1 ? mx.value[0] : undefined;
    if (only !== undefined && only.priority === 0 && normalName(only.exchange) === '') {
      throw noRoute(
        domain,
        'the domain accepts no mail (null MX, RFC 7505)',
        replies.R556_5_1_10_DomainDoesNotAcceptMail,
      );
    }
    candidates = orderMxRecords(mx.value, limits.random);
  } else if (mx.ok || classify(mx.error) === 'nodata') {
    implicit = true;
    candidates = [{ host: domain, preference: 0 }];
  } else if (classify(mx.error) === 'nxdomain') {
    throw noRoute(
      domain,
      'no such domain (NXDOMAIN)',
      replies.R550_5_1_2_BadDestinationSystem,
      mx.error,
    );
  } else {
    throw dnsFailure(domain, `MX lookup failed: ${causeText(mx.error)}`, mx.error);
  }

  // Each candidate in order: looked up (the first maxHosts valid names) or skipped outright.
  const lookups: (Promise<HostLookup> | MxSkipReason)[] = [];
  let count = 0;
  for (const c of candidates) {
    if (c.host === '' || isIP(c.host) !== 0) lookups.push('invalid-name');
    else if (count >= limits.maxHosts) lookups.push('over-limit');
    else {
      count++;
      lookups.push(hostAddresses(resolver, c.host, limits.order, limits.timeoutMs));
    }
  }
  const found = await Promise.all(lookups);

  const hosts: MxHost[] = [];
  const targets: MxTarget[] = [];
  const skipped: MxSkipped[] = [];
  const listed = new Set<string>();
  let temporary: unknown;
  candidates.forEach((c, i) => {
    const r = found[i] as HostLookup | MxSkipReason;
    if (typeof r === 'string') {
      skipped.push({ ...c, reason: r });
      return;
    }
    if (!r.ok) {
      if (r.reason === 'temporary' && temporary === undefined) temporary = r.error;
      skipped.push({ ...c, reason: r.reason });
      return;
    }
    const addresses = r.addresses.filter((a) => {
      if (listed.has(a.address) || targets.length >= limits.maxAddresses) return false;
      listed.add(a.address);
      targets.push({ host: c.host, preference: c.preference, ...a });
      return true;
    });
    if (addresses.length > 0) hosts.push({ host: c.host, preference: c.preference, addresses });
    else {
      const reason = targets.length >= limits.maxAddresses ? 'over-limit' : 'duplicate';
      skipped.push({ ...c, reason });
    }
  });

  if (targets.length === 0) {
    if (temporary !== undefined) {
      throw dnsFailure(domain, `address lookup failed: ${causeText(temporary)}`, temporary);
    }
    throw noRoute(domain, implicit ? 'no MX record and no address' : 'no MX host has an address');
  }
  return { domain, implicit, hosts, targets, skipped };
}
