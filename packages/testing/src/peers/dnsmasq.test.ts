import { Resolver } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { dnsmasqSkipReason, startDnsmasq } from './dnsmasq.js';
import { PeerError } from './peer-error.js';

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code;
  }
}

describe.skipIf(dnsmasqSkipReason() !== undefined)('startDnsmasq', () => {
  it('serves MX, A, AAAA and null MX records; NXDOMAIN, NODATA and REFUSED around them; stops by PID', {
    timeout: 20_000,
  }, async () => {
    const dns = await startDnsmasq({
      mx: [
        { domain: 'example.test', host: 'mx1.example.test', preference: 10 },
        { domain: 'example.test', host: 'mx2.example.test', preference: 20 },
      ],
      hosts: [{ name: 'mx1.example.test', addresses: ['127.0.0.11', '::1'] }],
      nullMx: ['nomail.test'],
      unansweredDomains: ['slow.test'],
    });
    const resolver = new Resolver({ timeout: 300, tries: 1 });
    resolver.setServers([dns.server]);
    try {
      const mx = await resolver.resolveMx('example.test');
      expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
        { exchange: 'mx1.example.test', priority: 10 },
        { exchange: 'mx2.example.test', priority: 20 },
      ]);
      expect(await resolver.resolve4('mx1.example.test')).toEqual(['127.0.0.11']);
      expect(await resolver.resolve6('mx1.example.test')).toEqual(['::1']);
      // RFC 7505 null MX: node reports the root name "." as an empty exchange.
      expect(await resolver.resolveMx('nomail.test')).toEqual([{ exchange: '', priority: 0 }]);
      expect(await code(resolver.resolve4('mx2.example.test'))).toBe('ENOTFOUND'); // NXDOMAIN
      expect(await code(resolver.resolveMx('mx1.example.test'))).toBe('ENODATA'); // NODATA
      expect(await code(resolver.resolveMx('elsewhere.example'))).toBe('EREFUSED');
      expect(await code(resolver.resolveMx('slow.test'))).toBe('ETIMEOUT');
    } finally {
      await dns.stop();
    }
    const exit = await dns.process.exited;
    expect(exit.signal ?? exit.exitCode).toBeDefined();
    expect(() => process.kill(dns.pid, 0)).toThrow();
  });

  it('refuses a value that would add a dnsmasq option', async () => {
    for (const options of [
      { hosts: [{ name: 'a.test,--server=/x/1.2.3.4', addresses: ['127.0.0.1'] }] },
      { hosts: [{ name: 'a.test', addresses: ['127.0.0.1,--x'] }] },
      { hosts: [{ name: 'a.test', addresses: [] }] },
      { mx: [{ domain: 'a.test', host: 'mx.a.test', preference: 70_000 }] },
      { nullMx: ['a.test\n'] },
    ]) {
      await expect(startDnsmasq(options)).rejects.toSatisfy(
        (e) => e instanceof PeerError && e.code === 'ERR_PEER_USAGE',
      );
    }
  });
});
