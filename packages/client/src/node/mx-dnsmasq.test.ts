// MX routing against a real DNS server on loopback: dnsmasq on a high port, serving MX, A, AAAA
// and null MX records, with node's own Resolver pointed at it.
import { Resolver } from 'node:dns/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { type Dnsmasq, dnsmasqSkipReason, freePort, startDnsmasq } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../client-error.js';
import { type ResolveMxOptions, resolveMxTargets } from './mx-resolve.js';
import { type MxAttemptOutcome, tryMxTargets } from './mx-try.js';

/** mulberry32: a small seeded generator, so a run's shuffles can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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

const QUERY_TIMEOUT_MS = 400;

describe.skipIf(dnsmasqSkipReason() !== undefined)('MX routing against dnsmasq', () => {
  let dns: Dnsmasq;
  let resolver: Resolver;
  const options = (more: ResolveMxOptions = {}): ResolveMxOptions => ({
    resolver,
    queryTimeoutMs: QUERY_TIMEOUT_MS,
    ...more,
  });

  beforeAll(async () => {
    dns = await startDnsmasq({
      mx: [
        // preference order, written out of order
        { domain: 'pref.test', host: 'c.pref.test', preference: 30 },
        { domain: 'pref.test', host: 'a.pref.test', preference: 10 },
        { domain: 'pref.test', host: 'b.pref.test', preference: 20 },
        // two of equal preference, then a backup
        { domain: 'equal.test', host: 'x.equal.test', preference: 10 },
        { domain: 'equal.test', host: 'y.equal.test', preference: 10 },
        { domain: 'equal.test', host: 'z.equal.test', preference: 20 },
        // the best MX has no address at all
        { domain: 'skip.test', host: 'ghost.skip.test', preference: 10 },
        { domain: 'skip.test', host: 'real.skip.test', preference: 20 },
        // no MX has an address
        { domain: 'noaddr.test', host: 'ghost1.noaddr.test', preference: 10 },
        { domain: 'noaddr.test', host: 'ghost2.noaddr.test', preference: 20 },
        // a dual-stack MX and an IPv4 backup
        { domain: 'dual.test', host: 'mx.dual.test', preference: 10 },
        { domain: 'dual.test', host: 'backup.dual.test', preference: 20 },
        // an MX whose name server never answers, and one that works
        { domain: 'partslow.test', host: 'mx.slow.test', preference: 10 },
        { domain: 'partslow.test', host: 'ok.partslow.test', preference: 20 },
        // real sockets: 421 greeting, nothing listening, 220 greeting
        { domain: 'sock.test', host: 'one.sock.test', preference: 10 },
        { domain: 'sock.test', host: 'two.sock.test', preference: 20 },
        { domain: 'sock.test', host: 'three.sock.test', preference: 30 },
      ],
      nullMx: ['nullmx.test'],
      hosts: [
        { name: 'a.pref.test', addresses: ['127.0.0.11'] },
        { name: 'b.pref.test', addresses: ['127.0.0.12'] },
        { name: 'c.pref.test', addresses: ['127.0.0.13'] },
        { name: 'x.equal.test', addresses: ['127.0.0.14'] },
        { name: 'y.equal.test', addresses: ['127.0.0.15'] },
        { name: 'z.equal.test', addresses: ['127.0.0.16'] },
        { name: 'implicit.test', addresses: ['127.0.0.21', '::1'] },
        { name: 'real.skip.test', addresses: ['127.0.0.22'] },
        { name: 'mx.dual.test', addresses: ['127.0.0.31', '::1'] },
        { name: 'backup.dual.test', addresses: ['127.0.0.32'] },
        { name: 'ok.partslow.test', addresses: ['127.0.0.33'] },
        { name: 'one.sock.test', addresses: ['127.0.0.41'] },
        { name: 'two.sock.test', addresses: ['127.0.0.42'] },
        { name: 'three.sock.test', addresses: ['127.0.0.43'] },
      ],
      unansweredDomains: ['slow.test'],
    });
    // c-ares would wait longer than the query timeout: the bound that fires is resolveMxTargets' own.
    resolver = new Resolver({ timeout: 3000, tries: 1 });
    resolver.setServers([dns.server]);
  }, 20_000);

  afterAll(async () => {
    resolver?.cancel();
    await dns?.stop();
  });

  it('orders MX hosts by preference, whatever order DNS gives them in', async () => {
    for (let run = 0; run < 5; run++) {
      const route = await resolveMxTargets('pref.test', options({ random: seeded(run) }));
      expect(route.implicit).toBe(false);
      expect(route.hosts.map((h) => [h.host, h.preference])).toEqual([
        ['a.pref.test', 10],
        ['b.pref.test', 20],
        ['c.pref.test', 30],
      ]);
      expect(route.targets.map((t) => t.address)).toEqual([
        '127.0.0.11',
        '127.0.0.12',
        '127.0.0.13',
      ]);
    }
  });

  it('shuffles hosts of equal preference: both orders seen over seeded runs, the backup always last', async () => {
    const orders = new Set<string>();
    for (let run = 0; run < 20; run++) {
      const route = await resolveMxTargets('equal.test', options({ random: seeded(1000 + run) }));
      const hosts = route.hosts.map((h) => h.host);
      expect(hosts[2]).toBe('z.equal.test');
      orders.add(hosts.slice(0, 2).join(' '));
    }
    expect([...orders].sort()).toEqual(['x.equal.test y.equal.test', 'y.equal.test x.equal.test']);
    // The same seed gives the same order: a failing run can be replayed.
    const a = await resolveMxTargets('equal.test', options({ random: seeded(7) }));
    const b = await resolveMxTargets('equal.test', options({ random: seeded(7) }));
    expect(a.targets).toEqual(b.targets);
  });

  it('without an MX record, uses the implicit MX: the domain\u2019s own AAAA and A addresses', async () => {
    const route = await resolveMxTargets('implicit.test', options());
    expect(route.implicit).toBe(true);
    expect(route.targets).toEqual([
      { host: 'implicit.test', preference: 0, address: '::1', family: 6 },
      { host: 'implicit.test', preference: 0, address: '127.0.0.21', family: 4 },
    ]);
  });

  it('a null MX (RFC 7505) is a permanent failure: ERR_CLIENT_NO_ROUTE, 556 5.1.10', async () => {
    const e = await rejection(resolveMxTargets('nullmx.test', options()));
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_NO_ROUTE',
      true,
      556,
      '5.1.10',
    ]);
  });

  it('NXDOMAIN is a permanent failure: ERR_CLIENT_NO_ROUTE, 550 5.1.2', async () => {
    const e = await rejection(resolveMxTargets('nowhere.test', options()));
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_NO_ROUTE',
      true,
      550,
      '5.1.2',
    ]);
  });

  it('skips an MX host whose name resolves to nothing', async () => {
    const route = await resolveMxTargets('skip.test', options());
    expect(route.targets.map((t) => `${t.host} ${t.address}`)).toEqual([
      'real.skip.test 127.0.0.22',
    ]);
    expect(route.skipped).toEqual([
      { host: 'ghost.skip.test', preference: 10, reason: 'no-address' },
    ]);
  });

  it('no MX host with an address is a permanent failure: 554 5.4.4', async () => {
    const e = await rejection(resolveMxTargets('noaddr.test', options()));
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_NO_ROUTE',
      true,
      554,
      '5.4.4',
    ]);
  });

  it('a DNS server that never answers is a temporary failure, within the query timeout', async () => {
    const started = performance.now();
    const e = await rejection(resolveMxTargets('slow.test', options()));
    expect(performance.now() - started).toBeLessThan(QUERY_TIMEOUT_MS + 1000);
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_DNS',
      false,
      451,
      '4.4.3',
    ]);
    const route = await resolveMxTargets('partslow.test', options());
    expect(route.targets.map((t) => t.host)).toEqual(['ok.partslow.test']);
    expect(route.skipped).toEqual([{ host: 'mx.slow.test', preference: 10, reason: 'temporary' }]);
  });

  it('tries IPv6 and IPv4 of each host in turn, then the next MX on connection failures', async () => {
    const route = await resolveMxTargets('dual.test', options());
    expect(route.targets.map((t) => `${t.host} ${t.address}`)).toEqual([
      'mx.dual.test ::1',
      'mx.dual.test 127.0.0.31',
      'backup.dual.test 127.0.0.32',
    ]);
    const asked: string[] = [];
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const r = await tryMxTargets(
      route.targets,
      async (address, port): Promise<MxAttemptOutcome<string>> => {
        asked.push(`${address} ${port}`);
        return address === '127.0.0.32'
          ? { type: 'accepted', value: address }
          : { type: 'next', error: refused };
      },
      { port: 2525 },
    );
    expect(asked).toEqual(['::1 2525', '127.0.0.31 2525', '127.0.0.32 2525']);
    expect(r.target.host).toBe('backup.dual.test');
    const v4 = await resolveMxTargets('dual.test', options({ addressOrder: 'ipv4-first' }));
    expect(v4.targets.map((t) => t.address)).toEqual(['127.0.0.31', '::1', '127.0.0.32']);
  });

  it('over real sockets: a 421 greeting and a refused connection move on to the MX that greets 220', async () => {
    const port = await freePort('127.0.0.43');
    const servers: Server[] = [];
    const listen = (host: string, greeting: string) =>
      new Promise<void>((resolve, reject) => {
        const server = createServer((socket) => socket.end(greeting));
        server.once('error', reject);
        server.listen(port, host, () => resolve());
        servers.push(server);
      });
    await listen('127.0.0.41', '421 4.3.2 one.sock.test busy\r\n');
    await listen('127.0.0.43', '220 three.sock.test ESMTP\r\n');
    try {
      const route = await resolveMxTargets('sock.test', options());
      /** Connects and reads the first line: 2xx accepted, 4xx or no connection: next. */
      const greet = (address: string, p: number, signal: AbortSignal) =>
        new Promise<MxAttemptOutcome<string>>((resolve) => {
          const socket = createConnection({ host: address, port: p });
          signal.addEventListener('abort', () => socket.destroy());
          let text = '';
          socket.on('data', (b) => {
            text += b.toString('latin1');
            if (!text.includes('\r\n')) return;
            socket.destroy();
            const line = text.slice(0, text.indexOf('\r\n'));
            if (line.startsWith('2')) resolve({ type: 'accepted', value: line });
            else if (line.startsWith('4')) resolve({ type: 'next', error: new Error(line) });
            else resolve({ type: 'stop', error: new Error(line) });
          });
          socket.on('error', (error) => resolve({ type: 'next', error }));
          socket.on('close', () => resolve({ type: 'next', error: new Error('closed') }));
        });
      const r = await tryMxTargets(
        route.targets,
        (address, p, { signal }) => greet(address, p, signal),
        { port, attemptTimeoutMs: 5000 },
      );
      expect(r.value).toBe('220 three.sock.test ESMTP');
      expect(r.attempts.map((a) => [a.target.host, a.outcome])).toEqual([
        ['one.sock.test', 'next'],
        ['two.sock.test', 'next'],
        ['three.sock.test', 'accepted'],
      ]);
      const [first, second] = r.attempts.map((a) => a.error as NodeJS.ErrnoException);
      expect(first?.message).toMatch(/^421 /);
      expect(second?.code).toBe('ECONNREFUSED');
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  });
});
