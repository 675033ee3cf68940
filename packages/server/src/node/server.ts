import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import {
  type AnyExtension,
  createRegistry,
  defaultExtensions,
  type Registry,
} from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import {
  createCramMd5Challenge,
  createServerMechanism,
  type SaslServerMechanism,
} from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { createAllowList, DEFAULT_PROXY_V2_MAX_LENGTH, xclient } from '../proxy/index.js';
import { ServerError } from '../server-error.js';
import {
  DEFAULT_TIMEOUTS,
  type ServerSessionOptions,
  type SessionTimeouts,
} from '../session/index.js';
import { replyBytes } from '../session/reply-bytes.js';
import { Connection, type ConnectionShared } from './connection.js';
import { channels } from './diagnostics.js';
import { FlushScheduler } from './flush-scheduler.js';
import type { ServerOptions } from './server-options.js';
import { type ServerTlsOptions, TlsContexts } from './tls-context.js';

/**
 * Where to listen. `tls: 'implicit'` is RFC 8314 implicit TLS (port 465 style): the TLS
 * handshake comes first, then the SMTP banner.
 *
 * @example
 * ```ts
 * await server.listen({ host: '127.0.0.1', port: 2525 });
 * ```
 */
export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
  readonly tls?: 'implicit' | 'none';
  readonly backlog?: number;
}

/**
 * A running SMTP (or LMTP) server.
 *
 * @example
 * ```ts
 * const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
 * await server.close({ graceful: true, timeoutMs: 10_000 });
 * ```
 */
