import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LISTEN,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_MESSAGE_SIZE,
  HELP,
  OPTIONS,
  parseCliOptions,
} from './cli-options.js';
import { SinkError } from './sink-error.js';

function refused(argv: string[]): string {
  try {
    parseCliOptions(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(SinkError);
    expect((e as SinkError).code).toBe('ERR_SINK_USAGE');
    return (e as SinkError).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

const tlsFiles = ['--tls-cert', 'cert.pem', '--tls-key', 'key.pem'];

describe('parseCliOptions', () => {
  it('listens on the default address and discards when given nothing', () => {
    const o = parseCliOptions([]);
    expect(o.listen).toEqual([DEFAULT_LISTEN]);
    expect(o.tlsListen).toEqual([]);
    expect(o.maildir).toBeUndefined();
    expect(o.accounts).toEqual([]);
    expect(o.lmtp).toBe(false);
  });

  it('reads the documented contract', () => {
    const o = parseCliOptions([
      '--listen',
      '[::1]:2525',
      '--maildir',
      'mail',
      '--size',
      '1048576',
      ...tlsFiles,
      '--tls-listen',
      '127.0.0.1:4650',
      '--auth',
      'alice:s3cr:et',
      '--auth',
      'bob:pw',
      '--lmtp',
      '--hostname',
      'sink.example',
      '--verbose',
    ]);
    expect(o).toMatchObject({
      listen: [{ host: '::1', port: 2525 }],
      tlsListen: [{ host: '127.0.0.1', port: 4650 }],
      maildir: 'mail',
      size: 1048576,
      tlsCert: 'cert.pem',
      tlsKey: 'key.pem',
      accounts: [
        { user: 'alice', password: 's3cr:et' },
        { user: 'bob', password: 'pw' },
      ],
      lmtp: true,
      hostname: 'sink.example',
      verbose: true,
    });
  });

  it('listens only with implicit TLS when --tls-listen comes alone', () => {
    const o = parseCliOptions(['--tls-listen', '127.0.0.1:0', ...tlsFiles]);
    expect(o.listen).toEqual([]);
    expect(o.tlsListen).toEqual([{ host: '127.0.0.1', port: 0 }]);
  });

  it('takes --size 0 as "no fixed maximum" (RFC 1870 §4)', () => {
    expect(parseCliOptions(['--size', '0']).size).toBe(0);
  });

  it.each([
    [['--size', '-1']],
    [['--size', '1e6']],
    [['--size', '10M']],
    [['--size', '']],
    [['--size', '99999999999999999999']],
    [['--listen', 'nowhere']],
    [['--listen', '::1:25']],
    [['--unknown']],
    [['positional']],
    [['--tls-cert', 'cert.pem']],
    [['--tls-key', 'key.pem']],
    [['--tls-listen', '127.0.0.1:465']],
    [['--auth', 'alice:pw']],
    [['--auth', 'nopassword', ...tlsFiles]],
    [['--auth', ':pw', ...tlsFiles]],
    [['--auth', 'alice:', ...tlsFiles]],
    [['--maildir', '']],
    [['--hostname', 'two words']],
    [['--lmtp=yes']],
  ])('refuses %j', (argv) => {
    expect(refused(argv)).not.toBe('');
  });

  it('allows AUTH before TLS only when asked', () => {
    const o = parseCliOptions(['--auth', 'alice:pw', '--auth-without-tls']);
    expect(o.authWithoutTls).toBe(true);
    expect(o.accounts).toEqual([{ user: 'alice', password: 'pw' }]);
  });

  it('reads --max-connections and --max-connections-per-ip as positive counts', () => {
    const o = parseCliOptions(['--max-connections', '5000', '--max-connections-per-ip', '250']);
    expect(o.maxConnections).toBe(5000);
    expect(o.maxConnectionsPerIp).toBe(250);
    const d = parseCliOptions([]);
    expect(d.maxConnections).toBeUndefined();
    expect(d.maxConnectionsPerIp).toBeUndefined();
  });

  it.each([
    ['--max-connections', '0'],
    ['--max-connections', '-1'],
    ['--max-connections', '1.5'],
    ['--max-connections', ''],
    ['--max-connections', 'ten'],
    ['--max-connections', '99999999999999999'],
    ['--max-connections-per-ip', '0'],
    ['--max-connections-per-ip', '1e3'],
    ['--max-connections-per-ip', ' 5'],
  ])('refuses %s %j', (flag, value) => {
    expect(refused([flag, value])).toContain(flag);
  });
});

describe('repeated options', () => {
  it('listens on every --listen and --tls-listen, in the order given', () => {
    const o = parseCliOptions([
      '--listen',
      '127.0.0.1:2525',
      '--listen',
      '[::1]:2525',
      '--tls-listen',
      '127.0.0.1:4650',
      '--tls-listen',
      '[::1]:4650',
      ...tlsFiles,
    ]);
    expect(o.listen).toEqual([
      { host: '127.0.0.1', port: 2525 },
      { host: '::1', port: 2525 },
    ]);
    expect(o.tlsListen).toEqual([
      { host: '127.0.0.1', port: 4650 },
      { host: '::1', port: 4650 },
    ]);
  });

  it('takes port 0 more than once (each listener gets its own free port)', () => {
    const o = parseCliOptions(['--listen', '127.0.0.1:0', '--listen', '127.0.0.1:0']);
    expect(o.listen).toHaveLength(2);
  });

  it('refuses the same address twice, naming it', () => {
    expect(refused(['--listen', '127.0.0.1:2525', '--listen', '127.0.0.1:2525'])).toBe(
      '--listen 127.0.0.1:2525 is given twice: one listener per address',
    );
    expect(
      refused(['--listen', '[::1]:4650', '--tls-listen', '[::1]:4650', ...tlsFiles]),
    ).toContain('[::1]:4650 is given to both --listen and --tls-listen');
  });

  it.each([
    ['--size', '1', '2'],
    ['--maildir', 'a', 'b'],
    ['--hostname', 'a.example', 'b.example'],
    ['--tls-cert', 'a.pem', 'b.pem'],
    ['--max-connections', '1', '2'],
  ])('refuses %s given twice instead of keeping the last', (flag, a, b) => {
    expect(refused([flag, a, flag, b])).toBe(
      `${flag} is given twice ("${a}", then "${b}"): give it once`,
    );
  });

  it('takes a flag given twice as given once', () => {
    expect(parseCliOptions(['-v', '--verbose', '--lmtp', '--lmtp']).verbose).toBe(true);
  });
});

describe('error messages: one line naming the option, the value and what is expected', () => {
  it.each([
    [
      ['--size', '-5'],
      'invalid --size "-5": expected a byte count, digits only (0: no fixed maximum)',
    ],
    [['--size', '10M'], 'invalid --size "10M": expected a byte count, digits only'],
    [['--size', '99999999999999999'], 'invalid --size "99999999999999999": too large'],
    [['--listen', 'nowhere'], 'invalid --listen "nowhere": missing :PORT'],
    [['--listen', '127.0.0.1:99999'], 'invalid --listen "127.0.0.1:99999": port must be 0..65535'],
    [['--listen', '::1:25'], 'invalid --listen "::1:25": an IPv6 address goes in brackets'],
    [['--tls-listen', 'x', ...tlsFiles], 'invalid --tls-listen "x": missing :PORT'],
    [
      ['--max-connections', '0'],
      'invalid --max-connections "0": expected a whole number from 1 to 999999999',
    ],
    [
      ['--max-connections-per-ip', 'ten'],
      'invalid --max-connections-per-ip "ten": expected a whole number from 1 to 999999999',
    ],
    [['--maildir', ''], 'invalid --maildir "": expected a directory'],
    [['--hostname', 'two words'], 'invalid --hostname "two words": expected one word'],
    [['--auth', 'alice', '--auth-without-tls'], 'invalid --auth "alice": expected USER:PASS'],
    [['--bogus'], 'unknown option --bogus'],
    [['-x'], 'unknown option -x'],
    [['--listn', '127.0.0.1:25'], 'unknown option --listn (did you mean --listen?)'],
    [['--lmtp=yes'], '--lmtp takes no value (given "yes")'],
    [['--listen'], '--listen needs a value: HOST:PORT'],
    [['--maildir', '--verbose'], '--maildir needs a value: DIR (found the option --verbose;'],
    [['mail'], 'unexpected argument "mail"'],
    [['--', 'mail'], 'unexpected argument "mail"'],
    [['--tls-cert', 'c.pem'], '--tls-cert needs --tls-key'],
    [['--tls-listen', '127.0.0.1:465'], '--tls-listen needs --tls-cert and --tls-key'],
    [['--auth', 'alice:pw'], '--auth needs --tls-cert and --tls-key'],
  ])('%j: %s', (argv, expected) => {
    const message = refused(argv);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('never repeats a password of a bad --auth value', () => {
    const message = refused(['--auth', ':hunter2', '--auth-without-tls']);
    expect(message).toContain('invalid --auth');
    expect(message).not.toContain('hunter2');
  });
});

describe('--help', () => {
  it('is asked by --help or -h, and wins over anything else on the line', () => {
    expect(parseCliOptions(['--help']).help).toBe(true);
    expect(parseCliOptions(['-h']).help).toBe(true);
    expect(parseCliOptions(['--bogus', '-h']).help).toBe(true);
    expect(parseCliOptions(['--size', '-5', '--help']).help).toBe(true);
  });

  it('lists every option with what it does', () => {
    for (const option of OPTIONS) {
      const line = HELP.split('\n').find((l) => l.includes(`--${option.name}`));
      expect(line, `--${option.name}`).toBeDefined();
      if (option.short !== undefined) expect(line).toContain(`-${option.short}, --${option.name}`);
      expect(option.description.length).toBeGreaterThan(10);
      expect(HELP).toContain(option.description.split(' ').slice(0, 4).join(' '));
    }
  });

  it('states the defaults, the exit statuses and gives examples', () => {
    expect(HELP).toContain(`Default: ${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}`);
    expect(HELP).toContain(`Default: ${DEFAULT_MESSAGE_SIZE}`);
    expect(HELP).toContain(`Default: ${DEFAULT_MAX_CONNECTIONS}`);
    expect(HELP).toContain(`Default: ${DEFAULT_MAX_CONNECTIONS_PER_IP}`);
    expect(HELP).toMatch(/repeat/i);
    expect(HELP).toMatch(/^Exit status/m);
    expect(HELP).toMatch(/^Examples/m);
    expect(HELP.match(/^ {2}smtpkit-sink /gm)?.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps within 100 columns', () => {
    for (const line of HELP.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('every example in the help parses', () => {
    const examples = HELP.split('\n')
      .filter((l) => l.startsWith('  smtpkit-sink '))
      .map((l) => l.trim().split(/\s+/).slice(1));
    for (const argv of examples) expect(() => parseCliOptions(argv), argv.join(' ')).not.toThrow();
  });
});

describe('README', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  it('documents every option', () => {
    for (const option of OPTIONS) expect(readme, `--${option.name}`).toContain(`--${option.name}`);
  });
});
