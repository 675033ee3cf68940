import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerSkipReason } from '../peers.js';
import { freePort } from './free-port.js';
import { PeerError } from './peer-error.js';
import { SYSTEM_PYTHON } from './python-smtplib.js';
import type { ManagedProcess } from './run-process.js';
import { startServerProcess } from './start-server-process.js';
import { makeTempDir } from './temp-dir.js';

/** Options of {@link startAiosmtpd}. */
export interface AiosmtpdOptions {
  readonly host?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** `enable_SMTPUTF8=True` (RFC 6531). */
  readonly smtputf8?: boolean;
  /**
   * `false`: the EHLO reply leaves out 8BITMIME (RFC 6152), as a 7-bit next hop would; aiosmtpd
   * has no option for it, so the handler's EHLO hook removes the line. Default true.
   */
  readonly eightBitMime?: boolean;
  /** Speak LMTP (aiosmtpd's `LMTP` class, RFC 2033) instead of SMTP. */
  readonly lmtp?: boolean;
  /** PEM files: STARTTLS offered (aiosmtpd's `tls_context`). */
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
  /**
   * AUTH PLAIN and LOGIN with this account, required before MAIL. aiosmtpd offers AUTH only under
   * TLS (its `auth_require_tls`), so give `tls` too.
   */
  readonly auth?: { readonly user: string; readonly password: string };
  /** Bound on waiting for the port. Default 15 s. */
  readonly startTimeoutMs?: number;
}

/** One message as aiosmtpd's handler stored it. */
export interface AiosmtpdMessage {
  readonly mailFrom: string;
  readonly rcptTos: readonly string[];
  /** MAIL parameters as aiosmtpd parsed them, e.g. `['SMTPUTF8', 'BODY=8BITMIME']`. */
  readonly mailOptions: readonly string[];
  /** The content after aiosmtpd's dot-unstuffing (`envelope.content`, bytes). */
  readonly data: Buffer;
  /** The session was under TLS. */
  readonly tls: boolean;
  /** The user the session authenticated as, if any. */
  readonly user: string | undefined;
}

/** A running aiosmtpd. */
export interface Aiosmtpd {
  readonly port: number;
  readonly pid: number;
  readonly process: ManagedProcess;
  /** Messages stored so far, in arrival order. */
  messages(): Promise<AiosmtpdMessage[]>;
  /** Resolves once `count` messages are stored; rejects with ERR_PEER_TIMEOUT. */
  waitForMessages(count: number, timeoutMs: number): Promise<AiosmtpdMessage[]>;
  stop(): Promise<void>;
}

