import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchOptions, parseSendOptions, type SendOptions } from './cli-options.js';
import { BENCH_DEFAULTS, OPTIONS } from './option-table.js';

const send = (args: string[]) => parseSendOptions(args) as SendOptions;
const base = ['--server', 'mx.example:2525', '--from', 'a@example.org', '--to', 'b@example.com'];

describe('parseSendOptions', () => {
  it('reads the server, the envelope and the defaults', () => {
    const o = send(base);
    expect(o.server).toEqual({ host: 'mx.example', port: 2525 });
    expect([o.from, o.to, o.tls, o.bdat, o.mx, o.verbose, o.data]).toEqual([
      'a@example.org',
      ['b@example.com'],
      'opportunistic',
      false,
      false,
      false,
      undefined,
    ]);
    expect(o.reversePath.kind).toBe('mailbox');
  });

  it("takes '' and '<>' as the null sender, <a@b> as a path, --to repeated", () => {
    const withNull = parseSendOptions(['--server', 'x', '--from', '<>', '--to', '<b@example.com>']);
    expect((withNull as SendOptions).reversePath).toEqual({ kind: 'null' });
    const empty = send([
      '--server',
      'x',
      '--from=',
      '--to',
      'b@example.com',
      '--to',
      'c@example.com',
    ]);
    expect([empty.reversePath, empty.forwardPaths.length]).toEqual([{ kind: 'null' }, 2]);
  });

  it('--starttls is required STARTTLS, --tls implicit TLS', () => {
    expect(send([...base, '--starttls']).tls).toBe('required');
    expect(send([...base, '--tls']).tls).toBe('implicit');
  });

  it('--auth keeps every colon after the first in the password', () => {
    expect(send([...base, '--auth', 'tim:pa:ss']).auth).toEqual({ user: 'tim', password: 'pa:ss' });
  });

  it('--mx with --dns-server and --mx-port', () => {
    const o = send([
      ...['--mx', '--from', 'a@example.org', '--to', 'b@example.com'],
      ...['--dns-server', '127.0.0.1:5353', '--mx-port', '2525'],
    ]);
    expect([o.mx, o.server, o.dnsServer, o.mxPort]).toEqual([
      true,
      undefined,
      '127.0.0.1:5353',
      2525,
    ]);
    expect(
      send(['--mx', '--from', '', '--to', 'b@x.example', '--dns-server', '[::1]']).dnsServer,
    ).toBe('[::1]:53');
    expect(() =>
      send(['--mx', '--from', '', '--to', 'b@x.example', '--dns-server', 'ns.example']),
    ).toThrow(/expected an IP address, not a name/);
  });

  it('--dsn-notify is read as RFC 3461 says', () => {
    expect(send([...base, '--dsn-notify', 'failure,delay']).dsnNotify).toEqual([
      'FAILURE',
      'DELAY',
    ]);
    expect(send([...base, '--dsn-notify', 'NEVER']).dsnNotify).toEqual(['NEVER']);
  });

  it('a NUL is refused like CR and LF', () => {
    expect(() => send([...base, '--helo', 'a\0b'])).toThrow(/CR, LF or NUL/);
  });

  it('--help wins over everything else on the line', () => {
    expect(parseSendOptions(['--nonsense', '-h'])).toEqual({ help: true });
  });
});

describe('parseBenchOptions', () => {
  it('has defaults for everything but the server', () => {
    const o = parseBenchOptions(['--server', '127.0.0.1:25']);
    if (o.help) throw new Error('unexpected help');
    expect([o.count, o.size, o.concurrency, o.messagesPerConnection, o.from, o.to]).toEqual([
      BENCH_DEFAULTS.count,
      BENCH_DEFAULTS.size,
      BENCH_DEFAULTS.concurrency,
      undefined,
      BENCH_DEFAULTS.from,
      [BENCH_DEFAULTS.to],
    ]);
  });

  it('refuses counts that are not whole positive numbers', () => {
    for (const bad of ['0', '-1', '1.5', '1e3', '01', '']) {
      expect(() => parseBenchOptions(['--server', 'x', '--count', bad])).toThrow(/--count/);
    }
    expect(() => parseBenchOptions(['--server', 'x', '--concurrency', '1001'])).toThrow(
      /from 1 to 1000/,
    );
  });
});

describe('README', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  it('documents every option', () => {
    for (const option of OPTIONS)
      expect(readme, `--${option.name}`).toContain(`\`--${option.name}`);
  });
});
