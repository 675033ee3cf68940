import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { MtaError } from '../mta-error.js';
import { loadConfig, validateConfig } from './load-config.js';

function problem(input: unknown): string {
  try {
    validateConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(MtaError);
    expect((e as MtaError).code).toBe('ERR_MTA_CONFIG');
    expect((e as MtaError).misuse).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('has embedded defaults that make a working MTA', () => {
    const config = validateConfig({});
    expect(config.listen.mx).toEqual([{ host: '127.0.0.1', port: 2525 }]);
    expect(config.listen.submission).toEqual([{ host: '127.0.0.1', port: 2587 }]);
    expect(config.listen.submissions).toEqual([{ host: '127.0.0.1', port: 2465 }]);
    expect(config.localDomains).toEqual(['localhost']);
    expect(config.dataDir).toBe('./var');
    expect(config.relayNetworks).toEqual(['127.0.0.1/32', '::1/128']);
    expect(config.retry).toMatchObject({
      minBackoff: 300_000,
      maxBackoff: 4_000_000,
      maxLifetime: 432_000_000,
    });
    expect(config.limits.maxHops).toBe(100);
  });

  it.each([
    [{ listen: { mx: ['nowhere'] } }, 'listen.mx[0]: expected HOST:PORT, got "nowhere"'],
    [{ listen: { mx: ['127.0.0.1:70000'] } }, 'listen.mx[0]:'],
    [{ retry: { maxLifetime: 'soon' } }, 'retry.maxLifetime: expected a duration'],
    [{ relayNetworks: ['10.0.0.0/33'] }, 'relayNetworks[0]:'],
    [{ delivery: { mxPort: 0 } }, 'delivery.mxPort:'],
    [{ delivery: { tls: 'always' } }, 'delivery.tls:'],
    [{ limits: { messageSize: -1 } }, 'limits.messageSize:'],
    [{ localDomain: ['x'] }, 'localDomain: unknown key'],
    [{ delivery: { relayhost: 'x:25' } }, 'delivery.relayhost: unknown key'],
    [{ catchAll: 'yes' }, 'catchAll:'],
    [{ metrics: 'on' }, 'metrics:'],
  ])('names the bad key: %j', (input, expected) => {
    expect(problem(input)).toContain(expected);
  });

  it('reads durations with units', () => {
    const config = validateConfig({
      retry: { minBackoff: '5m', maxLifetime: '2d', delayWarning: 1000 },
    });
    expect(config.retry.minBackoff).toBe(300_000);
    expect(config.retry.maxLifetime).toBe(172_800_000);
    expect(config.retry.delayWarning).toBe(1000);
  });

  it('lays the command line over the file, and names the file in errors', async () => {
    const dir = await makeTempDir('mta-config');
    try {
      const file = join(dir.path, 'mta.yaml');
      await writeFile(file, 'localDomains: [example.org]\nlisten:\n  mx: ["127.0.0.1:2600"]\n');
      const config = await loadConfig({
        file,
        overrides: { catchAll: true, listen: { submission: [] } },
      });
      expect(config.localDomains).toEqual(['example.org']);
      expect(config.listen.mx).toEqual([{ host: '127.0.0.1', port: 2600 }]);
      expect(config.listen.submission).toEqual([]);
      expect(config.catchAll).toBe(true);
      await writeFile(file, 'listen:\n  mx: [1]\n');
      await expect(loadConfig({ file })).rejects.toThrow(`${file}: listen.mx[0]:`);
      await writeFile(file, 'listen: [\n');
      await expect(loadConfig({ file })).rejects.toThrow(file);
      await expect(loadConfig({ file: join(dir.path, 'missing.yaml') })).rejects.toThrow(
        /missing\.yaml: cannot read it/,
      );
    } finally {
      await dir.remove();
    }
  });
});