/**
 * Why Debian's aiosmtpd cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(aiosmtpdSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function aiosmtpdSkipReason(): string | undefined {
  return peerSkipReason(SYSTEM_PYTHON, ['-c', 'import aiosmtpd']);
}

// The handler writes N.eml (content) and N.json (envelope) per message into the directory given.
const SCRIPT = `
import asyncio, json, os, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import AuthResult, LoginPassword
host, port, out, utf8, lmtp = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == '1', sys.argv[5] == '1'
cert, key = os.environ.get('AIOSMTPD_CERT', ''), os.environ.get('AIOSMTPD_KEY', '')
user, password = os.environ.get('AIOSMTPD_USER', ''), os.environ.get('AIOSMTPD_PASSWORD', '')
no8bit = os.environ.get('AIOSMTPD_NO_8BITMIME', '') == '1'
extra = {}
if cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    extra['tls_context'] = context
if user:
    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
        # handled=False: aiosmtpd then answers a failure with its 535 (the default, True, sends nothing).
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    extra['authenticator'] = authenticator
    extra['auth_required'] = True
class Store:
    def __init__(self):
        self.n = 0
    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(out, '%06d' % self.n)
        with open(base + '.eml', 'wb') as f:
            f.write(envelope.content)
        meta = {'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos, 'mail_options': envelope.mail_options,
                'tls': session.ssl is not None, 'user': session.auth_data if session.authenticated else None}
        with open(base + '.tmp', 'w', encoding='utf-8') as f:
            json.dump(meta, f)
        os.rename(base + '.tmp', base + '.json')
        # aiosmtpd's LMTP class sends what the handler returns; RFC 2033 section 4.2 wants one
        # reply per accepted recipient.
        return '\\r\\n'.join(['250 OK'] * len(envelope.rcpt_tos)) if lmtp else '250 OK'
class SevenBitStore(Store):
    # aiosmtpd's five-argument EHLO hook gets the reply lines and returns the ones to send; it
    # must then record the client's name itself.
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return [r for r in responses if r[4:].upper() != '8BITMIME']
class LmtpController(Controller):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)
cls = LmtpController if lmtp else Controller
controller = cls(SevenBitStore() if no8bit else Store(), hostname=host, port=port, enable_SMTPUTF8=utf8, **extra)
controller.start()
print('listening', flush=True)
try:
    asyncio.run(asyncio.Event().wait())
finally:
    controller.stop()
`;

/**
 * Starts Debian's aiosmtpd (`/usr/bin/python3`) with a handler that stores every message, as an
 * SMTP or LMTP server no one here wrote, for checking what a client sends.
 *
 * @example
 * ```ts
 * const server = await startAiosmtpd({ smtputf8: true });
 * await runSwaks({ port: server.port, from: 'a@example.com', to: 'b@example.com' });
 * const [m] = await server.waitForMessages(1, 5000);
 * await server.stop();
 * ```
 */
export async function startAiosmtpd(options: AiosmtpdOptions = {}): Promise<Aiosmtpd> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const dir = await makeTempDir('aiosmtpd');
  const scriptPath = join(dir.path, 'store.py');
  const out = join(dir.path, 'messages');
  await writeFile(scriptPath, SCRIPT);
  await mkdir(out);
  const process = await startServerProcess(
    'aiosmtpd',
    SYSTEM_PYTHON,
    [
      scriptPath,
      host,
      String(port),
      out,
      options.smtputf8 === true ? '1' : '0',
      options.lmtp === true ? '1' : '0',
    ],
    {
      host,
      port,
      timeoutMs: options.startTimeoutMs ?? 15_000,
      cleanup: () => dir.remove(),
      env: {
        AIOSMTPD_CERT: options.tls?.certPath ?? '',
        AIOSMTPD_KEY: options.tls?.keyPath ?? '',
        AIOSMTPD_USER: options.auth?.user ?? '',
        AIOSMTPD_PASSWORD: options.auth?.password ?? '',
        AIOSMTPD_NO_8BITMIME: options.eightBitMime === false ? '1' : '',
      },
    },
  );
  const messages = async (): Promise<AiosmtpdMessage[]> => {
    const names = (await readdir(out)).filter((n) => n.endsWith('.json')).sort();
    return Promise.all(
      names.map(async (name) => {
        const meta = JSON.parse(await readFile(join(out, name), 'utf8')) as {
          mail_from: string;
          rcpt_tos: string[];
          mail_options: string[];
          tls?: boolean;
          user?: string | null;
        };
        const data = await readFile(join(out, name.replace(/\.json$/, '.eml')));
        return {
          mailFrom: meta.mail_from,
          rcptTos: meta.rcpt_tos,
          mailOptions: meta.mail_options,
          data,
          tls: meta.tls === true,
          user: meta.user ?? undefined,
        };
      }),
    );
  };
  return {
    port,
    pid: process.pid,
    process,
    messages,
    async waitForMessages(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const got = await messages();
        if (got.length >= count) return got;
        if (performance.now() > deadline) {
          throw new PeerError(
            'ERR_PEER_TIMEOUT',
            `expected ${count} messages, aiosmtpd stored ${got.length}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await process.stop();
      await dir.remove();
    },
  };
}
