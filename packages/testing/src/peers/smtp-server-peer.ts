import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import type { Readable } from 'node:stream';
import { createMessageLog } from './message-log.js';

/** Options of {@link startSmtpServerPeer}. */
export interface SmtpServerPeerOptions {
  /** PEM key and certificate: STARTTLS offered. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** AUTH required with this account (PLAIN, LOGIN, CRAM-MD5; XOAUTH2 with `token`). */
  readonly auth?: { readonly user: string; readonly password: string; readonly token?: string };
  /** Speak LMTP (RFC 2033). */
  readonly lmtp?: boolean;
  /** RFC 1870 maximum; default 64 MiB. */
  readonly size?: number;
}

/** One message as smtp-server's `onData` received it. */
export interface SmtpServerPeerMessage {
  readonly mailFrom: string;
  /** MAIL parameters as smtp-server parsed them, e.g. `{ SMTPUTF8: true, BODY: '8BITMIME' }`. */
  readonly mailArgs: Readonly<Record<string, unknown>>;
  readonly rcptTo: readonly string[];
  /** The content after dot-unstuffing, as the `onData` stream gave it. */
  readonly data: Buffer;
  readonly secure: boolean;
  readonly user: string | undefined;
}

/** A running smtp-server. */
export interface SmtpServerPeer {
  readonly port: number;
  readonly messages: readonly SmtpServerPeerMessage[];
  waitForMessages(count: number, timeoutMs: number): Promise<readonly SmtpServerPeerMessage[]>;
  stop(): Promise<void>;
}

interface SmtpServerSession {
  readonly secure: boolean;
  readonly user?: string;
  readonly envelope: {
    readonly mailFrom:
      | { readonly address: string; readonly args?: Record<string, unknown> }
      | false;
    readonly rcptTo: readonly { readonly address: string }[];
  };
}

interface SmtpServerAuth {
  readonly method: string;
  readonly username: string;
  readonly password?: string;
  readonly accessToken?: string;
  validatePassword?(password: string): boolean;
}

type SmtpServerClass = new (
  options: Record<string, unknown>,
) => {
  readonly server: Server;
  listen(port: number, host: string, callback: () => void): void;
  close(callback: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
};

const require = createRequire(import.meta.url);

/**
 * Starts nodemailer's smtp-server (a devDependency of this package) in this process on loopback
 * as a server no one here wrote, storing every message with its envelope. It offers PIPELINING,
 * 8BITMIME, SMTPUTF8, SIZE, and STARTTLS / AUTH when asked; no CHUNKING. Check that it can be
 * loaded with `smtpServerSkipReason()`.
 *
 * @example
 * ```ts
 * const peer = await startSmtpServerPeer({ auth: { user: 'tim', password: 'secret' } });
 * const [m] = await peer.waitForMessages(1, 5000);
 * await peer.stop();
 * ```
 */
export async function startSmtpServerPeer(
  options: SmtpServerPeerOptions = {},
): Promise<SmtpServerPeer> {
  const { SMTPServer } = require('smtp-server') as { SMTPServer: SmtpServerClass };
  const log = createMessageLog<SmtpServerPeerMessage>();
  const account = options.auth;
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    lmtp: options.lmtp === true,
    size: options.size ?? 64 * 1024 * 1024,
    ...(options.tls === undefined
      ? {
          disabledCommands: account === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
          hideSTARTTLS: true,
        }
      : {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(account === undefined ? { disabledCommands: ['AUTH'] } : {}),
        }),
    authOptional: account === undefined,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
    onAuth(
      auth: SmtpServerAuth,
      _session: SmtpServerSession,
      callback: (error: Error | null, result?: { user: string }) => void,
    ) {
      const ok =
        account !== undefined &&
        auth.username === account.user &&
        (auth.method === 'XOAUTH2'
          ? auth.accessToken === account.token
          : auth.method === 'CRAM-MD5'
            ? auth.validatePassword?.(account.password) === true
            : auth.password === account.password);
      if (ok) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream: Readable, session: SmtpServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        log.add({
          mailFrom: from === false ? '' : from.address,
          mailArgs: from === false ? {} : (from.args ?? {}),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks),
          secure: session.secure,
          user: session.user,
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages: log.messages,
    waitForMessages: log.waitForMessages,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
