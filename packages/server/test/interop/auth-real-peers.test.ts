import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatEnhancedStatus, type Reply } from '@smtpkit/reply';
import {
  createCramMd5Challenge,
  createServerMechanism,
  type SaslCredentials,
  type SaslServerMechanism,
  type SaslStep,
  type SaslVerdict,
  saslChallengeReply,
  saslReplies,
  scramCredentials,
  verifyCramMd5,
} from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { peerSkipReason, runProcess } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProxyHeaderParser,
  type ProxyHeaderParser,
} from '../../src/proxy/proxy-header-parser.js';

// Real peers (swaks, curl, msmtp) authenticate against a minimal loopback SMTP responder whose
// AUTH is driven by this package's mechanisms and whose connection may start with a PROXY header
// read by this package's parser. The responder is test scaffolding, not the ServerSession.

const USER = 'tim';
const PASSWORD = 'tanstaaf';
const TOKEN = 'ya29.smtpkit-test-token';
const SCRAM = scramCredentials(PASSWORD, new Uint8Array(16).fill(42), 4096, nodeSaslCrypto);

function verify(c: SaslCredentials): SaslVerdict {
  if (c.username !== USER) return { kind: 'reject' };
  if (c.mechanism === 'CRAM-MD5')
    return verifyCramMd5(PASSWORD, c.challenge ?? '', c.digest ?? '', nodeSaslCrypto)
      ? { kind: 'accept' }
      : { kind: 'reject' };
  if (c.mechanism === 'XOAUTH2') return c.token === TOKEN ? { kind: 'accept' } : { kind: 'reject' };
  if (c.mechanism === 'SCRAM-SHA-256') return { kind: 'accept' }; // the proof was checked
  return c.password === PASSWORD ? { kind: 'accept' } : { kind: 'reject' };
}

function wire(reply: Reply): string {
  const enhanced = reply.enhanced === undefined ? '' : `${formatEnhancedStatus(reply.enhanced)} `;
  return reply.lines
    .map(
      (line, i) => `${reply.code}${i < reply.lines.length - 1 ? '-' : ' '}${enhanced}${line}\r\n`,
    )
    .join('');
}

interface Seen {
  readonly events: string[];
}

