// The sender through its real command line, `node dist/cli.js`, against @smtpkit/server on
// loopback, in the manner of swaks: what the server stored must be what was asked for, the exit
// status must say whether everything was accepted, and every failure must be one line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSelfSignedCert,
  freePort,
  makeTempDir,
  opensslSkipReason,
  type SelfSignedCert,
  type TempDir,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS } from '../src/option-table.js';
import { type ReceivingServer, startReceivingServer } from './receiving-server.js';
import { runCli } from './run-cli.js';

const FROM = 'a@example.org';
const TO = 'b@example.com';

describe('smtpkit-send', () => {
  let server: ReceivingServer;
  let bare: ReceivingServer;
  let tmp: TempDir;
  const at = (s: ReceivingServer) => `127.0.0.1:${s.port}`;
  beforeAll(async () => {
    server = await startReceivingServer({
      refuse: ['<nobody@example.com>', '<banned@example.org>'],
    });
    bare = await startReceivingServer({ without: ['CHUNKING', 'DSN', 'PIPELINING'] });
    tmp = await makeTempDir('send');
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), bare?.stop(), tmp?.remove()]);
  });

  it('--help lists every option of each mode and exits 0', async () => {
    const send = await runCli(['--help']);
    const bench = await runCli(['bench', '-h']);
    expect([send.status, bench.status]).toEqual([0, 0]);
    for (const option of OPTIONS) {
      const help = option.modes.includes('send') ? send.stdout : bench.stdout;
      expect(help).toContain(`--${option.name}`);
    }
    expect(bench.stdout).toContain('elapsed_ms=T cpu_ms=C');
  });

  it('without --data, sends a generated message with Date, From, To, Subject and Message-ID', async () => {
    const before = server.messages.length;
    const r = await runCli([
      '--server',
      at(server),
      '--from',
      FROM,
      '--to',
      TO,
      '--helo',
      'client.test',
    ]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.lines).toEqual([
      expect.stringMatching(/^rcpt <b@example\.com>: accepted 250 2\.1\.5 /),
      expect.stringMatching(/^message: accepted 250 2\.0\.0 /),
    ]);
    const m = server.messages[before];
    expect([m?.from, m?.to, m?.via]).toEqual(['<a@example.org>', ['<b@example.com>'], 'BDAT']);
    const headers = m?.body.toString().split('\r\n\r\n')[0] ?? '';
    expect(headers).toMatch(/^Date: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\n/);
    expect(headers).toContain('\r\nFrom: <a@example.org>\r\n');
    expect(headers).toContain('\r\nTo: <b@example.com>\r\n');
    expect(headers).toContain('\r\nSubject: ');
    expect(headers).toMatch(/\r\nMessage-ID: <[0-9a-f-]{36}@client\.test>\r\n/);
  });

  it('--data FILE and --data - send the message as it is, to every --to', async () => {
    const text = 'Subject: from a file\r\n\r\nline one\r\n.leading dot\r\n';
    const file = join(tmp.path, 'message.eml');
    await writeFile(file, text);
    const before = server.messages.length;
    const fromFile = await runCli([
      ...['--server', at(server), '--from', FROM, '--to', TO, '--to', 'c@example.com'],
      ...['--data', file],
    ]);
    const fromStdin = await runCli(
      ['--server', at(bare), '--from', '<>', '--to', TO, '--data', '-'],
      { input: text },
    );
    expect([fromFile.status, fromStdin.status]).toEqual([0, 0]);
    expect(server.messages[before]).toMatchObject({
      to: ['<b@example.com>', '<c@example.com>'],
      body: Buffer.from(text),
    });
    expect(bare.messages.at(-1)).toMatchObject({
      from: '<>',
      via: 'DATA',
      body: Buffer.from(text),
    });
  });

  it('a refused recipient: exit 1, the others still accepted, each reply printed', async () => {
    const r = await runCli([
      ...['--server', at(server), '--from', FROM],
      ...['--to', 'nobody@example.com', '--to', TO],
    ]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      expect.stringMatching(/^rcpt <nobody@example\.com>: refused 550 5\.1\.1 /),
      expect.stringMatching(/^rcpt <b@example\.com>: accepted 250 /),
      expect.stringMatching(/^message: accepted 250 /),
    ]);
  });

  it('a refused sender: exit 1, one line on stderr with the reply', async () => {
    const r = await runCli(['--server', at(server), '--from', 'banned@example.org', '--to', TO]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^smtpkit-send: MAIL FROM was answered 550: 550 5\.7\.1 .*\n$/);
  });

  it('an unreachable server: exit 1 and one clear line', async () => {
    const port = await freePort();
    const r = await runCli(['--server', `127.0.0.1:${port}`, '--from', FROM, '--to', TO]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `smtpkit-send: cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });

  it.each([
    [
      ['--server', 'x', '--from', FROM, '--to', TO, '--sever', 'y'],
      /unknown option --sever \(did you mean --server\?\)/,
    ],
    [['--from', FROM, '--to', TO], /--server HOST\[:PORT\] is required \(or --mx\)/],
    [['--server', 'x', '--to', TO], /--from ADDRESS is required/],
    [['--server', 'x', '--from', FROM], /--to ADDRESS is required/],
    [['--server', 'x', '--from', FROM, '--to'], /--to needs a value: ADDRESS/],
    [
      ['--server', 'x', '--from', FROM, '--to', '--starttls'],
      /--to needs a value: ADDRESS \(found the option --starttls/,
    ],
    [
      ['--server', '::1:25', '--from', FROM, '--to', TO],
      /invalid --server "::1:25": an IPv6 address goes in brackets/,
    ],
    [
      ['--server', 'x:99999', '--from', FROM, '--to', TO],
      /the port must be a number from 1 to 65535/,
    ],
    [['--server', 'x', '--from', FROM, '--to', 'no-at-sign'], /invalid --to "no-at-sign"/],
    [
      ['--server', 'x', '--from', FROM, '--to', TO, '--starttls', '--tls'],
      /--starttls and --tls exclude each other/,
    ],
    [
      ['--server', 'x', '--from', FROM, '--to', TO, '--auth', 'tim'],
      /invalid --auth "tim": expected USER:PASS/,
    ],
    [
      ['--server', 'x', '--from', FROM, '--to', TO, '--dsn-notify', 'NEVER,FAILURE'],
      /invalid --dsn-notify/,
    ],
    [['--server', 'x', '--from', FROM, '--to', TO, '--mx-port', '25'], /--mx-port goes with --mx/],
    [['--server', 'x', '--from', FROM, '--to', TO, '--mx'], /--mx and --server exclude each other/],
    [
      ['--server', 'x', '--from', FROM, '--to', TO, '--count', '5'],
      /--count belongs to the load mode/,
    ],
    [['--server', 'x', '--from', FROM, '--to', TO, 'extra'], /unexpected argument "extra"/],
    [['--server', 'x', '--from', FROM, '--from', FROM, '--to', TO], /--from is given twice/],
    [['bench', '--count', '5'], /bench needs --server/],
    [['bench', '--server', 'x', '--count', '0'], /invalid --count "0"/],
  ])('a bad command line is one line on stderr, exit 2: %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    ['--from', `${FROM}\r\nRSET`],
    ['--to', `${TO}\nRCPT TO:<x@evil.example>`],
    ['--helo', 'client.test\r\nMAIL FROM:<x@evil.example>'],
    ['--auth', 'tim:pass\rword'],
    ['--dsn-notify', 'SUCCESS\n'],
    ['--server', '127.0.0.1\n'],
  ])('%s with CR or LF in its value is refused before anything is sent', async (option, value) => {
    const args = ['--server', at(server), '--from', FROM, '--to', TO].filter(
      (_, i, all) => all[i] !== option && all[i - 1] !== option,
    );
    const before = server.connections;
    const r = await runCli([...args, option, value]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/a value with CR, LF or NUL would end a command on the wire/);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(server.connections).toBe(before);
  });

  it('a bad --auth never repeats the password', async () => {
    const r = await runCli(['--server', 'x', '--from', FROM, '--to', TO, '--auth', 'tim:'], {});
    expect(r.status).toBe(2);
    const secret = await runCli(['--server', 'x', '--from', FROM, '--to', TO, '--auth', ':s3cret']);
    expect(secret.stderr).not.toContain('s3cret');
    expect(r.stderr).toMatch(/invalid --auth "tim:…"/);
  });

  it('--bdat requires CHUNKING: refused with one line where it is not offered, BDAT where it is', async () => {
    const before = bare.messages.length;
    const missing = await runCli(['--server', at(bare), '--from', FROM, '--to', TO, '--bdat']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'smtpkit-send: the server does not offer CHUNKING (RFC 3030), which --bdat requires; nothing was sent\n',
    );
    expect(bare.messages.length).toBe(before);
    const ok = await runCli(['--server', at(server), '--from', FROM, '--to', TO, '--bdat']);
    expect(ok.status).toBe(0);
    expect(server.messages.at(-1)?.via).toBe('BDAT');
  });

  it('--dsn-notify asks for NOTIFY where DSN is offered, and says so where it is not', async () => {
    const r = await runCli([
      ...['--server', at(server), '--from', FROM, '--to', TO],
      ...['--dsn-notify', 'success,failure'],
    ]);
    expect(r.status).toBe(0);
    expect(server.messages.at(-1)?.rcptParams).toEqual([{ NOTIFY: ['SUCCESS', 'FAILURE'] }]);
    const unsent = await runCli([
      ...['--server', at(bare), '--from', FROM, '--to', TO, '--dsn-notify', 'NEVER'],
    ]);
    expect(unsent.status).toBe(0);
    expect(unsent.stderr).toBe(
      'smtpkit-send: not offered by the server, so not sent: NOTIFY (the message went without them)\n',
    );
  });

  it('-v prints the transcript on stderr: the connection, C: verbs and S: codes', async () => {
    const r = await runCli(['--server', at(bare), '--from', FROM, '--to', TO, '-v']);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^\* connected to 127\.0\.0\.1:\d+ from 127\.0\.0\.1:\d+$/);
    expect(lines.slice(1)).toEqual([
      'S: 220',
      'C: EHLO',
      'S: 250',
      'C: MAIL',
      'S: 250 2.1.0',
      'C: RCPT',
      'S: 250 2.1.5',
      'C: DATA',
      'S: 354',
      'S: 250 2.0.0',
      'C: QUIT',
      'S: 221 2.0.0',
      '* connection closed',
    ]);
  });
});

describe.skipIf(opensslSkipReason() !== undefined)('smtpkit-send with TLS', () => {
  let cert: SelfSignedCert;
  let secure: ReceivingServer;
  let plain: ReceivingServer;
  let clearAuth: ReceivingServer;
  const args = () => ['--from', FROM, '--to', TO, '--ca', cert.certPath];
  beforeAll(async () => {
    cert = await createSelfSignedCert();
    secure = await startReceivingServer({
      tls: { key: cert.key, cert: cert.cert },
      implicitTls: true,
      account: { user: 'tim', password: 'pässwörd' },
    });
    plain = await startReceivingServer();
    clearAuth = await startReceivingServer({
      account: { user: 'tim', password: 'pässwörd' },
      authWithoutTls: true,
    });
  });
  afterAll(async () => {
    await Promise.all([secure?.stop(), plain?.stop(), clearAuth?.stop(), cert?.remove()]);
  });

  it('--starttls --auth: under TLS, authenticated, the password in no transcript line', async () => {
    const r = await runCli([
      ...['--server', `127.0.0.1:${secure.port}`, '--starttls', ...args()],
      ...['--auth', 'tim:pässwörd', '-v'],
    ]);
    expect([r.status, r.lines.at(-1)]).toEqual([0, expect.stringMatching(/^message: accepted/)]);
    expect(secure.messages.at(-1)).toMatchObject({ tls: true, user: 'tim' });
    expect(r.stderr).toContain('C: STARTTLS');
    expect(r.stderr).toMatch(/\n\* TLS: TLSv1\.[23] /);
    expect(r.stderr).toContain('C: AUTH\n');
    const plainResponse = Buffer.from('\0tim\0pässwörd').toString('base64');
    for (const secret of ['pässwörd', plainResponse, Buffer.from('pässwörd').toString('base64')]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('--tls: implicit TLS from the first byte', async () => {
    const r = await runCli([
      ...['--server', `127.0.0.1:${secure.securePort}`, '--tls', ...args()],
      ...['--auth', 'tim:pässwörd'],
    ]);
    expect(r.status).toBe(0);
    expect(secure.messages.at(-1)).toMatchObject({ tls: true, user: 'tim' });
  });

  it('--starttls against a server without STARTTLS: exit 1, nothing sent in clear', async () => {
    const before = plain.messages.length;
    const r = await runCli(['--server', `127.0.0.1:${plain.port}`, '--starttls', ...args()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('smtpkit-send: TLS is required and the server does not offer STARTTLS\n');
    expect(plain.messages.length).toBe(before);
  });

  it('a certificate no CA vouches for: exit 1, one line; NODE_EXTRA_CA_CERTS is trusted like --ca', async () => {
    const where = ['--server', `127.0.0.1:${secure.port}`, '--starttls'];
    const untrusted = await runCli([
      ...where,
      '--from',
      FROM,
      '--to',
      TO,
      '--auth',
      'tim:pässwörd',
    ]);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stderr.split('\n')).toHaveLength(2);
    expect(untrusted.stderr).toMatch(/certificate/i);
    const extra = await runCli([...where, '--from', FROM, '--to', TO, '--auth', 'tim:pässwörd'], {
      env: { NODE_EXTRA_CA_CERTS: cert.certPath },
    });
    expect(extra.status).toBe(0);
  });

  it('--auth without TLS is refused unless --auth-without-tls', async () => {
    const base = [
      ...['--server', `127.0.0.1:${clearAuth.port}`, '--from', FROM, '--to', TO],
      ...['--auth', 'tim:pässwörd'],
    ];
    const r = await runCli(base);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'smtpkit-send: AUTH needs TLS: the credentials would travel in clear (auth.allowInsecure allows it)\n',
    );
    const allowed = await runCli([...base, '--auth-without-tls']);
    expect(allowed.status).toBe(0);
    expect(clearAuth.messages.at(-1)).toMatchObject({ tls: false, user: 'tim' });
  });

  it('an unreadable --ca is a bad command line: exit 2, one line naming it', async () => {
    const r = await runCli([
      ...['--server', `127.0.0.1:${plain.port}`, '--from', FROM, '--to', TO],
      ...['--ca', '/nonexistent/ca.pem'],
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'smtpkit-send: --ca "/nonexistent/ca.pem": cannot read it (ENOENT: no such file or directory)\n',
    );
  });
});
