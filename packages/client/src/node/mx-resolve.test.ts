import { describe, expect, it } from 'vitest';
import { ClientError } from '../client-error.js';
import { type MxResolver, orderMxRecords, resolveMxTargets } from './mx-resolve.js';

/** An error shaped like c-ares' (node:dns) errors. */
function dnsError(code: string): Error {
  return Object.assign(new Error(`query failed: ${code}`), { code });
}

type Answer = string[] | { exchange: string; priority: number }[] | string | 'hang';

/** A resolver answering from a table: `type name` → records, an error code, or 'hang'. */
function fakeResolver(table: Record<string, Answer>, asked: string[] = []): MxResolver {
  const answer = <T>(key: string): Promise<T> => {
    asked.push(key);
    const a = table[key];
    if (a === 'hang') return new Promise<T>(() => {});
    if (a === undefined) return Promise.reject(dnsError('ENOTFOUND'));
    if (typeof a === 'string') return Promise.reject(dnsError(a));
    return Promise.resolve(a as T);
  };
  return {
    resolveMx: (n) => answer(`MX ${n}`),
    resolve4: (n) => answer(`A ${n}`),
    resolve6: (n) => answer(`AAAA ${n}`),
  };
}

async function rejection(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error('expected a ClientError');
}

describe('orderMxRecords', () => {
  it('sorts by preference, shuffles equals with the random given, keeps each name once', () => {
    const records = [
      { exchange: 'c.example', priority: 20 },
      { exchange: 'A.example.', priority: 10 },
      { exchange: 'b.example', priority: 10 },
      { exchange: 'a.example', priority: 30 },
    ];
    // random() = 0 swaps the last with the first of each group: [a, b] becomes [b, a].
    expect(orderMxRecords(records, () => 0)).toEqual([
      { host: 'b.example', preference: 10 },
      { host: 'a.example', preference: 10 },
      { host: 'c.example', preference: 20 },
    ]);
    expect(orderMxRecords(records, () => 0.999).map((r) => r.host)).toEqual([
      'a.example',
      'b.example',
      'c.example',
    ]);
    // A random() that breaks its contract (1) still gives a permutation.
    expect(
      orderMxRecords(records, () => 1)
        .map((r) => r.host)
        .sort(),
    ).toEqual(['a.example', 'b.example', 'c.example']);
  });
});