function serve(socket: Socket, seen: Seen, proxy: ProxyHeaderParser | undefined): void {
  let buffered = '';
  let mechanism: SaslServerMechanism | undefined;
  let inData = false;
  const send = (text: string) => socket.write(text);
  const line = (code: string, text: string) => send(`${code} ${text}\r\n`);
  const act = (step: SaslStep): void => {
    switch (step.kind) {
      case 'challenge':
        send(wire(saslChallengeReply(step.data)));
        return;
      case 'verify': {
        const verdict = verify(step.credentials);
        if (verdict.kind !== 'accept')
          seen.events.push(`verify-${verdict.kind} ${step.credentials.mechanism}`);
        act(mechanism?.verified(verdict) ?? step);
        return;
      }
      case 'lookup':
        act(mechanism?.secrets(step.username === USER ? SCRAM : undefined) ?? step);
        return;
      case 'success':
        seen.events.push(`auth-success ${step.credentials.mechanism} ${step.credentials.username}`);
        mechanism = undefined;
        send(wire(step.reply));
        return;
      default:
        seen.events.push(`auth-${step.kind} ${step.reply.code}`);
        mechanism = undefined;
        send(wire(step.reply));
    }
  };
  const command = (text: string): void => {
    if (mechanism !== undefined) {
      act(mechanism.next(text));
      return;
    }
    if (inData) {
      if (text === '.') {
        inData = false;
        line('250', '2.0.0 queued');
      }
      return;
    }
    const [verb = '', arg, ir] = text.split(' ');
    switch (verb.toUpperCase()) {
      case 'EHLO':
        send('250-test.example\r\n250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 SCRAM-SHA-256\r\n');
        return;
      case 'AUTH': {
        const challenge = createCramMd5Challenge({
          crypto: nodeSaslCrypto,
          hostname: 'test.example',
          timestamp: 1,
        });
        mechanism = createServerMechanism(arg ?? '', {
          crypto: nodeSaslCrypto,
          cramMd5: { challenge },
        });
        if (mechanism === undefined) {
          send(wire(saslReplies.R504_5_5_4_MechanismNotSupported));
          return;
        }
        act(mechanism.start(ir));
        return;
      }
      case 'DATA':
        inData = true;
        line('354', 'go ahead');
        return;
      case 'QUIT':
        line('221', '2.0.0 bye');
        socket.end();
        return;
      default:
        line('250', '2.0.0 ok');
    }
  };
  const lines = (chunk: string) => {
    buffered += chunk;
    for (let at = buffered.indexOf('\r\n'); at >= 0; at = buffered.indexOf('\r\n')) {
      const text = buffered.slice(0, at);
      buffered = buffered.slice(at + 2);
      command(text);
    }
  };
  if (proxy === undefined) line('220', 'test.example ESMTP');
  socket.on('data', (chunk: Buffer) => {
    if (proxy !== undefined) {
      try {
        const r = proxy.push(chunk);
        if (r.kind === 'need-more') return;
        seen.events.push(
          `proxy ${r.header.addresses?.sourceAddress}:${r.header.addresses?.sourcePort}`,
        );
        proxy = undefined;
        line('220', 'test.example ESMTP');
        lines(Buffer.from(r.rest).toString('latin1'));
      } catch (e) {
        seen.events.push(`proxy-refused ${(e as { code?: string }).code}`);
        socket.destroy();
      }
      return;
    }
    lines(chunk.toString('latin1'));
  });
  socket.on('error', () => {});
}

let server: Server;
let port = 0;
let withProxy = false;
let trusted: readonly string[] = ['127.0.0.0/8', '::1'];
let seen: Seen = { events: [] };
let dir = '';
let message = '';

