import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  createSelfSignedCert,
  dotStuff,
  makeTempDir,
  RawSmtpClient,
  type RawSmtpClientOptions,
  type SelfSignedCert,
  type TempDir,
} from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HELP } from '../src/cli-options.js';
import {
  counters,
  runSinkCli,
  type SinkProcess,
  spawnSinkCli,
  startSinkProcess,
} from './sink-process.js';

// Bytes a careless server would change: a leading dot, a lone dot line, 8-bit text, a 998-octet
// line, trailing spaces, an empty line, and no final empty line.
function message(tag: string): Buffer {
  return Buffer.concat([
    Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: ${tag}\r\n\r\n`),
    Buffer.from('.leading dot\r\n.\r\n..two\r\ntrailing   \r\n\r\n'),
    Buffer.from('caf\u00e9 \u65e5\u672c\r\n', 'utf8'),
    Buffer.from(`${'x'.repeat(998)}\r\n`),
    Buffer.from('end\r\n'),
  ]);
}

/** A raw client whose waits are bounded at 10 s: the sink is a child process. */
function connect(port: number, options: RawSmtpClientOptions = {}): Promise<RawSmtpClient> {
  return RawSmtpClient.connect(port, { timeoutMs: 10_000, ...options });
}

/** EHLO (unless `greet: false`), MAIL and RCPT, each answered 250. */
async function openTransaction(
  c: RawSmtpClient,
  options: { greet?: boolean; rcpts?: string[] } = {},
): Promise<void> {
  if (options.greet !== false) expect((await c.command('EHLO client.example')).code).toBe(250);
  expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(250);
  for (const r of options.rcpts ?? ['b@example.com']) {
    expect((await c.command(`RCPT TO:<${r}>`)).code).toBe(250);
  }
}

async function sendOne(
  c: RawSmtpClient,
  body: Buffer,
  options: { greet?: boolean; rcpts?: string[] } = {},
): Promise<number> {
  await openTransaction(c, options);
  return (await c.data(body)).code;
}

/** tmp/ once the sink has cleaned up (the reply may precede the hook's unlink): bounded poll. */
async function tmpAfterCleanup(dir: string): Promise<string[]> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const names = await readdir(join(dir, 'tmp'));
    if (names.length === 0 || Date.now() > deadline) return names;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stored(dir: string): Promise<Buffer[]> {
  const names = (await readdir(join(dir, 'new'))).sort();
  return Promise.all(names.map((n) => readFile(join(dir, 'new', n))));
}

let sink: SinkProcess | undefined;
let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir('sink-cli');
});
afterEach(async () => {
  await sink?.stop('SIGKILL');
  sink = undefined;
  await dir.remove();
});

/** A named pipe: opening it for reading waits for a writer, so start-up work on it stays pending. */
function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** Resolves once `text` appears on the process's stderr (bounded). */
async function stderrShows(s: { output(): { stderr: string } }, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!s.output().stderr.includes(text)) {
    if (Date.now() > deadline) throw new Error(`no '${text}' on stderr: ${s.output().stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function plain(text: string): string {
  return `AUTH PLAIN ${Buffer.from(text, 'utf8').toString('base64')}`;
}

/** The sink on a loopback port with `--maildir` in this test's temp dir, then `extra` options. */
function startMaildirSink(...extra: string[]): Promise<SinkProcess> {
  return startSinkProcess(['--listen', '127.0.0.1:0', '--maildir', dir.path, ...extra]);
}

describe('command line', () => {
  it.each([
    [['--listen', 'nowhere'], 'invalid --listen "nowhere": missing :PORT'],
    [['--listen', '::1:2525'], 'invalid --listen "::1:2525"'],
    [['--size', '-5'], 'invalid --size "-5": expected a byte count'],
    [['--size', 'big'], 'invalid --size "big": expected a byte count'],
    [['--max-connections', '0'], 'invalid --max-connections "0"'],
    [['--bogus'], 'unknown option --bogus'],
    [['--listen'], '--listen needs a value: HOST:PORT'],
    [['--lmtp=yes'], '--lmtp takes no value'],
    [['mail'], 'unexpected argument "mail"'],
    [['--size', '1', '--size', '2'], '--size is given twice'],
    [['--tls-listen', '127.0.0.1:0'], '--tls-listen needs --tls-cert and --tls-key'],
    [['--auth', 'u:p'], '--auth needs --tls-cert and --tls-key'],
  ])('exits 2 for %j with one line on stderr (%s), nothing on stdout', async (args, says) => {
    const r = await runSinkCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^smtpkit-sink: /);
    expect(lines[0]).toContain(says);
  });

  it('exits 2 when the TLS files cannot be read, naming the option and the file', async () => {
    const key = join(dir.path, 'missing-key.pem');
    const r = await runSinkCli([
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      join(dir.path, 'missing-cert.pem'),
      '--tls-key',
      key,
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`--tls-key ${JSON.stringify(key)}: cannot read it`);
  });

  it('exits 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const r = await runSinkCli(['--listen', `127.0.0.1:${port}`]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it.each([['--help'], ['-h']])('prints the help on %s to stdout and exits 0', async (flag) => {
    const r = await runSinkCli([flag]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${HELP}\n`);
    expect(r.stdout).toMatch(/^usage: smtpkit-sink \[options\]$/m);
    expect(r.stdout).toContain('--max-connections-per-ip N');
  });
});

describe('several listeners', () => {
  it('listens on every --listen, one "listening on" line each, in order', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--listen', '127.0.0.1:0'], 2);
    expect(sink.listening).toHaveLength(2);
    const ports = sink.listening.map((l) => Number(l.slice(l.lastIndexOf(':') + 1)));
    expect(ports[0]).not.toBe(ports[1]);
    for (const port of ports) {
      const c = await connect(port);
      expect((await c.readReply()).code).toBe(220);
      c.destroy();
    }
    const exit = await sink.stop();
    expect(exit.exitCode).toBe(0);
    expect(exit.stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
  });

  it('exits 2 for the same address given twice', async () => {
    const r = await runSinkCli(['--listen', '127.0.0.1:2599', '--listen', '127.0.0.1:2599']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--listen 127.0.0.1:2599 is given twice');
  });
});

describe('start-up', () => {
  // Node's recursive mkdir never settles on procfs (ENOENT for a child of an existing directory,
  // retried for ever): the Maildir must be created without it.
  it.runIf(process.platform === 'linux')(
    'exits 1 within seconds, naming the path, for a Maildir under /proc',
    async () => {
      const started = Date.now();
      const r = await runSinkCli(['--listen', '127.0.0.1:0', '--maildir', '/proc/x'], 20_000);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.signal).toBeNull();
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('/proc/x');
    },
  );

  it('ends on SIGTERM while start-up is pending (a TLS file that never opens)', async () => {
    const pipe = fifo(join(dir.path, 'cert.pem'));
    const s = spawnSinkCli([
      '--listen',
      '127.0.0.1:0',
      '--tls-cert',
      pipe,
      '--tls-key',
      pipe,
      '--verbose',
    ]);
    await stderrShows(s, 'reading the TLS files');
    await new Promise((r) => setTimeout(r, 200));
    const sent = Date.now();
    process.kill(s.pid, 'SIGTERM');
    const exit = await s.exited;
    expect(Date.now() - sent).toBeLessThan(3000);
    // Ended by the signal itself: a normal exit would wait for the read that never returns.
    expect(exit.signal).toBe('SIGTERM');
    expect(exit.stdout).not.toMatch(/listening on/);
    expect(counters(exit.stdout)).toEqual({ messages: 0, bytes: 0 });
    expect(exit.stderr).toMatch(/SIGTERM during start-up/);
  });

  it('gives up, with the step it was on, when start-up does not finish within 10 s', async () => {
    const pipe = fifo(join(dir.path, 'key.pem'));
    const started = Date.now();
    const exit = await spawnSinkCli(
      ['--listen', '127.0.0.1:0', '--tls-cert', pipe, '--tls-key', pipe],
      25_000,
    ).exited;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(9_500);
    expect(took).toBeLessThan(15_000);
    expect(exit.exitCode).not.toBe(0);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/start-up did not finish within 10 s .*reading the TLS files/);
  });
});

describe('SIZE', () => {
  // A body of about `bytes` octets in 1000-octet lines.
  function bodyOf(bytes: number): Buffer {
    const line = `${'y'.repeat(998)}\r\n`;
    return Buffer.from(`Subject: big\r\n\r\n${line.repeat(Math.ceil(bytes / line.length))}`);
  }

  it('advertises SIZE 10240000 by default (Postfix message_size_limit) and refuses more with 552', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0']);
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('EHLO client.example')).lines).toContain('SIZE 10240000');
    expect((await c.command('MAIL FROM:<a@example.com> SIZE=10240001')).code).toBe(552);
    const big = bodyOf(10_240_001);
    expect(big.length).toBeGreaterThan(10_240_000);
    expect(await sendOne(c, big, { greet: false })).toBe(552);
    const small = Buffer.from('Subject: small\r\n\r\nok\r\n');
    expect(await sendOne(c, small, { greet: false })).toBe(250);
    c.destroy();
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: small.length });
  });

  it('--size 0 advertises bare SIZE and takes a message over the default (the opt-out)', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--size', '0']);
    const c = await connect(sink.port);
    await c.readReply();
    const ehlo = await c.command('EHLO client.example');
    expect(ehlo.lines).toContain('SIZE');
    expect(ehlo.lines.filter((l) => l.startsWith('SIZE'))).toEqual(['SIZE']);
    const big = bodyOf(10_240_001);
    expect(await sendOne(c, big, { greet: false })).toBe(250);
    c.destroy();
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: big.length });
  });
});

describe('discarding (no --maildir)', () => {
  it('counts messages and unstuffed body bytes, then stops cleanly on SIGTERM', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0']);
    expect(sink.listening[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    const c = await connect(sink.port);
    expect((await c.readReply()).code).toBe(220);
    const a = message('one');
    const b = message('two');
    expect(await sendOne(c, a)).toBe(250);
    expect(await sendOne(c, b, { greet: false })).toBe(250);
    expect((await c.command('QUIT')).code).toBe(221);
    c.destroy();
    const exit = await sink.stop();
    expect(exit.exitCode).toBe(0);
    expect(counters(exit.stdout)).toEqual({ messages: 2, bytes: a.length + b.length });
    expect(exit.stdout.split('\n').filter((l) => l !== '')).toHaveLength(2);
  });

  it('does not count a message refused for --size, nor one cut mid-DATA', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--size', '1000']);
    const c = await connect(sink.port);
    await c.readReply();
    const big = Buffer.concat([message('too big'), Buffer.from(`${'y'.repeat(900)}\r\n`)]);
    expect(await sendOne(c, big)).toBe(552);
    const small = Buffer.from('Subject: small\r\n\r\nok\r\n');
    expect(await sendOne(c, small, { greet: false })).toBe(250);
    c.destroy();
    const d = await connect(sink.port);
    await d.readReply();
    await openTransaction(d);
    expect((await d.command('DATA')).code).toBe(354);
    d.writeNoWait('Subject: cut\r\n\r\nhalf a mess');
    await new Promise((r) => setTimeout(r, 100));
    d.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: small.length });
  });

  it('--verbose logs to stderr only; stdout keeps just the contract lines', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--verbose']);
    const c = await connect(sink.port);
    await c.readReply();
    expect(await sendOne(c, message('verbose'))).toBe(250);
    c.destroy();
    const exit = await sink.stop();
    const lines = exit.stdout.split('\n').filter((l) => l !== '');
    expect(lines[0]).toMatch(/^listening on /);
    expect(lines[1]).toMatch(/^messages=1 bytes=\d+$/);
    expect(lines).toHaveLength(2);
    expect(exit.stderr).not.toBe('');
  });

  it('stops on SIGINT too', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0']);
    const exit = await sink.stop('SIGINT');
    expect(exit.exitCode).toBe(0);
    expect(counters(exit.stdout)).toEqual({ messages: 0, bytes: 0 });
  });

  it('listens on IPv6 loopback and prints it in brackets', async () => {
    sink = await startSinkProcess(['--listen', '[::1]:0']).catch((e: Error) => {
      if (/EADDRNOTAVAIL|EAFNOSUPPORT/.test(e.message)) return undefined;
      throw e;
    });
    if (sink === undefined) {
      console.warn('skipping: no IPv6 loopback here');
      return;
    }
    expect(sink.listening[0]).toMatch(/^\[::1\]:\d+$/);
    const c = await connect(sink.port, { host: '::1' });
    expect((await c.readReply()).code).toBe(220);
    c.destroy();
  });
});

describe('Maildir', () => {
  it('stores each message raw in new/ before answering 250', async () => {
    sink = await startMaildirSink();
    const c = await connect(sink.port);
    await c.readReply();
    const body = message('stored');
    expect(await sendOne(c, body)).toBe(250);
    // 250 means stored: the file is in new/ now, complete, and tmp/ is empty.
    expect(await stored(dir.path)).toEqual([body]);
    expect(await readdir(join(dir.path, 'tmp'))).toEqual([]);
    expect(await readdir(join(dir.path, 'cur'))).toEqual([]);
    c.destroy();
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: body.length });
  });

  it('stores messages of parallel sessions each under its own unique name', async () => {
    sink = await startMaildirSink();
    const port = sink.port;
    const bodies = Array.from({ length: 8 }, (_, i) => message(`parallel ${i}`));
    await Promise.all(
      bodies.map(async (body) => {
        const c = await connect(port);
        await c.readReply();
        expect(await sendOne(c, body)).toBe(250);
        c.destroy();
      }),
    );
    const all = await stored(dir.path);
    expect(all.map((b) => b.toString('latin1')).sort()).toEqual(
      bodies.map((b) => b.toString('latin1')).sort(),
    );
    const names = await readdir(join(dir.path, 'new'));
    for (const n of names) expect(n).toMatch(/^\d+\.M\d+P\d+Q\d+R[0-9a-f]+\.[^/:]+$/);
    const exit = await sink.stop();
    expect(counters(exit.stdout)?.messages).toBe(8);
  });

  it('BDAT (RFC 3030): chunks are stored as sent, without unstuffing', async () => {
    sink = await startMaildirSink();
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('EHLO client.example')).lines).toContain('CHUNKING');
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(250);
    expect((await c.command('RCPT TO:<b@example.com>')).code).toBe(250);
    // Lines starting with "." travel as they are in BDAT: there is no stuffing to undo.
    const first = Buffer.from('Subject: bdat\r\n\r\n.not stuffed\r\n');
    const last = Buffer.from('..two dots stay two\r\n.\r\nend\r\n');
    c.writeNoWait(Buffer.concat([Buffer.from(`BDAT ${first.length}\r\n`), first]));
    expect((await c.readReply()).code).toBe(250);
    c.writeNoWait(Buffer.concat([Buffer.from(`BDAT ${last.length} LAST\r\n`), last]));
    expect((await c.readReply()).code).toBe(250);
    c.destroy();
    const body = Buffer.concat([first, last]);
    expect(await stored(dir.path)).toEqual([body]);
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: body.length });
  });

  it('refuses a declared size over --size (RFC 1870 552) and stores nothing', async () => {
    sink = await startMaildirSink('--size', '1000');
    const c = await connect(sink.port);
    await c.readReply();
    const ehlo = await c.command('EHLO client.example');
    expect(ehlo.lines).toContain('SIZE 1000');
    expect((await c.command('MAIL FROM:<a@example.com> SIZE=2000')).code).toBe(552);
    c.destroy();
    expect(await stored(dir.path)).toEqual([]);
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 0, bytes: 0 });
  });

  it('refuses a message that grows past --size during DATA (552) and leaves nothing behind', async () => {
    sink = await startMaildirSink('--size', '1000');
    const c = await connect(sink.port);
    await c.readReply();
    const big = Buffer.concat([message('too big'), Buffer.from(`${'y'.repeat(900)}\r\n`)]);
    expect(big.length).toBeGreaterThan(1000);
    expect(await sendOne(c, big)).toBe(552);
    // The session goes on: a small message after it is stored.
    const small = Buffer.from('Subject: small\r\n\r\nok\r\n');
    expect(await sendOne(c, small, { greet: false })).toBe(250);
    c.destroy();
    expect(await stored(dir.path)).toEqual([small]);
    expect(await tmpAfterCleanup(dir.path)).toEqual([]);
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: small.length });
  });

  it('a client that disconnects mid-DATA leaves no file and is not counted', async () => {
    sink = await startMaildirSink();
    const c = await connect(sink.port);
    await c.readReply();
    await openTransaction(c);
    expect((await c.command('DATA')).code).toBe(354);
    c.writeNoWait('Subject: cut\r\n\r\nhalf a mess');
    await new Promise((r) => setTimeout(r, 100));
    c.destroy();
    // A fresh session still works, so the sink has finished with the cut one.
    const d = await connect(sink.port);
    await d.readReply();
    expect((await d.command('NOOP')).code).toBe(250);
    d.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(await stored(dir.path)).toEqual([]);
    expect(await tmpAfterCleanup(dir.path)).toEqual([]);
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 0, bytes: 0 });
  });

  it('exits 1 when the Maildir cannot be created', async () => {
    const file = join(dir.path, 'a-file');
    await writeFile(file, 'not a directory');
    const r = await runSinkCli(['--listen', '127.0.0.1:0', '--maildir', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
  });
});

describe('TLS and AUTH', () => {
  let cert: SelfSignedCert;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
  });
  afterAll(async () => {
    await cert?.remove();
  });
  const tlsArgs = () => ['--tls-cert', cert.certPath, '--tls-key', cert.keyPath];

  it('offers STARTTLS and stores what arrives under TLS', async () => {
    sink = await startMaildirSink(...tlsArgs());
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('EHLO client.example')).lines).toContain('STARTTLS');
    expect((await c.startTls()).code).toBe(220);
    const body = message('starttls');
    expect(await sendOne(c, body)).toBe(250);
    c.destroy();
    expect(await stored(dir.path)).toEqual([body]);
  });

  it('listens with implicit TLS on --tls-listen (two listening lines, plain first)', async () => {
    sink = await startSinkProcess(
      [
        '--listen',
        '127.0.0.1:0',
        '--tls-listen',
        '127.0.0.1:0',
        '--maildir',
        dir.path,
        ...tlsArgs(),
      ],
      2,
    );
    expect(sink.listening).toHaveLength(2);
    const tlsPort = Number(sink.listening[1]?.split(':')[1]);
    const c = await connect(tlsPort, { implicitTls: true });
    expect((await c.readReply()).code).toBe(220);
    const body = message('implicit');
    expect(await sendOne(c, body)).toBe(250);
    c.destroy();
    expect(await stored(dir.path)).toEqual([body]);
  });

  it('with --auth: MAIL needs AUTH (530), a wrong password gets 535, the right one 235', async () => {
    sink = await startMaildirSink('--auth', 'alice:wonder:land', ...tlsArgs());
    const c = await connect(sink.port);
    await c.readReply();
    const before = await c.command('EHLO client.example');
    // RFC 4954 §4 and the sink's default: no AUTH before TLS.
    expect(before.lines.some((l) => l.startsWith('AUTH'))).toBe(false);
    await c.startTls();
    const after = await c.command('EHLO client.example');
    expect(after.lines.find((l) => l.startsWith('AUTH'))).toMatch(/PLAIN/);
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(530);
    const bad = Buffer.from('\0alice\0wrong').toString('base64');
    expect((await c.command(`AUTH PLAIN ${bad}`)).code).toBe(535);
    const good = Buffer.from('\0alice\0wonder:land').toString('base64');
    expect((await c.command(`AUTH PLAIN ${good}`)).code).toBe(235);
    const body = message('auth');
    expect(await sendOne(c, body, { greet: false })).toBe(250);
    c.destroy();
    expect(await stored(dir.path)).toEqual([body]);
  });
});

describe('AUTH authorization identity (RFC 4616 §2)', () => {
  it('the account acting as itself gets 235; asking to act as another identity gets 535', async () => {
    sink = await startSinkProcess([
      '--listen',
      '127.0.0.1:0',
      '--auth',
      'probe:secret',
      '--auth-without-tls',
    ]);
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('EHLO client.example')).code).toBe(250);
    // The sink grants no delegation: right password, but probe may not act as postmaster.
    expect((await c.command(plain('postmaster\0probe\0secret'))).code).toBe(535);
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(530);
    expect((await c.command(plain('\0probe\0secret'))).code).toBe(235);
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(250);
    c.destroy();
    // Naming itself as the authorization identity is no delegation.
    const d = await connect(sink.port);
    await d.readReply();
    expect((await d.command('EHLO client.example')).code).toBe(250);
    expect((await d.command(plain('probe\0probe\0secret'))).code).toBe(235);
    d.destroy();
  });
});

describe('LMTP', () => {
  it('answers LHLO and gives one reply per recipient after DATA (RFC 2033 §4.2)', async () => {
    sink = await startMaildirSink('--lmtp');
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('LHLO client.example')).code).toBe(250);
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(250);
    expect((await c.command('RCPT TO:<b@example.com>')).code).toBe(250);
    expect((await c.command('RCPT TO:<c@example.com>')).code).toBe(250);
    const body = message('lmtp');
    expect((await c.data(body)).code).toBe(250);
    expect((await c.readReply()).code).toBe(250);
    c.destroy();
    expect(await stored(dir.path)).toEqual([body]);
    const exit = await sink.stop();
    expect(counters(exit.stdout)).toEqual({ messages: 1, bytes: body.length });
  });
});

describe('graceful stop', () => {
  it('tells an idle client 421 and exits 0 with the counters', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0']);
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('EHLO client.example')).code).toBe(250);
    const exiting = sink.stop();
    expect((await c.readReply()).code).toBe(421);
    expect(await c.waitClose()).toBe(true);
    const exit = await exiting;
    expect(exit.exitCode).toBe(0);
    expect(counters(exit.stdout)).toEqual({ messages: 0, bytes: 0 });
  });

  it('lets a transaction in flight finish: its 250 comes, then the sink exits', async () => {
    sink = await startMaildirSink();
    const c = await connect(sink.port);
    await c.readReply();
    await openTransaction(c);
    expect((await c.command('DATA')).code).toBe(354);
    const body = message('in flight');
    const wire = dotStuff(body);
    c.writeNoWait(wire.subarray(0, 40));
    const exiting = sink.stop();
    await new Promise((r) => setTimeout(r, 200));
    c.writeNoWait(wire.subarray(40));
    c.writeNoWait('.\r\n');
    expect((await c.readReply()).code).toBe(250);
    c.destroy();
    const exit = await exiting;
    expect(exit.exitCode).toBe(0);
    expect(counters(exit.stdout)?.messages).toBe(1);
    expect(await stored(dir.path)).toEqual([body]);
  });
});

describe('--verbose', () => {
  interface LogLine {
    readonly msg: string;
    readonly level: number;
    readonly [key: string]: unknown;
  }

  /** Every stderr line is one JSON object (pino). */
  function logLines(stderr: string): LogLine[] {
    return stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as LogLine);
  }

  const big = () => Buffer.concat([message('too big'), Buffer.from(`${'y'.repeat(900)}\r\n`)]);

  it('is silent without it: nothing on stderr', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--size', '1000']);
    const c = await connect(sink.port);
    await c.readReply();
    expect(await sendOne(c, big())).toBe(552);
    expect(await sendOne(c, Buffer.from('Subject: q\r\n\r\nok\r\n'), { greet: false })).toBe(250);
    c.destroy();
    const exit = await sink.stop();
    expect(exit.stderr).toBe('');
  });

  it('logs connections with the peer, commands, replies and messages, one JSON object a line', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '-v']);
    const c = await connect(sink.port);
    const clientPort = c.socket.localPort;
    await c.readReply();
    expect(await sendOne(c, message('logged'))).toBe(250);
    expect((await c.command('QUIT')).code).toBe(221);
    expect(await c.waitClose()).toBe(true);
    const exit = await sink.stop();
    const lines = logLines(exit.stderr);

    const open = lines.find((l) => l.msg === 'connection open');
    expect(open).toMatchObject({ remoteAddress: '127.0.0.1', remotePort: clientPort });
    const session = open?.['session'];
    expect(typeof session).toBe('string');
    const mine = lines.filter((l) => l['session'] === session);
    expect(mine.filter((l) => l.msg === 'command').map((l) => l['verb'])).toEqual([
      'EHLO',
      'MAIL',
      'RCPT',
      'DATA',
      'QUIT',
    ]);
    expect(mine.filter((l) => l.msg === 'reply').map((l) => l['code'])).toEqual([
      220, 250, 250, 250, 354, 250, 221,
    ]);
    expect(mine.find((l) => l.msg === 'reply' && l['code'] === 221)).toMatchObject({
      enhanced: '2.0.0',
    });
    expect(mine.find((l) => l.msg === 'message discarded')).toMatchObject({
      bytes: message('logged').length,
      recipients: 1,
      via: 'DATA',
    });
    expect(mine.at(-1)).toMatchObject({
      msg: 'connection closed',
      remoteAddress: '127.0.0.1',
      remotePort: clientPort,
    });
    expect(lines.find((l) => l.msg === 'listening')).toMatchObject({ address: sink.listening[0] });
  });

  it('logs a connection refused over --max-connections-per-ip with its peer', async () => {
    sink = await startSinkProcess([
      '--listen',
      '127.0.0.1:0',
      '--max-connections-per-ip',
      '1',
      '-v',
    ]);
    const first = await connect(sink.port);
    expect((await first.readReply()).code).toBe(220);
    const second = await connect(sink.port);
    expect((await second.readReply()).code).toBe(421);
    const refusedPort = second.socket.localPort;
    first.destroy();
    second.destroy();
    const exit = await sink.stop();
    expect(logLines(exit.stderr).filter((l) => l.msg === 'connection refused')).toEqual([
      expect.objectContaining({ remoteAddress: '127.0.0.1', remotePort: refusedPort }),
    ]);
  });

  it('never logs AUTH data: the password sent by AUTH PLAIN and AUTH LOGIN stays out of the log', async () => {
    const password = 'Tr0ub4dor-s3cret';
    const user = 'probe';
    sink = await startSinkProcess([
      '--listen',
      '127.0.0.1:0',
      '--auth',
      `${user}:${password}`,
      '--auth-without-tls',
      '--verbose',
    ]);
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const c = await connect(sink.port);
    await c.readReply();
    expect((await c.command('EHLO client.example')).code).toBe(250);
    expect((await c.command(plain(`\0${user}\0wrong-${password}`))).code).toBe(535);
    expect((await c.command(plain(`\0${user}\0${password}`))).code).toBe(235);
    expect(await sendOne(c, message('after auth'), { greet: false })).toBe(250);
    c.destroy();
    const d = await connect(sink.port);
    await d.readReply();
    expect((await d.command('EHLO client.example')).code).toBe(250);
    expect((await d.command('AUTH LOGIN')).code).toBe(334);
    expect((await d.command(b64(user))).code).toBe(334);
    expect((await d.command(b64(password))).code).toBe(235);
    d.destroy();
    const exit = await sink.stop();
    const lines = logLines(exit.stderr);
    // The exchange is logged: the verb and the verdicts.
    expect(lines.filter((l) => l.msg === 'command' && l['verb'] === 'AUTH')).toHaveLength(3);
    expect(lines.filter((l) => l.msg === 'reply').map((l) => l['code'])).toEqual(
      expect.arrayContaining([535, 235, 334]),
    );
    // Its secrets are not, in any form.
    for (const secret of [
      password,
      b64(password),
      b64(`\0${user}\0${password}`),
      b64(`\0${user}\0wrong-${password}`),
      `wrong-${password}`,
    ]) {
      expect(exit.stderr).not.toContain(secret);
    }
  });

  it.each([
    ['discarding', [] as string[]],
    ['into a Maildir', ['--maildir']],
  ])(
    'a message refused for --size (%s) is one line with its reply, no stack trace',
    async (_, extra) => {
      const args = ['--listen', '127.0.0.1:0', '--size', '1000', '-v'];
      if (extra.length > 0) args.push(...extra, dir.path);
      sink = await startSinkProcess(args);
      const c = await connect(sink.port);
      await c.readReply();
      expect(await sendOne(c, big())).toBe(552);
      expect(await sendOne(c, Buffer.from('Subject: f\r\n\r\nok\r\n'), { greet: false })).toBe(250);
      c.destroy();
      const exit = await sink.stop();
      const lines = logLines(exit.stderr);
      const refusals = lines.filter((l) => l.msg.startsWith('message') && l['code'] === 552);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({
        msg: 'message refused',
        code: 552,
        enhanced: '5.3.4',
        text: expect.stringMatching(/size/i),
      });
      expect(exit.stderr).not.toMatch(/stack|\bat .*\.js:\d+/);
      expect(lines.filter((l) => l.level >= 40)).toEqual([]);
      expect(lines.filter((l) => l.msg === 'message refused')).toHaveLength(1);
    },
  );
});
