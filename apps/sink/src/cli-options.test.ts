import { describe, expect, it } from 'vitest';
import { DEFAULT_LISTEN, parseCliOptions } from './cli-options.js';
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
    expect(o.listen).toEqual(DEFAULT_LISTEN);
    expect(o.tlsListen).toBeUndefined();
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
      listen: { host: '::1', port: 2525 },
      tlsListen: { host: '127.0.0.1', port: 4650 },
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
    expect(o.listen).toBeUndefined();
    expect(o.tlsListen).toEqual({ host: '127.0.0.1', port: 0 });
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
