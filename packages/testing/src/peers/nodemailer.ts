import { createRequire } from 'node:module';
import { isCi } from '../peers.js';
import { PeerError } from './peer-error.js';
import type { PeerAuth, PeerSendOptions, PeerTls } from './peer-send-options.js';

/**
 * Options of {@link sendWithNodemailer}: `data` is sent as nodemailer's `raw` source so the bytes
 * are not rebuilt; `timeoutMs` bounds the whole send (connection, greeting and socket timeouts
 * share it).
 */
export interface NodemailerOptions extends PeerSendOptions {
  /**
   * `none` → `ignoreTLS: true`; `starttls` → `requireTLS: true`; `implicit` → `secure: true`.
   * Certificates are never verified (`tls: { rejectUnauthorized: false }`).
   */
  readonly tls?: PeerTls;
  /** Without `mechanism`, nodemailer picks one. */
  readonly auth?: Omit<PeerAuth, 'mechanism'> & { readonly mechanism?: PeerAuth['mechanism'] };
}

/** What nodemailer reported. */
export interface NodemailerResult {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  /** The server's final reply line, e.g. `250 2.0.0 Ok: queued`. */
  readonly response: string;
}

const require = createRequire(import.meta.url);

/**
 * Why nodemailer cannot be loaded, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(nodemailerSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function nodemailerSkipReason(): string | undefined {
  try {
    require.resolve('nodemailer');
    return undefined;
  } catch {
    const reason = "peer 'nodemailer' (devDependency of @smtpkit/testing) is not installed";
    if (isCi()) throw new Error(`${reason} (CI=true: a missing peer is a failure)`);
    return reason;
  }
}

/**
 * Sends one message with nodemailer's SMTP transport, created directly with
 * `createTransport({ host, port, secure, ignoreTLS/requireTLS, tls: { rejectUnauthorized: false } })`.
 *
 * @example
 * ```ts
 * const info = await sendWithNodemailer({ port, from: 'a@example.com', to: ['b@example.com'],
 *   tls: 'starttls', data: 'Subject: hi\r\n\r\nbody\r\n' });
 * ```
 */
export async function sendWithNodemailer(options: NodemailerOptions): Promise<NodemailerResult> {
  const nodemailer = (await import('nodemailer')).default;
  const tls = options.tls ?? 'none';
  const timeoutMs = options.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport({
    host: options.host ?? '127.0.0.1',
    port: options.port,
    secure: tls === 'implicit',
    ignoreTLS: tls === 'none',
    requireTLS: tls === 'starttls',
    tls: { rejectUnauthorized: false },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(options.auth === undefined
      ? {}
      : {
          auth: { user: options.auth.user, pass: options.auth.password },
          ...(options.auth.mechanism === undefined ? {} : { authMethod: options.auth.mechanism }),
        }),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const sent = transport.sendMail({
      envelope: { from: options.from, to: [...options.to] },
      raw: Buffer.from(options.data),
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PeerError('ERR_PEER_TIMEOUT', `nodemailer did not finish within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
    });
    const info = await Promise.race([sent, timeout]);
    const list = (v: unknown): string[] =>
      Array.isArray(v)
        ? v.map((x) => (typeof x === 'string' ? x : String((x as { address?: string }).address)))
        : [];
    return {
      accepted: list(info.accepted),
      rejected: list(info.rejected),
      response: String(info.response),
    };
  } catch (e) {
    if (e instanceof PeerError) throw e;
    throw new PeerError('ERR_PEER_EXIT', `nodemailer: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