describe('resolveMxTargets (scripted resolver)', () => {
  it('SERVFAIL, REFUSED or any other MX failure is temporary: ERR_CLIENT_DNS, 451 4.4.3', async () => {
    for (const code of ['ESERVFAIL', 'EREFUSED', 'ECONNREFUSED', 'ETIMEOUT']) {
      const e = await rejection(
        resolveMxTargets('example.test', { resolver: fakeResolver({ 'MX example.test': code }) }),
      );
      expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
        'ERR_CLIENT_DNS',
        false,
        451,
        '4.4.3',
      ]);
      expect((e.cause as { code: string }).code).toBe(code);
    }
  });

  it('a query that never answers is cut at queryTimeoutMs and counts as temporary', async () => {
    const started = performance.now();
    const e = await rejection(
      resolveMxTargets('example.test', {
        resolver: fakeResolver({ 'MX example.test': 'hang' }),
        queryTimeoutMs: 100,
      }),
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect([e.code, e.permanent]).toEqual(['ERR_CLIENT_DNS', false]);
  });

  it('host lookups are bounded too: a hanging host is skipped as temporary, the others kept', async () => {
    const route = await resolveMxTargets('example.test', {
      resolver: fakeResolver({
        'MX example.test': [
          { exchange: 'slow.example.test', priority: 10 },
          { exchange: 'ok.example.test', priority: 20 },
        ],
        'A slow.example.test': 'hang',
        'AAAA slow.example.test': 'hang',
        'A ok.example.test': ['192.0.2.1'],
        'AAAA ok.example.test': 'ENODATA',
      }),
      queryTimeoutMs: 100,
    });
    expect(route.targets.map((t) => t.address)).toEqual(['192.0.2.1']);
    expect(route.skipped).toEqual([
      { host: 'slow.example.test', preference: 10, reason: 'temporary' },
    ]);
  });

  it('no host with an address: temporary if a lookup failed for now, else permanent 554 5.4.4', async () => {
    const mx = { 'MX example.test': [{ exchange: 'mx.example.test', priority: 10 }] };
    const temp = await rejection(
      resolveMxTargets('example.test', {
        resolver: fakeResolver({ ...mx, 'A mx.example.test': 'ESERVFAIL' }),
      }),
    );
    expect([temp.code, temp.permanent]).toEqual(['ERR_CLIENT_DNS', false]);
    const perm = await rejection(
      resolveMxTargets('example.test', {
        resolver: fakeResolver({ ...mx, 'AAAA mx.example.test': 'ENODATA' }),
      }),
    );
    expect([perm.code, perm.permanent, perm.replyCode, perm.enhancedCode]).toEqual([
      'ERR_CLIENT_NO_ROUTE',
      true,
      554,
      '5.4.4',
    ]);
  });

  it('a host that answers one family is used even when the other family failed', async () => {
    const route = await resolveMxTargets('example.test', {
      resolver: fakeResolver({
        'MX example.test': [{ exchange: 'mx.example.test', priority: 10 }],
        'AAAA mx.example.test': 'ESERVFAIL',
        'A mx.example.test': ['192.0.2.1'],
      }),
    });
    expect(route.targets.map((t) => t.address)).toEqual(['192.0.2.1']);
  });

  it('skips MX names that are IP addresses or the root among other records, without a query', async () => {
    const asked: string[] = [];
    const route = await resolveMxTargets('example.test', {
      resolver: fakeResolver(
        {
          'MX example.test': [
            { exchange: '192.0.2.9', priority: 5 },
            { exchange: '', priority: 0 },
            { exchange: 'mx.example.test', priority: 10 },
          ],
          'A mx.example.test': ['192.0.2.1'],
        },
        asked,
      ),
    });
    expect(route.targets.map((t) => t.host)).toEqual(['mx.example.test']);
    expect(route.skipped.map((s) => [s.host, s.reason])).toEqual([
      ['', 'invalid-name'],
      ['192.0.2.9', 'invalid-name'],
    ]);
    expect(asked.some((q) => q.includes('192.0.2.9'))).toBe(false);
  });

  it('bounds hosts looked up (maxHosts) and addresses returned (maxAddresses); lists each address once', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({
      exchange: `mx${i}.example.test`,
      priority: i,
    }));
    const table: Record<string, Answer> = { 'MX example.test': records };
    for (let i = 0; i < 50; i++) {
      table[`A mx${i}.example.test`] = [`192.0.2.${i}`, '198.51.100.1'];
      table[`AAAA mx${i}.example.test`] = 'ENODATA';
    }
    const asked: string[] = [];
    const route = await resolveMxTargets('example.test', {
      resolver: fakeResolver(table, asked),
      maxHosts: 3,
      maxAddresses: 3,
    });
    expect(asked.filter((q) => q.startsWith('A ')).length).toBe(3);
    expect(route.targets.map((t) => `${t.host} ${t.address}`)).toEqual([
      'mx0.example.test 192.0.2.0',
      'mx0.example.test 198.51.100.1',
      'mx1.example.test 192.0.2.1',
    ]);
    expect(route.skipped.filter((s) => s.reason === 'over-limit').length).toBe(48);
    const defaults = await resolveMxTargets('example.test', { resolver: fakeResolver(table) });
    expect(defaults.targets.length).toBe(10);
    // mx1's second address is mx0's: listed once, under mx0.
    expect(defaults.targets.filter((t) => t.address === '198.51.100.1').length).toBe(1);
  });

  it('addressOrder: IPv6 first by default, IPv4 first, or one family only', async () => {
    const resolver = fakeResolver({
      'MX example.test': [{ exchange: 'mx.example.test', priority: 10 }],
      'A mx.example.test': ['192.0.2.1', '192.0.2.2'],
      'AAAA mx.example.test': ['2001:db8::1'],
    });
    const order = async (addressOrder?: 'ipv4-first' | 'ipv6-only' | 'ipv4-only') =>
      (
        await resolveMxTargets('example.test', {
          resolver,
          ...(addressOrder === undefined ? {} : { addressOrder }),
        })
      ).targets.map((t) => `${t.family} ${t.address}`);
    expect(await order()).toEqual(['6 2001:db8::1', '4 192.0.2.1', '4 192.0.2.2']);
    expect(await order('ipv4-first')).toEqual(['4 192.0.2.1', '4 192.0.2.2', '6 2001:db8::1']);
    expect(await order('ipv6-only')).toEqual(['6 2001:db8::1']);
    expect(await order('ipv4-only')).toEqual(['4 192.0.2.1', '4 192.0.2.2']);
  });

  it('queries the A-label form of an IDN domain, lower case, without the final dot', async () => {
    const asked: string[] = [];
    const route = await resolveMxTargets('B\u00fccher.Example.', {
      resolver: fakeResolver(
        {
          'MX xn--bcher-kva.example': [{ exchange: 'MX.xn--bcher-kva.example.', priority: 1 }],
          'A mx.xn--bcher-kva.example': ['192.0.2.1'],
        },
        asked,
      ),
    });
    expect(asked[0]).toBe('MX xn--bcher-kva.example');
    expect(route.domain).toBe('xn--bcher-kva.example');
    expect(route.targets[0]?.host).toBe('mx.xn--bcher-kva.example');
  });

  it('refuses what is not a domain or not a limit as misuse', async () => {
    const resolver = fakeResolver({});
    for (const [domain, options] of [
      ['', {}],
      ['a b.example', {}],
      ['[192.0.2.1]', {}],
      ['example.test\r\nRCPT', {}],
      ['example.test', { maxHosts: 0 }],
      ['example.test', { maxAddresses: 1.5 }],
      ['example.test', { queryTimeoutMs: -1 }],
      ['example.test', { addressOrder: 'ipv5' }],
    ] as const) {
      const e = await rejection(resolveMxTargets(domain, { resolver, ...(options as object) }));
      expect([e.code, e.misuse]).toEqual(['ERR_CLIENT_MISUSE_INVALID_ARGUMENT', true]);
    }
  });
});
