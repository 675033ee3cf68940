import type { ServerCapabilities } from '@smtpkit/extensions';

/**
 * The limits a server announced with LIMITS (RFC 9422), as a client reads them. `other` keeps
 * limits this package does not know (RFC 9422: a client ignores those it does not understand),
 * `ignored` the parameters that are not `name=value` with a valid value.
 */
export interface ServerLimits {
  readonly mailMax?: number;
  readonly rcptMax?: number;
  readonly rcptDomainMax?: number;
  readonly other: ReadonlyMap<string, string | undefined>;
  readonly ignored: readonly string[];
}

// RFC 9422 §3:
//   limits-param     = limit-name-value 0*[SP limit-name-value]
//   limit-name-value = limit-name ["=" limit-value]
//   limit-name       = 1*(ALPHA / DIGIT / "-" / "_")
//   limit-value      = 1*(%x21-3A / %x3C-7E) ; Any VCHAR except ";"
// The limits defined so far (MAILMAX, RCPTMAX, RCPTDOMAINMAX) take a count; it is capped at 9
// digits so it stays exact, and 0 (which would forbid everything) is ignored as invalid.
const LIMIT_NAME = /^[A-Za-z0-9_-]+$/;
const LIMIT_VALUE = /^[\x21-\x3a\x3c-\x7e]+$/;
const COUNT = /^[0-9]{1,9}$/;

/**
 * Reads the parameters of a `LIMITS` ehlo-line (RFC 9422). Names are case-insensitive; the first
 * occurrence of a limit wins.
 *
 * @example
 * ```ts
 * import { parseLimits } from '@smtpkit/ext-limits';
 * parseLimits(['RCPTMAX=20', 'MAILMAX=5']); // { rcptMax: 20, mailMax: 5, other: Map {}, ignored: [] }
 * ```
 */
export function parseLimits(params: readonly string[]): ServerLimits {
  let mailMax: number | undefined;
  let rcptMax: number | undefined;
  let rcptDomainMax: number | undefined;
  const other = new Map<string, string | undefined>();
  const ignored: string[] = [];
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = (eq < 0 ? param : param.slice(0, eq)).toUpperCase();
    const value = eq < 0 ? undefined : param.slice(eq + 1);
    if (!LIMIT_NAME.test(name) || (value !== undefined && !LIMIT_VALUE.test(value))) {
      ignored.push(param);
      continue;
    }
    const known = name === 'MAILMAX' || name === 'RCPTMAX' || name === 'RCPTDOMAINMAX';
    if (!known) {
      if (!other.has(name)) other.set(name, value);
      continue;
    }
    const n = value !== undefined && COUNT.test(value) ? Number(value) : 0;
    if (n < 1) {
      ignored.push(param);
      continue;
    }
    if (name === 'MAILMAX') mailMax ??= n;
    else if (name === 'RCPTMAX') rcptMax ??= n;
    else rcptDomainMax ??= n;
  }
  return {
    ...(mailMax === undefined ? {} : { mailMax }),
    ...(rcptMax === undefined ? {} : { rcptMax }),
    ...(rcptDomainMax === undefined ? {} : { rcptDomainMax }),
    other,
    ignored,
  };
}

/**
 * The server's LIMITS from its EHLO capabilities, or `undefined` when it did not offer LIMITS.
 *
 * @example
 * ```ts
 * import { parseServerCapabilities } from '@smtpkit/extensions';
 * import { serverLimits } from '@smtpkit/ext-limits';
 * serverLimits(parseServerCapabilities(['mx', 'LIMITS RCPTMAX=10']))?.rcptMax; // 10
 * ```
 */
export function serverLimits(caps: ServerCapabilities): ServerLimits | undefined {
  const params = caps.params('LIMITS');
  return params === undefined ? undefined : parseLimits(params);
}

/**
 * Splits recipients into transactions that respect RCPTMAX and RCPTDOMAINMAX, keeping their
 * order within each domain (RFC 9422: a client that has more recipients than RCPTMAX sends the
 * rest in further transactions). `domainOf` gives a recipient's domain (compared as given:
 * normalise case beforehand).
 *
 * @example
 * ```ts
 * import { batchRecipients } from '@smtpkit/ext-limits';
 * batchRecipients(['a@x', 'b@x', 'c@y'], { rcptMax: 2, other: new Map(), ignored: [] }, (r) => r.split('@')[1] ?? '');
 * // [['a@x', 'b@x'], ['c@y']]
 * ```
 */
export function batchRecipients<T>(
  recipients: readonly T[],
  limits: ServerLimits,
  domainOf: (recipient: T) => string,
): T[][] {
  const rcptMax = limits.rcptMax ?? Number.POSITIVE_INFINITY;
  const domainMax = limits.rcptDomainMax ?? Number.POSITIVE_INFINITY;
  const batches: { items: T[]; domains: Set<string> }[] = [];
  for (const recipient of recipients) {
    const domain = domainOf(recipient);
    let batch = batches.find(
      (b) => b.items.length < rcptMax && (b.domains.has(domain) || b.domains.size < domainMax),
    );
    if (batch === undefined) {
      batch = { items: [], domains: new Set() };
      batches.push(batch);
    }
    batch.items.push(recipient);
    batch.domains.add(domain);
  }
  return batches.map((b) => b.items);
}
