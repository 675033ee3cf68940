// A bad configuration stops `check-config` and the start-up with exit status 2 and names the key.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/mta-process.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir('mta-config');
});
afterAll(async () => {
  await dir?.remove();
});

async function configFile(name: string, text: string): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, text);
  return path;
}

const CASES: readonly { name: string; file: string; text: string; says: RegExp }[] = [
  {
    name: 'an MX listener that is not HOST:PORT',
    file: 'listen.json',
    text: JSON.stringify({ listen: { mx: ['127.0.0.1:2525', 'nowhere'] } }),
    says: /listen\.mx\[1\]: expected HOST:PORT, got "nowhere"/,
  },
  {
    name: 'an unknown key under delivery',
    file: 'relayhost.yaml',
    text: 'delivery:\n  relayhost: "[smtp.example.net]:587"\n',
    says: /delivery\.relayhost: unknown key/,
  },
  {
    name: 'a lifetime that is not a duration',
    file: 'lifetime.yaml',
    text: 'retry:\n  maxLifetime: forever\n',
    says: /retry\.maxLifetime: expected a duration/,
  },
  {
    name: 'a relay network that is not one',
    file: 'networks.json',
    text: JSON.stringify({ relayNetworks: ['127.0.0.1/32', '10.0.0.0/33'] }),
    says: /relayNetworks\[1\]: expected an IP address or a network/,
  },
  {
    name: 'an MX port out of range',
    file: 'mxport.json',
    text: JSON.stringify({ delivery: { mxPort: 70000 } }),
    says: /delivery\.mxPort: /,
  },
  {
    name: 'an unknown top-level key',
    file: 'toplevel.yaml',
    text: 'localDomain: example.org\n',
    says: /localDomain: unknown key/,
  },
];

describe('check-config', () => {
  for (const c of CASES) {
    it(`exits 2 and names the key: ${c.name}`, async () => {
      const path = await configFile(c.file, c.text);
      const result = await runCli(['check-config', '-c', path], { cwd: dir.path });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(c.says);
      expect(result.stderr).toContain(path);
      expect(result.stdout).toBe('');
    });
  }

  it('names every bad key of one file, one per line', async () => {
    const path = await configFile(
      'several.json',
      JSON.stringify({
        listen: { mx: ['x'] },
        delivery: { relayhost: 'y' },
        retry: { maxLifetime: 'z' },
      }),
    );
    const result = await runCli(['check-config', '-c', path], { cwd: dir.path });
    expect(result.code, result.stderr).toBe(2);
    for (const key of ['listen.mx[0]:', 'delivery.relayhost: unknown key', 'retry.maxLifetime:']) {
      expect(result.stderr).toContain(key);
    }
  });

  it('exits 2 naming a file that cannot be read or parsed', async () => {
    const missing = join(dir.path, 'missing.yaml');
    const unread = await runCli(['check-config', '-c', missing], { cwd: dir.path });
    expect(unread.code, unread.stderr).toBe(2);
    expect(unread.stderr).toContain(missing);
    const broken = await configFile('broken.yaml', 'listen: [unclosed\n');
    const unparsed = await runCli(['check-config', '-c', broken], { cwd: dir.path });
    expect(unparsed.code, unparsed.stderr).toBe(2);
    expect(unparsed.stderr).toContain(broken);
  });

  it('prints the configuration with the defaults filled in and exits 0 when it is good', async () => {
    const path = await configFile(
      'good.yaml',
      'localDomains: [Example.ORG.]\nretry: { minBackoff: 5m }\nmetrics: false\n',
    );
    const result = await runCli(['check-config', '-c', path], { cwd: dir.path });
    expect(result.code, result.stderr).toBe(0);
    const config = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({
      localDomains: ['example.org'],
      retry: { minBackoff: 300_000, maxLifetime: 5 * 86_400_000 },
      relayNetworks: ['127.0.0.1/32', '::1/128'],
      metrics: false,
    });
  });
});

describe('start-up with a bad configuration', () => {
  for (const c of CASES.slice(0, 3)) {
    it(`exits 2 and names the key: ${c.name}`, async () => {
      const path = await configFile(`run-${c.file}`, c.text);
      const result = await runCli(['-c', path], { cwd: dir.path, timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(c.says);
      expect(result.stdout).not.toContain('listening on');
    });
  }

  it('exits 2 naming a bad command-line value, which wins over the file', async () => {
    const path = await configFile('fine.json', JSON.stringify({ metrics: false }));
    const relay = await runCli(['-c', path, '--relay', 'smarthost'], { cwd: dir.path });
    expect(relay.code, relay.stderr).toBe(2);
    expect(relay.stderr).toMatch(/--relay: expected HOST:PORT, got "smarthost"/);
    const network = await runCli(['-c', path, '--relay-network', '300.1.2.3'], {
      cwd: dir.path,
    });
    expect(network.code, network.stderr).toBe(2);
    expect(network.stderr).toMatch(/relayNetworks\[0\]: /);
  });
});