export interface SmtpServer {
  /** Starts a listener (a server may listen on several addresses). */
  listen(options?: ListenOptions): Promise<{ host: string; port: number }>;
  /**
   * Stops accepting. `graceful` (default true): idle clients get 421 4.3.2 at once, clients in a
   * transaction after it; whatever remains after `timeoutMs` (default 10 s) is cut.
   */
  close(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
  /** Open connections. */
  readonly connections: number;
  /** New certificates for handshakes from now on (no restart). */
  setTls(options: ServerTlsOptions): void;
  /** The registry built from the extensions list. */
  readonly registry: Registry<readonly AnyExtension[]>;
}

/**
 * The shortest of the session's timeouts outside a TLS handshake: a connection's timer is never
 * set further ahead, so a wait that turns shorter (a DATA block after a command) needs no new
 * Node timer.
 */
function shortestTimeout(timeouts: Partial<SessionTimeouts> | undefined): number {
  const t = (name: keyof SessionTimeouts): number => timeouts?.[name] ?? DEFAULT_TIMEOUTS[name];
  return Math.min(
    t('greeting'),
    t('command'),
    t('mail'),
    t('rcpt'),
    t('dataInit'),
    t('dataBlock'),
    t('dataTermination'),
  );
}

const DEFAULT_CONNECTIONS = 1000;
const DEFAULT_CONNECTIONS_PER_IP = 50;

/**
 * Creates an SMTP server: a `node:net` listener around the sans-IO {@link ServerSession}.
 *
 * @example
 * ```ts
 * import { createServer } from '@smtpkit/server';
 * const server = createServer({
 *   hostname: 'mx.example',
 *   hooks: { data: async (_ctx, message) => { for await (const _ of message.stream); } },
 * });
 * const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
 * ```
 */
export function createServer<
  const E extends readonly AnyExtension[] = ReturnType<typeof defaultExtensions>,
>(options: ServerOptions<E> = {}): SmtpServer {
  const hostname = options.hostname ?? os.hostname();
  const given = (options.extensions ?? defaultExtensions()) as readonly AnyExtension[];
  // XCLIENT is an extension like any other, registered when proxies are listed for it.
  const extensions =
    options.xclient === undefined
      ? given
      : [...given, xclient({ allowFrom: options.xclient.allowFrom })];
  const registry = createRegistry(extensions);
  if (registry.hasVerb('STARTTLS') && options.tls === undefined) {
    throw new ServerError('ERR_SERVER_MISUSE_OPTIONS', 'STARTTLS needs the tls option (key, cert)');
  }
  const hooks = (options.hooks ?? {}) as Record<string, unknown>;
  const hookNames = Object.keys(hooks).filter((k) => typeof hooks[k] === 'function');
  if (options.auth?.verify !== undefined) hookNames.push('auth');
  if (options.auth?.lookup !== undefined) hookNames.push('auth-lookup');
  const limits = options.limits ?? {};
  const sessionOptions: ServerSessionOptions = {
    hostname,
    registry,
    lmtp: options.lmtp === true,
    limits,
    policy: options.policy ?? {},
    hooks: hookNames,
    sasl: (name: string): SaslServerMechanism | undefined => {
      if (name.toUpperCase() === 'CRAM-MD5') {
        return createServerMechanism(name, {
          crypto: nodeSaslCrypto,
          cramMd5: {
            challenge: createCramMd5Challenge({
              hostname,
              timestamp: Date.now(),
              crypto: nodeSaslCrypto,
            }),
          },
        });
      }
      return createServerMechanism(name, { crypto: nodeSaslCrypto });
    },
  };
  const tlsContexts = options.tls === undefined ? undefined : new TlsContexts(options.tls);
  const maxConnections = limits.connections ?? DEFAULT_CONNECTIONS;
  const maxPerIp = limits.connectionsPerIp ?? DEFAULT_CONNECTIONS_PER_IP;
  const open = new Set<Connection>();
  const perIp = new Map<string, number>();
  const listeners: net.Server[] = [];
  const idPrefix = randomBytes(4).toString('hex');
  let nextId = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const shared: ConnectionShared = {
    sessionOptions,
    hooks: hooks as ConnectionShared['hooks'],
    auth: options.auth as ConnectionShared['auth'],
    logger: options.logger,
    tls: tlsContexts,
    proxy: options.proxy === undefined ? undefined : createAllowList(options.proxy.allowFrom),
    proxyMaxLength: limits.proxyHeader ?? DEFAULT_PROXY_V2_MAX_LENGTH,
    bodyHighWaterMark: 64 * 1024,
    timerStep: shortestTimeout(limits.timeouts),
    flushes: new FlushScheduler(),
    onClose(connection) {
      open.delete(connection);
      const n = (perIp.get(connection.ip) ?? 1) - 1;
      if (n <= 0) perIp.delete(connection.ip);
      else perIp.set(connection.ip, n);
      if (channels.connection.hasSubscribers) {
        channels.connection.publish({ id: connection.id, event: 'close' });
      }
      if (open.size === 0) drained?.();
    },
  };

  const tooMany = replyBytes(replies.R421_4_7_0_TooManyConnections, false);

  function accept(socket: net.Socket, implicitTls: boolean): void {
    const ip = socket.remoteAddress ?? '';
    const countForIp = perIp.get(ip) ?? 0;
    if (closing || open.size >= maxConnections || countForIp >= maxPerIp) {
      // RFC 5321 §3.1 / §4.2.3: 421 when the service is not available, then close.
      if (channels.connection.hasSubscribers) {
        channels.connection.publish({
          event: 'refused',
          remoteAddress: ip,
          remotePort: socket.remotePort,
        });
      }
      socket.on('error', () => socket.destroy());
      if (implicitTls || closing) {
        socket.destroy();
      } else {
        socket.end(closing ? replyBytes(replies.R421_4_3_2_ShuttingDown, false) : tooMany);
        setTimeout(() => socket.destroy(), 1000).unref();
      }
      return;
    }
    perIp.set(ip, countForIp + 1);
    const connection = new Connection(socket, `${idPrefix}${(nextId++).toString(36)}`, shared);
    open.add(connection);
    if (channels.connection.hasSubscribers) {
      channels.connection.publish({
        id: connection.id,
        event: 'open',
        remoteAddress: socket.remoteAddress,
        remotePort: socket.remotePort,
      });
    }
    connection.begin(implicitTls);
  }

  return {
    registry,
    get connections() {
      return open.size;
    },
    setTls(tlsOptions) {
      if (tlsContexts === undefined) {
        throw new ServerError(
          'ERR_SERVER_MISUSE_OPTIONS',
          'setTls() on a server created without tls',
        );
      }
      tlsContexts.set(tlsOptions);
    },
    listen(listenOptions = {}) {
      const implicit = listenOptions.tls === 'implicit';
      if (implicit && tlsContexts === undefined) {
        return Promise.reject(
          new ServerError('ERR_SERVER_MISUSE_OPTIONS', 'implicit TLS needs the tls option'),
        );
      }
      // allowHalfOpen: a client's FIN (RFC 9293 §3.6) says only that it will send nothing more;
      // the replies to what it sent (250 for its message, 221 for QUIT) must still reach it.
      const listener = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) =>
        accept(socket, implicit),
      );
      listeners.push(listener);
      return new Promise((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(
          {
            host: listenOptions.host ?? '127.0.0.1',
            port: listenOptions.port ?? 25,
            backlog: listenOptions.backlog,
          },
          () => {
            listener.removeListener('error', reject);
            const a = listener.address() as net.AddressInfo;
            resolve({ host: a.address, port: a.port });
          },
        );
      });
    },
    async close(closeOptions = {}) {
      closing = true;
      const graceful = closeOptions.graceful !== false;
      const timeoutMs = closeOptions.timeoutMs ?? 10_000;
      const stopped = Promise.all(
        listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))),
      );
      if (open.size > 0) {
        const done = new Promise<void>((resolve) => {
          drained = resolve;
        });
        for (const c of [...open]) {
          if (graceful) c.shutdown();
          else c.destroy();
        }
        if (open.size > 0) {
          const timer = setTimeout(
            () => {
              for (const c of [...open]) c.destroy();
            },
            graceful ? timeoutMs : 0,
          );
          await done;
          clearTimeout(timer);
        }
      }
      await stopped;
    },
  };
}