beforeAll(async () => {
  server = createServer((socket) =>
    serve(
      socket,
      seen,
      withProxy
        ? createProxyHeaderParser({ remoteAddress: socket.remoteAddress, allowedPeers: trusted })
        : undefined,
    ),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
  dir = await mkdtemp(join(tmpdir(), 'smtpkit-auth-'));
  message = join(dir, 'message.eml');
  await writeFile(message, 'Subject: auth test\r\n\r\nhello\r\n');
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

async function settle(s: Seen, count: number): Promise<void> {
  for (let i = 0; i < 100 && s.events.length < count; i++)
    await new Promise((r) => setTimeout(r, 20));
}

function fresh(proxy = false, allowed: readonly string[] = ['127.0.0.0/8', '::1']): Seen {
  withProxy = proxy;
  trusted = allowed;
  seen = { events: [] };
  return seen;
}

const swaks = peerSkipReason('swaks', ['--version']);
const curl = peerSkipReason('curl', ['--version']);
const msmtp = peerSkipReason('msmtp', ['--version']);

async function runSwaks(mechanism: string, password: string) {
  return runProcess(
    'swaks',
    [
      '--server',
      `127.0.0.1:${port}`,
      '--auth',
      mechanism,
      '--auth-user',
      USER,
      '--auth-password',
      password,
      '--quit-after',
      'AUTH',
      '--timeout',
      '15',
    ],
    { timeoutMs: 20_000, allowFailure: true },
  );
}

describe.skipIf(swaks !== undefined)('swaks authenticates', () => {
  for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5']) {
    it(`${mechanism}: right password → 235, wrong one → 535`, async () => {
      const ok = fresh();
      const good = await runSwaks(mechanism, PASSWORD);
      expect(good.exitCode, good.stdout + good.stderr).toBe(0);
      expect(ok.events).toEqual([`auth-success ${mechanism} ${USER}`]);
      const ko = fresh();
      const bad = await runSwaks(mechanism, 'wrong');
      expect(bad.exitCode).not.toBe(0);
      expect(ko.events).toEqual([`verify-reject ${mechanism}`, 'auth-failed 535']);
    }, 30_000);
  }
});

describe.skipIf(curl !== undefined)('curl sends a PROXY v1 header, then authenticates', () => {
  async function runCurl(extra: string[]) {
    return runProcess(
      'curl',
      [
        '--silent',
        '--show-error',
        '--max-time',
        '15',
        '--haproxy-protocol',
        '--url',
        `smtp://127.0.0.1:${port}`,
        '--mail-from',
        'a@example.org',
        '--mail-rcpt',
        'b@example.org',
        '--upload-file',
        message,
        ...extra,
      ],
      { timeoutMs: 20_000, allowFailure: true },
    );
  }
  for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5']) {
    it(`${mechanism} behind PROXY`, async () => {
      const s = fresh(true);
      const r = await runCurl([
        '--user',
        `${USER}:${PASSWORD}`,
        '--login-options',
        `AUTH=${mechanism}`,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(s.events[0]).toMatch(/^proxy 127\.0\.0\.1:\d+$/);
      expect(s.events[1]).toBe(`auth-success ${mechanism} ${USER}`);
    }, 30_000);
  }
  it('a PROXY header from a peer outside the allow-list drops the connection', async () => {
    const s = fresh(true, ['10.0.0.0/8']);
    const r = await runCurl(['--user', `${USER}:${PASSWORD}`]);
    expect(r.exitCode).not.toBe(0);
    await settle(s, 1);
    expect(s.events).toEqual(['proxy-refused ERR_SERVER_PROXY_NOT_ALLOWED']);
  }, 30_000);
  // On the 334 JSON error curl 7.88 gives up ("Login denied", exit 67) without the empty answer.
  it('XOAUTH2 behind PROXY; a bad token is rejected and curl reports the login denied', async () => {
    const s = fresh(true);
    const r = await runCurl([
      '--user',
      `${USER}:`,
      '--oauth2-bearer',
      TOKEN,
      '--login-options',
      'AUTH=XOAUTH2',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.events[1]).toBe(`auth-success XOAUTH2 ${USER}`);
    const k = fresh(true);
    const bad = await runCurl([
      '--user',
      `${USER}:`,
      '--oauth2-bearer',
      'ya29.wrong',
      '--login-options',
      'AUTH=XOAUTH2',
    ]);
    expect(bad.exitCode).not.toBe(0);
    await settle(k, 2);
    expect(bad.exitCode).toBe(67);
    expect(k.events[1]).toBe('verify-reject XOAUTH2');
  }, 30_000);
});

describe.skipIf(msmtp !== undefined)('msmtp (GNU SASL) authenticates with SCRAM-SHA-256', () => {
  async function runMsmtp(password: string) {
    const config = join(dir, `msmtprc-${password}`);
    await writeFile(
      config,
      [
        'account t',
        'host 127.0.0.1',
        `port ${port}`,
        'from a@example.org',
        'tls off',
        'auth scram-sha-256',
        `user ${USER}`,
        `password ${password}`,
        'timeout 15',
        'account default : t',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return runProcess('msmtp', ['-C', config, '--', 'b@example.org'], {
      timeoutMs: 20_000,
      input: 'Subject: scram\r\n\r\nhello\r\n',
      allowFailure: true,
    });
  }
  it('right password → 235 after the server signature; wrong → 535', async () => {
    const s = fresh();
    const r = await runMsmtp(PASSWORD);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.events).toEqual([`auth-success SCRAM-SHA-256 ${USER}`]);
    const k = fresh();
    const bad = await runMsmtp('wrong');
    expect(bad.exitCode).not.toBe(0);
    expect(k.events).toEqual(['auth-failed 535']); // the proof fails before any verify step
  }, 30_000);
});
